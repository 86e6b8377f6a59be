import { Boom } from '@hapi/boom';
import { DEFAULT_CONNECTION_CONFIG, DisconnectReason, initAuthCreds, NewChatMessageCappingStatusType, proto, type WAVersion } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { keyFileBox } from '../../src/main/core/secrets/key-file-box';
import { ignoredJid, quietLogger } from '../../src/main/core/channels/linked-device/socket';
import type { Db } from '../../src/main/core/store/db';
import { getMessage } from '../../src/main/core/store/messages-repo';
import { FakeSocket, FakeWhatsApp } from '../fakes/baileys-socket';
import { CLINIC, CLINIC_LID, count, DAY, dispatch, enqueue, linked, PATIENT, PATIENT_JID, PATIENT_LID, rig, until, type Rig } from '../helpers/linked-device-rig';
import { tempDir } from '../helpers/temp';

// What Baileys 7.0.0-rc14 really does in each case (lib/Socket/*.js, lib/Utils/event-buffer.js), played by the fake,
// and what Avisa does about it.

const S = proto.WebMessageInfo.Status;
const MX_STORED = '+525512345678';
const MX_WHATSAPP = '5215512345678';

function addPatient(db: Db, phone: string, doc: string): number {
  return Number(
    db
      .prepare(
        `INSERT INTO patients (first_names, last_names, document_type, document_number, phone_e164, created_at, updated_at)
         VALUES ('Ana', 'Quispe', 'DNI', ?, ?, 0, 0)`,
      )
      .run(doc, phone).lastInsertRowid,
  );
}

const options = [
  { id: 'CONFIRM:7', title: 'Confirmar' },
  { id: 'CANCEL:7', title: 'Cancelar' },
];

const replyRows = (db: Db) =>
  db.prepare('SELECT provider_message_id AS pid, message_id AS messageId, patient_id AS patientId, from_phone AS phone, body FROM replies ORDER BY id').all() as {
    pid: string;
    messageId: number | null;
    patientId: number | null;
    phone: string;
    body: string;
  }[];

/** Closes Avisa and opens it again on the same database and the same WhatsApp. */
async function restart(r: Rig, o: Parameters<typeof rig>[0] = {}) {
  const before = r.fake.sockets.length;
  r.close();
  const again = rig({ dir: r.dir, fake: r.fake, ...o });
  const s = await again.fake.opened(before + 1);
  return { again, s };
}

describe('replies that arrived while Avisa was closed (messages.upsert type append)', () => {
  it('acts on an overnight "1" and "BAJA" held offline, once, and only counts those older than the limit', async () => {
    const r = rig();
    await linked(r);
    const patientId = addPatient(r.db, PATIENT, '40000001');
    const id = enqueue(r, { patientId, buttons: options });
    await dispatch(r, id);

    const { again, s } = await restart(r);
    // The server replays what it held: Baileys buffers it until CB:ib,,offline and tags it `append`.
    s.open({ pendingSync: true });
    const t = Math.floor(again.clock.t / 1000);
    s.receive({ from: PATIENT_JID, text: '1', id: 'OFF-1', type: 'append', timestampS: t - 8 * 3600 });
    s.receive({ from: '51900000077@s.whatsapp.net', text: 'BAJA', id: 'OFF-2', type: 'append', timestampS: t - 3600 });
    s.receive({ from: '51900000078@s.whatsapp.net', text: 'Sí', id: 'OFF-OLD', type: 'append', timestampS: t - 9 * 86_400 });
    await again.channel.settled();
    expect(replyRows(again.db)).toHaveLength(0); // still in Baileys' buffer
    s.syncDone();
    // The same message seen again later (a duplicated event) is stored once.
    s.receive({ from: PATIENT_JID, text: '1', id: 'OFF-1', timestampS: t - 8 * 3600 });
    await again.channel.settled();

    const rows = replyRows(again.db);
    expect(rows.map((x) => x.pid).sort()).toEqual(['OFF-1', 'OFF-2']);
    expect(rows.find((x) => x.pid === 'OFF-1')).toMatchObject({ messageId: id, patientId, phone: PATIENT, body: '1' });
    expect(again.replies.find((x) => x.providerMessageId === 'OFF-1')?.payload).toBe('CONFIRM:7');
    expect(rows.find((x) => x.pid === 'OFF-2')).toMatchObject({ phone: '+51900000077', body: 'BAJA' });
    expect(again.channel.view().oldOfflineReplies).toBe(1);
    // Too old to act on, but still proof that this person wrote to the clinic.
    expect(count(again.db, `SELECT COUNT(*) AS n FROM linked_device_contacts WHERE phone = '+51900000078'`)).toBe(1);
  });
});

describe('the WhatsApp address of each number (onWhatsApp, one number per paced send)', () => {
  it('sends a Mexican patient’s message to the 521… address WhatsApp gives, and maps the reply back', async () => {
    const r = rig();
    const s = await linked(r);
    r.fake.server.aliases.set(MX_STORED.slice(1), MX_WHATSAPP);
    const patientId = addPatient(r.db, MX_STORED, '40000002');
    const id = enqueue(r, { patientId, toPhone: MX_STORED, buttons: options });
    expect((await dispatch(r, id)).ok).toBe(true);
    expect(s.sent.map((m) => m.jid)).toEqual([`${MX_WHATSAPP}@s.whatsapp.net`]);
    expect(s.onWhatsAppCalls).toEqual([[`${MX_STORED.slice(1)}@s.whatsapp.net`]]);

    s.receive({ from: `${MX_WHATSAPP}@s.whatsapp.net`, text: 'BAJA', id: 'MX-1' });
    await r.channel.settled();
    expect(replyRows(r.db)).toEqual([{ pid: 'MX-1', messageId: id, patientId, phone: MX_STORED, body: 'BAJA' }]);

    // The patient wrote: the next message is no first contact, and the address is not asked again.
    await dispatch(r, enqueue(r, { patientId, toPhone: MX_STORED }));
    expect(r.channel.view().budget.firstContacts).toBe(1);
    expect(s.onWhatsAppCalls).toHaveLength(1);
  });

  it('sends to an older Brazilian account under its 8-digit form', async () => {
    const r = rig();
    const s = await linked(r);
    r.fake.server.aliases.set('5511987654321', '551187654321');
    expect((await dispatch(r, enqueue(r, { toPhone: '+5511987654321' }))).ok).toBe(true);
    expect(s.sent[0]?.jid).toBe('551187654321@s.whatsapp.net');
  });

  it('fails for good as "no tiene WhatsApp" when the number has no account, without sending anything', async () => {
    const r = rig();
    const s = await linked(r);
    r.fake.server.noAccount.add('51900000099');
    const id = enqueue(r, { toPhone: '+51900000099' });
    expect(await dispatch(r, id)).toMatchObject({ ok: false, failure: 'permanent', code: 'linked_device_no_whatsapp' });
    expect(getMessage(r.db, id)?.lastErrorReason).toMatch(/no tiene WhatsApp/);
    expect(s.sent).toHaveLength(0);
    expect(r.channel.view().budget.sent).toBe(0);
  });

  it('asks again after 30 days, and after a failure reported for that number', async () => {
    const r = rig();
    const s = await linked(r);
    await dispatch(r, enqueue(r));
    await dispatch(r, enqueue(r));
    expect(s.onWhatsAppCalls).toHaveLength(1);
    r.clock.t += 31 * DAY;
    const third = enqueue(r);
    await dispatch(r, third);
    expect(s.onWhatsAppCalls).toHaveLength(2);
    s.status(getMessage(r.db, third)?.providerId ?? '', S.ERROR, { stub: ['479'] });
    await r.channel.settled();
    await dispatch(r, enqueue(r));
    expect(s.onWhatsAppCalls).toHaveLength(3);
  });

  it('leaves the message queued when the check itself fails (connection dropped)', async () => {
    const r = rig();
    const s = await linked(r);
    s.ended = true; // the socket died between the slot and the check
    const id = enqueue(r);
    expect(await dispatch(r, id)).toMatchObject({ ok: false, failure: 'transient', code: 'linked_device_lookup' });
    expect(getMessage(r.db, id)?.state).toBe('queued');
  });
});

describe('pairing by code', () => {
  it('the fake, like WhatsApp, gives a dead code to a custom browser label', async () => {
    const server = new FakeWhatsApp();
    const custom = new FakeSocket({ auth: { creds: initAuthCreds(), keys: { get: async () => ({}), set: async () => undefined } }, browser: ['Avisa', 'Desktop', '1.0'] }, server);
    const code = await custom.requestPairingCode(CLINIC);
    expect(code).toMatch(/^[0-9A-Z]{8}$/); // Baileys still returns one
    expect(await custom.enterCode(code, CLINIC_LID)).toBe(false);
  });

  for (const [platform, label] of [
    ['win32', 'Windows'],
    ['darwin', 'Mac OS'],
    ['linux', 'Ubuntu'],
  ] as const) {
    it(`uses Baileys’ standard label on ${platform}, so the code typed on the phone links`, async () => {
      const r = rig({ platform });
      r.channel.link({ method: 'code', phone: `+${CLINIC}` });
      const s = await r.fake.opened(1);
      expect(s.config.browser?.slice(0, 2)).toEqual([label, 'Chrome']);
      s.showQr();
      await until(() => r.channel.view().connection.pairingCode !== null);
      expect(await s.enterCode(r.channel.view().connection.pairingCode ?? '', CLINIC_LID)).toBe(true);
      (await r.fake.opened(2)).open();
      await until(() => r.channel.view().connection.state === 'open');
      expect(r.channel.view().connection.phone).toBe(`+${CLINIC}`);
    });
  }

  it('clears half-made credentials when the socket closes during pairing, instead of logging in with them (401)', async () => {
    const r = rig();
    r.channel.link({ method: 'code', phone: CLINIC });
    const s = await r.fake.opened(1);
    s.showQr();
    await until(() => r.channel.view().connection.pairingCode !== null);
    s.close(DisconnectReason.connectionClosed, 'Connection Terminated');
    await until(() => r.channel.view().connection.state === 'disconnected');
    // No reconnect scheduled (each one shows its time), so no socket with the half-made identity.
    expect(r.channel.view().connection).toMatchObject({ state: 'disconnected', phone: null, pairingCode: null, reconnectAt: null });
    expect(r.fake.sockets).toHaveLength(1);
    expect(r.channel.view().connection.reason).toMatch(/código nuevo/);
    expect(r.events.some((e) => e.type === 'alert')).toBe(false);
    expect(count(r.db, 'SELECT COUNT(*) AS n FROM linked_device_auth')).toBe(0);
  });

  it('the fake, like WhatsApp, answers a half-made identity with 401 on the next connect', async () => {
    const creds = { ...initAuthCreds(), me: { id: `${CLINIC}@s.whatsapp.net`, name: '~' } };
    const s = new FakeSocket({ auth: { creds, keys: { get: async () => ({}), set: async () => undefined } } });
    const closes: (number | undefined)[] = [];
    s.ev.on('connection.update', (u) => {
      const error = u.lastDisconnect?.error;
      if (u.connection === 'close') closes.push(error instanceof Boom ? error.output.statusCode : undefined);
    });
    await until(() => closes.length > 0);
    expect(closes).toEqual([DisconnectReason.loggedOut]);
  });
});

describe('statuses merged into our own messages while Baileys buffers (initial sync)', () => {
  it('reads the delivery that Baileys folded into the buffered copy of a message Avisa sent', async () => {
    const r = rig();
    await linked(r);
    const { again, s } = await restart(r);
    const updates: unknown[] = [];
    s.ev.on('messages.update', (u) => updates.push(u));
    s.open({ pendingSync: true });
    await until(() => again.channel.view().connection.state === 'open');
    const id = enqueue(again);
    expect((await dispatch(again, id)).ok).toBe(true);
    await new Promise((resolve) => process.nextTick(resolve)); // Baileys' own upsert of the sent message
    const providerId = getMessage(again.db, id)?.providerId ?? '';
    s.status(providerId, S.SERVER_ACK, { offline: true });
    s.status(providerId, S.DELIVERY_ACK, { offline: true });
    s.syncDone();
    await again.channel.settled();
    expect(updates).toEqual([]); // no messages.update ever came: the status only lives in the upsert
    expect(getMessage(again.db, id)?.state).toBe('delivered');
  });
});

describe('a stale WhatsApp Web version or a restricted account', () => {
  const newer: WAVersion = [2, 3000, DEFAULT_CONNECTION_CONFIG.version[2] + 1_000];

  it('connects with the version fetched before each connect', async () => {
    const r = rig();
    r.fake.server.minVersion = newer;
    const s = await linked(r);
    expect(s.config.version).toEqual(newer);
    expect(r.channel.view().connection.state).toBe('open');
  });

  it('stops after 405 with "hace falta actualizar" instead of looping behind "Conectando…"', async () => {
    const r = rig();
    await linked(r);
    r.fake.server.minVersion = newer;
    r.fake.web.reachable = false; // the fetch fails: Baileys' built-in version, which WhatsApp now refuses
    const { again } = await restart(r);
    await until(() => again.channel.view().connection.state === 'update_required');
    expect(again.channel.view().connection.reconnectAt).toBeNull();
    expect(again.fake.sockets).toHaveLength(3);
    expect(again.channel.view().connection.reason).toMatch(/Hace falta actualizar.*405/);
    expect(again.channel.view().connection.reason).toContain(DEFAULT_CONNECTION_CONFIG.version.join('.'));
    expect(again.events).toContainEqual(expect.objectContaining({ type: 'alert', alert: 'update_required' }));
    expect(again.channel.health().state).toBe('paused');
    // Once the version is current again, a person reconnects and the same session opens.
    again.fake.web.reachable = true;
    again.channel.reconnect();
    (await again.fake.opened(4)).open();
    expect(again.channel.view().connection.state).toBe('open');
  });

  for (const [code, words] of [
    [402, /suspendió/],
    [403, /bloqueado/],
    [406, /sin decir por qué/],
  ] as const) {
    it(`stops reconnecting after ${code} and tells the clinic what happened`, async () => {
      const r = rig();
      const s = await linked(r);
      s.close(code);
      await until(() => r.channel.view().connection.state === 'account_restricted');
      expect(r.channel.view().connection.reconnectAt).toBeNull();
      expect(r.fake.sockets).toHaveLength(2);
      expect(r.channel.view().connection.reason).toMatch(words);
      expect(r.channel.view().connection.lastClose).toContain(String(code));
      expect(r.events).toContainEqual(expect.objectContaining({ type: 'alert', alert: 'account_restricted' }));
      // The session is kept: it is the account, not the link, that has a problem.
      expect(count(r.db, 'SELECT COUNT(*) AS n FROM linked_device_auth')).toBeGreaterThan(0);
    });
  }
});

describe('temporary restrictions: reach-out time lock and WhatsApp’s new-chat quota', () => {
  it('asks for the time lock on connect and after a 463, pauses exactly until it ends, then sends by itself', async () => {
    const r = rig();
    const s = await linked(r);
    expect(s.timelockQueries).toHaveLength(1);
    await dispatch(r, enqueue(r));
    const ends = new Date(r.clock.t + 2 * 3_600_000);
    r.fake.server.timelock = { isActive: true, timeEnforcementEnds: ends };
    s.status(s.sent[0]?.message.key.id ?? '', S.ERROR, { stub: ['463'] });
    await r.channel.settled();
    await until(() => s.timelockQueries.length === 2);
    await until(() => r.channel.view().budget.pause !== null);
    const id = enqueue(r, { toPhone: '+51900000055' });
    expect(r.channel.admit({ id, toPhone: '+51900000055' })).toMatchObject({ ok: false, notBefore: ends.getTime() });
    r.clock.t = ends.getTime() + 1;
    expect(r.channel.admit({ id, toPhone: '+51900000055' })).toEqual({ ok: true });
    expect((await dispatch(r, id)).ok).toBe(true);
  });

  it('keeps first contacts within WhatsApp’s own quota, never above the clinic’s cap', async () => {
    const r = rig({ budget: { firstContactDailyCap: 15 } });
    r.fake.server.messageCap = { total_quota: 3, used_quota: 2 };
    const s = await linked(r);
    await until(() => r.channel.view().budget.whatsappQuota !== null);
    expect((await dispatch(r, enqueue(r, { toPhone: '+51900000001' }))).ok).toBe(true);
    expect(await dispatch(r, enqueue(r, { toPhone: '+51900000002' }))).toMatchObject({ ok: false, code: 'linked_device_first_contact_cap' });
    // A larger quota reported later still leaves the clinic's own cap in charge.
    s.ev.emit('message-capping.update', { total_quota: 1000, used_quota: 0 });
    await r.channel.settled();
    const strict = rig({ budget: { firstContactDailyCap: 1 } });
    strict.fake.server.messageCap = { total_quota: 1000, used_quota: 0 };
    await linked(strict);
    expect((await dispatch(strict, enqueue(strict, { toPhone: '+51900000003' }))).ok).toBe(true);
    expect(await dispatch(strict, enqueue(strict, { toPhone: '+51900000004' }))).toMatchObject({ ok: false, code: 'linked_device_first_contact_cap' });
    expect((await dispatch(r, enqueue(r, { toPhone: '+51900000005' }))).ok).toBe(true);
    // "Capped" without numbers is no room left; a warning level alone changes nothing.
    s.ev.emit('message-capping.update', { capping_status: NewChatMessageCappingStatusType.FIRST_WARNING });
    await r.channel.settled();
    expect((await dispatch(r, enqueue(r, { toPhone: '+51900000006' }))).ok).toBe(true);
    s.ev.emit('message-capping.update', { capping_status: NewChatMessageCappingStatusType.CAPPED });
    await r.channel.settled();
    expect(await dispatch(r, enqueue(r, { toPhone: '+51900000007' }))).toMatchObject({ ok: false, code: 'linked_device_first_contact_cap' });
    // People who wrote to the clinic are not new chats: they still get their messages.
    s.receive({ from: '51900000008@s.whatsapp.net', text: 'Hola', id: 'W-8' });
    await r.channel.settled();
    expect((await dispatch(r, enqueue(r, { toPhone: '+51900000008' }))).ok).toBe(true);
  });
});

describe('ignored at the source: groups, broadcasts, status and channels', () => {
  it('gives Baileys a shouldIgnoreJid that drops them before decryption, so no keys are written', async () => {
    const r = rig();
    const s = await linked(r);
    expect(s.config.shouldIgnoreJid).toBe(ignoredJid);
    for (const jid of ['120363025246125486@g.us', 'status@broadcast', '1234567890@broadcast', '120363147839012345@newsletter']) {
      expect(ignoredJid(jid)).toBe(true);
    }
    expect(ignoredJid(PATIENT_JID)).toBe(false);
    expect(ignoredJid(`${PATIENT_LID}@lid`)).toBe(false);
    const keysBefore = count(r.db, 'SELECT COUNT(*) AS n FROM linked_device_auth');
    expect(s.receive({ from: '120363025246125486@g.us', alt: PATIENT_JID, text: 'Sí' })).toBeNull();
    await r.channel.settled();
    expect(count(r.db, 'SELECT COUNT(*) AS n FROM linked_device_auth')).toBe(keysBefore);
    expect(replyRows(r.db)).toHaveLength(0);
  });
});

describe('robustness', () => {
  it('keeps one retry counter for the channel across sockets', async () => {
    const r = rig();
    const s = await linked(r);
    s.close(DisconnectReason.connectionLost);
    const next = await r.fake.opened(3);
    expect(next.config.msgRetryCounterCache).toBeDefined();
    expect(next.config.msgRetryCounterCache).toBe(s.config.msgRetryCounterCache);
    expect(r.fake.sockets[0]?.config.msgRetryCounterCache).toBe(s.config.msgRetryCounterCache);
  });

  it('answers WhatsApp’s retry requests only for messages younger than 24 h', async () => {
    const r = rig();
    const s = await linked(r);
    await dispatch(r, enqueue(r, { body: 'Su cita es mañana' }));
    const key = s.sent[0]?.message.key ?? {};
    const getMessage = s.config.getMessage;
    expect((await getMessage?.(key))?.extendedTextMessage?.text).toBe('Su cita es mañana');
    r.clock.t += 25 * 3_600_000;
    expect(await getMessage?.(key)).toBeUndefined();
  });

  it('re-checks replies waiting for an @lid mapping when the socket opens', async () => {
    const r = rig();
    const s = await linked(r);
    s.receive({ from: `${PATIENT_LID}@lid`, text: 'Sí', id: 'LID-1' });
    await r.channel.settled();
    expect(r.channel.view().pendingReplies).toBe(1);
    s.close(DisconnectReason.connectionLost);
    const next = await r.fake.opened(3);
    // Baileys learnt the mapping meanwhile (from a usync or a session), without emitting lid-mapping.update.
    next.lidStore.set(PATIENT_LID, PATIENT.slice(1));
    next.open();
    await until(() => r.channel.view().pendingReplies === 0);
    await r.channel.settled();
    expect(replyRows(r.db)).toEqual([expect.objectContaining({ pid: 'LID-1', phone: PATIENT })]);
  });

  it('starts unlinked with the reason when the session key cannot be opened (keychain changed)', async () => {
    const dir = tempDir();
    const r = rig({ dir, box: keyFileBox(dir) });
    await linked(r);
    r.close();
    const again = rig({ dir, box: keyFileBox(tempDir()) });
    await until(() => again.events.some((e) => e.type === 'alert'));
    expect(again.channel.view().connection.reconnectAt).toBeNull();
    expect(again.fake.sockets).toHaveLength(0);
    expect(again.channel.view().connection.state).toBe('disconnected');
    expect(again.channel.view().connection.reason).toMatch(/clave del sistema cambió/);
    expect(again.events).toContainEqual({ type: 'alert', alert: 'logged_out', reason: expect.stringMatching(/clave del sistema/) });
    expect(count(again.db, 'SELECT COUNT(*) AS n FROM linked_device_auth')).toBe(0);
    // And a new link works under the new key.
    again.channel.link({ method: 'qr' });
    expect((await again.fake.opened(1)).config.auth.creds.me).toBeUndefined();
  });

  it('keeps "Desvincular" pressed without a connection and logs out at the next connect, sending nothing meanwhile', async () => {
    const r = rig({ backoffMs: () => 60_000 });
    const s = await linked(r);
    s.close(DisconnectReason.connectionLost);
    await r.channel.unlink();
    expect(s.loggedOut).toBe(false);
    expect(r.channel.view().connection.reason).toMatch(/se desvinculará.*Dispositivos vinculados/);
    expect(count(r.db, 'SELECT COUNT(*) AS n FROM linked_device_auth')).toBeGreaterThan(0);

    // Avisa closes and opens again before the network is back: the request survives.
    const { again, s: next } = await restart(r);
    expect(again.channel.view().connection.reason).toMatch(/se desvinculará/);
    const id = enqueue(again);
    next.open();
    await until(() => next.loggedOut);
    await again.channel.settled();
    expect(again.channel.view().connection).toMatchObject({ state: 'disconnected', phone: null });
    expect(again.channel.ready()).toBe(false);
    expect(await dispatch(again, id)).toMatchObject({ ok: false, failure: 'account' });
    expect(next.sent).toHaveLength(0);
    expect(again.events.some((e) => e.type === 'alert' || e.type === 'ready')).toBe(false);
    expect(count(again.db, 'SELECT COUNT(*) AS n FROM linked_device_auth')).toBe(0);
    expect(count(again.db, 'SELECT COUNT(*) AS n FROM linked_device_unlink')).toBe(0);
  });

  it('keeps Baileys’ one-argument log lines as the message', () => {
    const lines: { level: string; data: unknown; msg?: string }[] = [];
    const logger = quietLogger((level, data, msg) => lines.push({ level, data, msg }));
    logger.warn('Buffer timeout reached, auto-flushing');
    logger.child({ class: 'baileys' }).error({ err: 'x' }, 'stream errored out');
    logger.info('not kept');
    expect(lines).toEqual([
      { level: 'warn', data: undefined, msg: 'Buffer timeout reached, auto-flushing' },
      { level: 'error', data: { class: 'baileys', data: { err: 'x' } }, msg: 'stream errored out' },
    ]);
  });
});

describe('warm-up of a new link', () => {
  it('starts at 30 a day and grows evenly to the clinic’s cap over 7 days, shown in the budget', async () => {
    const r = rig({ budget: { dailyCap: 150 } });
    await linked(r);
    expect(r.channel.view().budget).toMatchObject({ dailyCap: 30, warmup: { day: 0, days: 7, fullCap: 150 } });
    r.clock.t += 3 * DAY;
    expect(r.channel.view().budget).toMatchObject({ dailyCap: 81, warmup: { day: 3 } });
    r.clock.t += 4 * DAY;
    expect(r.channel.view().budget).toMatchObject({ dailyCap: 150, warmup: null });
  });

  it('holds sends at the warm-up cap', async () => {
    const r = rig({ budget: { dailyCap: 100, warmupStartCap: 2, warmupDays: 5 } });
    const s = await linked(r);
    await dispatch(r, enqueue(r));
    await dispatch(r, enqueue(r));
    expect(await dispatch(r, enqueue(r))).toMatchObject({ ok: false, code: 'linked_device_daily_cap' });
    expect(r.channel.view().budget.reason).toMatch(/límite diario de 2/);
    expect(s.sent).toHaveLength(2);
  });
});
