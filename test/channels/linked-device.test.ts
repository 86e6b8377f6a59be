import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Boom } from '@hapi/boom';
import { DisconnectReason, proto } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../src/main/core/channels/channel';
import { createDispatcher, throughOneChannel } from '../../src/main/core/outbox/dispatcher';
import { keyFileBox } from '../../src/main/core/secrets/key-file-box';
import type { Db } from '../../src/main/core/store/db';
import { dispatchRowOf, getMessage, messageEvents } from '../../src/main/core/store/messages-repo';
import {
  CLINIC,
  count,
  DAY,
  dispatch,
  enqueue,
  linked,
  PATIENT,
  PATIENT_JID,
  PATIENT_LID,
  rig,
  stateOf,
  tick,
  until,
  type Rig,
} from '../helpers/linked-device-rig';
import { tempDir } from '../helpers/temp';

describe('linked device: linking and connection', () => {
  it('waits for a person when there is no session, then shows the QR codes Baileys emits', async () => {
    const r = rig();
    expect(r.fake.sockets).toHaveLength(0);
    expect(r.channel.view().connection.state).toBe('disconnected');
    expect(r.channel.health().state).toBe('not_configured');

    r.channel.link({ method: 'qr' });
    const s = await r.fake.opened(1);
    expect(s.config.markOnlineOnConnect).toBe(false);
    expect(s.config.syncFullHistory).toBe(false);
    s.showQr('2@first-ref');
    expect(r.channel.view().connection).toMatchObject({ state: 'qr', qr: '2@first-ref' });
    s.showQr('2@second-ref');
    await tick(); // Baileys' late "connecting" must not hide the QR
    expect(r.channel.view().connection).toMatchObject({ state: 'qr', qr: '2@second-ref' });
    const shown = r.events.flatMap((e) => (e.type === 'changed' ? [e.view.connection.qr] : []));
    expect(shown).toContain('2@first-ref');
    expect(shown).toContain('2@second-ref');
  });

  it('links with a pairing code instead of a camera', async () => {
    const r = rig();
    r.channel.link({ method: 'code', phone: '+51 911 122 233' });
    (await r.fake.opened(1)).showQr();
    await until(() => r.channel.view().connection.pairingCode !== null);
    expect(r.fake.latest().pairingRequests).toEqual([CLINIC]);
    expect(r.channel.view().connection).toMatchObject({ state: 'qr', pairingCode: expect.stringMatching(/^[0-9A-Z]{8}$/) });
  });

  it('opens after pairing (restartRequired reconnects at once) and reports the linked phone', async () => {
    const r = rig();
    await linked(r);
    expect(r.channel.view().connection).toMatchObject({ state: 'open', phone: `+${CLINIC}`, qr: null });
    expect(r.channel.health()).toEqual({ state: 'ready', reason: null, code: null });
    expect(r.channel.ready()).toBe(true);
    expect(r.events.some((e) => e.type === 'ready')).toBe(true);
  });

  it('forgets an unfinished pairing code on restart instead of trying to log in with it', async () => {
    const r = rig();
    r.channel.link({ method: 'code', phone: CLINIC });
    (await r.fake.opened(1)).showQr();
    await until(() => r.channel.view().connection.pairingCode !== null);
    r.close();
    const again = rig({ dir: r.dir });
    expect(again.fake.sockets).toHaveLength(0);
    expect(again.channel.view().connection.state).toBe('disconnected');
  });

  const transient: [string, number | undefined][] = [
    ['connectionLost / timedOut', DisconnectReason.connectionLost],
    ['connectionClosed', DisconnectReason.connectionClosed],
    ['unavailableService', DisconnectReason.unavailableService],
    ['badSession', DisconnectReason.badSession],
    ['multideviceMismatch', DisconnectReason.multideviceMismatch],
    ['a plain error without a code', undefined],
  ];
  for (const [name, code] of transient) {
    it(`reconnects with backoff after ${name}, keeping the session`, async () => {
      const r = rig();
      const s = await linked(r);
      const sockets = r.fake.sockets.length;
      s.close(code);
      expect(r.channel.view().connection.state).toBe('connecting');
      expect(r.channel.view().connection.reconnectAt).toBe(r.clock.t + 5);
      expect(r.channel.ready()).toBe(false);
      const next = await r.fake.opened(sockets + 1);
      // Same credentials: no QR, no new link.
      expect(next.config.auth.creds.me?.id).toBe(`${CLINIC}:14@s.whatsapp.net`);
      next.open();
      expect(r.channel.view().connection.state).toBe('open');
      expect(r.events.some((e) => e.type === 'alert')).toBe(false);
      expect(count(r.db, 'SELECT COUNT(*) AS n FROM linked_device_auth')).toBeGreaterThan(0);
    });
  }

  it('reconnects at once after the restartRequired that follows pairing, and with backoff after any other', async () => {
    const r = rig({ now: Date.now, budget: {} });
    const s = await linked(r); // pairing's 515 already reconnected at once (no backoff was asked for)
    expect(r.events.some((e) => e.type === 'changed' && e.view.connection.reconnectAt !== null && e.view.connection.reconnectAt > Date.now() + 1)).toBe(false);
    const before = Date.now();
    s.close(DisconnectReason.restartRequired);
    // A 515 on an established session: the rig's backoff (5 ms), not a tight loop.
    expect(r.channel.view().connection.reconnectAt).toBeGreaterThanOrEqual(before + 5);
    await r.fake.opened(3);
  });

  it('treats loggedOut as the end of the link: clears the session, alerts, asks to link again', async () => {
    const r = rig();
    const s = await linked(r);
    s.close(DisconnectReason.loggedOut);
    await until(() => r.channel.view().connection.state === 'logged_out');
    // A reconnect is always scheduled with its time shown: none is, and no socket was opened.
    expect(r.channel.view().connection).toMatchObject({ state: 'logged_out', phone: null, reconnectAt: null });
    expect(r.fake.sockets).toHaveLength(2);
    expect(r.events).toContainEqual({ type: 'alert', alert: 'logged_out', reason: expect.stringContaining('Vincúlelo') });
    expect(count(r.db, 'SELECT COUNT(*) AS n FROM linked_device_auth')).toBe(0);
    expect(count(r.db, 'SELECT COUNT(*) AS n FROM linked_device_keyring')).toBe(0);
    r.close();
    const again = rig({ dir: r.dir });
    expect(again.fake.sockets).toHaveLength(0);
    expect(again.channel.view().connection.state).toBe('disconnected');
  });

  it('stops and alerts when another session replaces this one, and takes over only when asked', async () => {
    const r = rig();
    const s = await linked(r);
    s.close(DisconnectReason.connectionReplaced);
    await until(() => r.channel.view().connection.state === 'replaced');
    expect(r.channel.view().connection.reconnectAt).toBeNull();
    expect(r.fake.sockets).toHaveLength(2);
    expect(r.events.some((e) => e.type === 'alert' && e.alert === 'replaced')).toBe(true);
    expect(count(r.db, 'SELECT COUNT(*) AS n FROM linked_device_auth')).toBeGreaterThan(0);
    r.channel.reconnect();
    (await r.fake.opened(3)).open();
    expect(r.channel.view().connection.state).toBe('open');
  });

  it('stops offering QR codes when none was scanned (timedOut before any link)', async () => {
    const r = rig();
    r.channel.link({ method: 'qr' });
    (await r.fake.opened(1)).showQr();
    r.fake.latest().close(DisconnectReason.timedOut, 'QR refs attempts ended');
    await until(() => r.channel.view().connection.state === 'disconnected');
    expect(r.channel.view().connection).toMatchObject({ state: 'disconnected', qr: null, reconnectAt: null });
    expect(r.fake.sockets).toHaveLength(1);
    expect(r.channel.view().connection.reason).toMatch(/QR venció/);
  });

  it('keeps trying while linking when WhatsApp cannot be reached (408 before any QR)', async () => {
    const r = rig();
    r.channel.link({ method: 'code', phone: CLINIC });
    (await r.fake.opened(1)).close(DisconnectReason.timedOut, 'Connection Terminated');
    expect(r.channel.view().connection.state).toBe('connecting');
    // Still linking by code on the new socket.
    (await r.fake.opened(2)).showQr();
    await until(() => r.channel.view().connection.pairingCode !== null);
    expect(r.fake.latest().pairingRequests).toEqual([CLINIC]);
  });

  it('ignores events from a socket it already replaced', async () => {
    const r = rig();
    const s = await linked(r);
    r.channel.reconnect();
    expect(s.ended).toBe(true); // ended by the channel, its close ignored
    expect(r.channel.view().connection.state).toBe('connecting');
    s.close(DisconnectReason.loggedOut);
    expect(r.channel.view().connection.state).toBe('connecting');
    expect(count(r.db, 'SELECT COUNT(*) AS n FROM linked_device_auth')).toBeGreaterThan(0);
  });

  it('unlinks on request: logs out on the phone and forgets the session', async () => {
    const r = rig();
    const s = await linked(r);
    await r.channel.unlink();
    expect(s.loggedOut).toBe(true);
    expect(r.channel.view().connection.state).toBe('disconnected');
    expect(r.events.some((e) => e.type === 'alert')).toBe(false);
    // The logout's own close came back while unlink() ran: nothing was scheduled after it.
    expect(r.channel.view().connection.reconnectAt).toBeNull();
    expect(r.fake.sockets).toHaveLength(2);
    expect(count(r.db, 'SELECT COUNT(*) AS n FROM linked_device_auth')).toBe(0);
  });
});

describe('linked device: session at rest', () => {
  it('resumes after a restart from SQLite: same credentials and keys, no QR', async () => {
    const dir = tempDir();
    const r = rig({ dir });
    const s = await linked(r);
    const creds = s.config.auth.creds;
    const preKey = await s.readKey('pre-key', '1');
    const session = await s.readKey('session', `${CLINIC}.0`);
    expect(preKey?.private).toBeInstanceOf(Uint8Array);
    r.close();

    const again = rig({ dir });
    // A socket at once, from the stored session: nobody has to scan anything.
    const resumed = await again.fake.opened(1);
    expect(resumed.config.auth.creds.me?.id).toBe(creds.me?.id);
    expect(Buffer.from(resumed.config.auth.creds.noiseKey.private).equals(Buffer.from(creds.noiseKey.private))).toBe(true);
    expect(Buffer.from(resumed.config.auth.creds.signedIdentityKey.private).equals(Buffer.from(creds.signedIdentityKey.private))).toBe(true);
    // As with Baileys' own stores, protobuf fields come back in their JSON form; what matters is the same encoding.
    const encoded = (a: typeof creds.account) => Buffer.from(proto.ADVSignedDeviceIdentity.encode(a ?? {}).finish());
    expect(encoded(resumed.config.auth.creds.account).equals(encoded(creds.account))).toBe(true);
    expect(resumed.config.auth.creds.nextPreKeyId).toBe(2);
    expect(Buffer.from((await resumed.readKey('pre-key', '1'))?.private ?? []).equals(Buffer.from(preKey?.private ?? []))).toBe(true);
    expect(Buffer.from((await resumed.readKey('session', `${CLINIC}.0`)) ?? []).equals(Buffer.from(session ?? []))).toBe(true);
    // Baileys reads app-state keys as protobuf objects.
    const appKey = await resumed.readKey('app-state-sync-key', 'AAAAAF1x');
    expect(appKey).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
    expect(appKey?.keyData).toHaveLength(32);
    expect(await resumed.readKey('pre-key', '999')).toBeUndefined();
    resumed.open();
    expect(again.channel.view().connection.state).toBe('open');
    expect(again.events.some((e) => e.type === 'changed' && e.view.connection.state === 'qr')).toBe(false);
  });

  it('knows the linked number while a stored session reconnects, before WhatsApp answers', async () => {
    const dir = tempDir();
    const r = rig({ dir });
    await linked(r);
    r.close();

    const again = rig({ dir });
    await again.fake.opened(1);
    // Not open yet (no network, say): the screen must still tell this phone from one that was never linked.
    expect(again.channel.view().connection.state).toBe('connecting');
    expect(again.channel.view().connection.phone).toBe(`+${CLINIC}`);
  });

  it('writes the credentials with every key write, so a crash before creds.update cannot split them', async () => {
    const r = rig();
    const s = await linked(r);
    // Baileys moves its pre-key counters and stores the new pre-keys together; the process may die before the
    // creds.update handler runs. The key write already carries the counters.
    s.config.auth.creds.nextPreKeyId = 31;
    s.config.auth.creds.firstUnuploadedPreKeyId = 31;
    await s.config.auth.keys.set({ 'pre-key': { '30': { public: Buffer.alloc(32, 1), private: Buffer.alloc(32, 2) } } });
    r.close();
    const again = rig({ dir: r.dir });
    await again.fake.opened(1);
    expect(again.fake.latest().config.auth.creds.nextPreKeyId).toBe(31);
    expect((await again.fake.latest().readKey('pre-key', '30'))?.private).toEqual(Buffer.alloc(32, 2));
  });

  it('writes credentials and keys in one transaction: a failed write leaves neither', async () => {
    const r = rig();
    const s = await linked(r);
    r.db.exec(`CREATE TEMP TRIGGER full_disk BEFORE INSERT ON linked_device_auth WHEN NEW.kind = 'session'
      BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
    s.config.auth.creds.nextPreKeyId = 77;
    await expect(
      s.config.auth.keys.set({
        'pre-key': { '76': { public: Buffer.alloc(32, 3), private: Buffer.alloc(32, 4) } },
        session: { '51900000009.0': Buffer.alloc(16, 5) },
      }),
    ).rejects.toThrow(/disk is full/);
    r.close();
    const again = rig({ dir: r.dir });
    await again.fake.opened(1);
    expect(again.fake.latest().config.auth.creds.nextPreKeyId).toBe(2);
    expect(await again.fake.latest().readKey('pre-key', '76')).toBeUndefined();
  });

  it('deletes a key Baileys sets to null, in the same write as the credentials', async () => {
    const r = rig();
    const s = await linked(r);
    await s.config.auth.keys.set({ 'pre-key': { '1': null } });
    r.close();
    const again = rig({ dir: r.dir });
    await again.fake.opened(1);
    expect(await again.fake.latest().readKey('pre-key', '1')).toBeUndefined();
    expect(await again.fake.latest().readKey('session', `${CLINIC}.0`)).toBeDefined();
  });

  it('keeps credentials and keys encrypted: no clear bytes in the database files', async () => {
    const dir = tempDir();
    const r = rig({ dir, box: keyFileBox(dir) });
    const s = await linked(r);
    const creds = s.config.auth.creds;
    const session = (await s.readKey('session', `${CLINIC}.0`)) ?? new Uint8Array();
    const needles = [
      Buffer.from(creds.noiseKey.private),
      Buffer.from(Buffer.from(creds.noiseKey.private).toString('base64')),
      Buffer.from(Buffer.from(creds.signedIdentityKey.private).toString('base64')),
      Buffer.from(creds.advSecretKey),
      Buffer.from(session).subarray(0, 24),
      Buffer.from(Buffer.from(session).toString('base64').slice(0, 24)),
      Buffer.from('noiseKey'),
      Buffer.from('signedIdentityKey'),
      // Even the key ids (which contacts have sessions) are keyed hashes.
      Buffer.from(`${CLINIC}.0`),
    ];
    const files = () => readdirSync(dir).filter((f) => f.startsWith('avisa.sqlite'));
    const check = () => {
      for (const f of files()) {
        const bytes = readFileSync(join(dir, f));
        for (const needle of needles) expect(bytes.includes(needle), `${f} holds ${needle.toString('hex').slice(0, 16)}…`).toBe(false);
      }
    };
    check();
    r.db.pragma('wal_checkpoint(TRUNCATE)');
    r.close();
    check();
    // The same files with another key do not open: the channel starts unlinked and says why (see below).
  });
});

describe('linked device: sending', () => {
  it('sends text to the phone jid with an id derived from ours, and the outbox records it', async () => {
    const r = rig();
    const s = await linked(r);
    const id = enqueue(r, { body: 'Su resultado está listo.' });
    const outcome = await dispatch(r, id);
    expect(outcome.ok).toBe(true);
    const sent = s.sent[0];
    expect(sent?.jid).toBe(PATIENT_JID);
    expect(sent?.content).toEqual({ text: 'Su resultado está listo.', linkPreview: null });
    expect(outcome.ok && outcome.providerId).toBe(sent?.options?.messageId);
    expect(sent?.options?.messageId).toMatch(/^3EB0[0-9A-F]{18}$/);
    expect(getMessage(r.db, id)).toMatchObject({ state: 'sent', providerId: sent?.options?.messageId });
    // WhatsApp's retry requests get the same content back.
    const again = await s.config.getMessage?.({ remoteJid: PATIENT_JID, id: sent?.options?.messageId ?? '', fromMe: true });
    expect(again?.extendedTextMessage?.text).toBe('Su resultado está listo.');
  });

  it('sends a PDF as a document with its mimetype, file name and caption', async () => {
    const r = rig();
    const s = await linked(r);
    const path = join(r.dir, 'resultado.pdf');
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    writeFileSync(path, pdf);
    const id = enqueue(r, { kind: 'result', body: 'Su resultado de laboratorio', documentPath: path, documentFilename: 'resultado.pdf' });
    expect((await dispatch(r, id)).ok).toBe(true);
    const content = s.sent[0]?.content;
    expect(content).toMatchObject({ mimetype: 'application/pdf', fileName: 'resultado.pdf', caption: 'Su resultado de laboratorio' });
    expect(content && 'document' in content && Buffer.isBuffer(content.document) && content.document.equals(pdf)).toBe(true);
  });

  it('refuses a file that is not a PDF, or is missing, as permanent failures', async () => {
    const r = rig();
    const s = await linked(r);
    const path = join(r.dir, 'roto.pdf');
    writeFileSync(path, '<html>not a pdf</html>');
    const bad = enqueue(r, { documentPath: path, documentFilename: 'roto.pdf' });
    expect(await dispatch(r, bad)).toMatchObject({ ok: false, code: 'not_pdf', failure: 'permanent' });
    const missing = enqueue(r, { documentPath: join(r.dir, 'nada.pdf'), documentFilename: 'nada.pdf' });
    expect(await dispatch(r, missing)).toMatchObject({ ok: false, code: 'document_missing', failure: 'permanent' });
    expect(s.sent).toHaveLength(0);
  });

  it('offers a reminder’s options as a numbered list, since buttons do not render on linked devices', async () => {
    const r = rig();
    const s = await linked(r);
    const id = enqueue(r, {
      body: 'Le recordamos su cita mañana a las 09:00.',
      buttons: [
        { id: 'CONFIRM:12', title: 'Confirmar' },
        { id: 'CANCEL:12', title: 'Cancelar' },
      ],
    });
    await dispatch(r, id);
    expect(s.sent[0]?.content).toEqual({
      text: 'Le recordamos su cita mañana a las 09:00.\n\nResponda con el número de su opción:\n1. Confirmar\n2. Cancelar',
      linkPreview: null,
    });
  });

  it('retries a send that threw with the same WhatsApp id, so a duplicate is impossible', async () => {
    const r = rig();
    const s = await linked(r);
    const id = enqueue(r);
    s.failNextSend = new Boom('Connection Closed', { statusCode: DisconnectReason.connectionClosed });
    expect(await dispatch(r, id)).toMatchObject({ ok: false, failure: 'transient', code: 'linked_device_send' });
    expect(stateOf(r, id)).toBe('queued');
    const second = await dispatch(r, id);
    expect(second.ok).toBe(true);
    const row = r.db.prepare('SELECT COUNT(*) AS n FROM linked_device_sent WHERE message_id = ?').get(id) as { n: number };
    expect(row.n).toBe(1);
    expect(second.ok && second.providerId).toMatch(/^3EB0/);
  });

  it('does not send while disconnected: a person must link (account), reconnecting waits (transient)', async () => {
    const r = rig();
    const id = enqueue(r);
    expect(await dispatch(r, id)).toMatchObject({ ok: false, failure: 'account', code: 'linked_device_disconnected' });
    const s = await linked(r);
    s.close(DisconnectReason.connectionLost);
    expect(await dispatch(r, id)).toMatchObject({ ok: false, failure: 'transient', code: 'linked_device_connecting' });
    expect(r.channel.admit({ id, toPhone: PATIENT })).toMatchObject({ ok: false, notBefore: null });
  });

  it('checks each number on WhatsApp once, alone, inside its paced send (bulk checks get numbers banned)', async () => {
    const r = rig();
    const s = await linked(r);
    for (let i = 0; i < 3; i++) await dispatch(r, enqueue(r, { toPhone: `+5198765430${i}` }));
    await dispatch(r, enqueue(r, { toPhone: '+51987654300' }));
    expect(s.sent).toHaveLength(4);
    expect(s.onWhatsAppCalls).toEqual([['51987654300@s.whatsapp.net'], ['51987654301@s.whatsapp.net'], ['51987654302@s.whatsapp.net']]);
  });
});

describe('linked device: through the real dispatcher', () => {
  it('queued → sent → delivered → read, and a spike of failures pauses the whole queue as an account problem', async () => {
    const r = rig({ now: Date.now, budget: { failureThreshold: 2 } });
    const s = await linked(r);
    const problems: string[] = [];
    let paused = false;
    // Each pass first asks which channels are ready: the sign that it has looked at the queue.
    let readyAsked = 0;
    const dispatcher = createDispatcher({
      db: r.db,
      outbox: r.outbox,
      ...throughOneChannel(() => {
        readyAsked += 1;
        return r.channel.ready() ? r.channel : null;
      }),
      isPaused: () => paused,
      now: Date.now,
      maxPerSecond: () => 0,
      dailyCap: () => 0,
      dayOf: (at) => new Date(at).toISOString().slice(0, 10),
      nextDayStart: (at) => at + DAY,
      maxInFlight: 4,
      maxAttempts: 3,
      backoffMs: () => 10,
      onAccountProblem: (code) => {
        problems.push(code);
        paused = true;
      },
    });
    try {
      const a = enqueue(r, { body: 'Su resultado está listo' });
      dispatcher.wake();
      await until(() => stateOf(r, a) === 'sent');
      const pid = getMessage(r.db, a)?.providerId ?? '';
      s.status(pid, proto.WebMessageInfo.Status.DELIVERY_ACK);
      s.status(pid, proto.WebMessageInfo.Status.READ);
      await r.channel.settled();
      expect(stateOf(r, a)).toBe('read');

      const [b, c] = [enqueue(r), enqueue(r)];
      dispatcher.wake();
      await until(() => stateOf(r, b) === 'sent' && stateOf(r, c) === 'sent');
      for (const id of [b, c]) s.status(getMessage(r.db, id)?.providerId ?? '', proto.WebMessageInfo.Status.ERROR, { stub: ['463'] });
      await r.channel.settled();
      expect(r.channel.ready()).toBe(false);
      const d = enqueue(r);
      const asked = readyAsked;
      dispatcher.wake();
      await until(() => readyAsked > asked);
      expect(stateOf(r, d)).toBe('queued');
      expect(s.sent).toHaveLength(3);
      r.channel.resume();
      dispatcher.wake();
      await until(() => stateOf(r, d) === 'sent');
      expect(problems).toEqual([]);
    } finally {
      await dispatcher.stop();
    }
  });
});

describe('linked device: receipts', () => {
  it('maps server ack → sent, delivery ack → delivered, read/played → read, in any order, forward only', async () => {
    const r = rig();
    const s = await linked(r);
    const [a, b, c] = [enqueue(r), enqueue(r), enqueue(r)];
    for (const id of [a, b, c]) await dispatch(r, id);
    const pid = (id: number) => getMessage(r.db, id)?.providerId ?? '';
    const S = proto.WebMessageInfo.Status;

    // a: read arrives first, then the older news.
    s.status(pid(a), S.READ, { timestampS: 1_741_014_000 });
    s.status(pid(a), S.DELIVERY_ACK);
    s.status(pid(a), S.SERVER_ACK);
    s.status(pid(a), S.PENDING);
    // b: the usual order, through per-user receipts.
    s.userReceipt(pid(b), 'delivered');
    s.status(pid(b), S.SERVER_ACK);
    // c: a voice-note style "played".
    s.status(pid(c), S.PLAYED);
    await r.channel.settled();

    expect(stateOf(r, a)).toBe('read');
    expect(getMessage(r.db, a)?.readAt).toBe(1_741_014_000_000);
    expect(getMessage(r.db, a)?.deliveredAt).not.toBeNull();
    expect(messageEvents(r.db, a).map((e) => e.state)).toEqual(['queued', 'sending', 'sent', 'read']);
    expect(stateOf(r, b)).toBe('delivered');
    expect(stateOf(r, c)).toBe('read');
    s.userReceipt(pid(b), 'read');
    await r.channel.settled();
    expect(stateOf(r, b)).toBe('read');
  });

  it('marks a message failed with WhatsApp’s code when an error status arrives (463)', async () => {
    const r = rig();
    const s = await linked(r);
    const id = enqueue(r);
    await dispatch(r, id);
    s.status(getMessage(r.db, id)?.providerId ?? '', proto.WebMessageInfo.Status.ERROR, { stub: ['463', 'Your account has been restricted'] });
    await r.channel.settled();
    expect(getMessage(r.db, id)).toMatchObject({ state: 'failed', lastErrorCode: '463' });
    expect(getMessage(r.db, id)?.lastErrorReason).toMatch(/463/);
  });

  it('settles a message a crash left in `sending`: the status finds it by the id written before the send', async () => {
    const r = rig();
    const s = await linked(r);
    const id = enqueue(r);
    r.outbox.move(id, 'sending', { countAttempt: true });
    const row = dispatchRowOf(r.db, id);
    if (!row) throw new Error('no row');
    const outcome = await r.channel.send(row);
    // The process dies here: the outbox never learns the provider id.
    expect(getMessage(r.db, id)?.providerId).toBeNull();
    s.status(outcome.ok ? outcome.providerId : '', proto.WebMessageInfo.Status.DELIVERY_ACK);
    await r.channel.settled();
    expect(getMessage(r.db, id)).toMatchObject({ state: 'delivered', providerId: outcome.ok ? outcome.providerId : 'x' });
    expect(r.statuses[0]?.ourId).toBe(id);
  });
});

describe('linked device: replies', () => {
  async function reminderSent(r: Rig) {
    const s = await linked(r);
    const patient = r.db
      .prepare(
        `INSERT INTO patients (first_names, last_names, document_type, document_number, phone_e164, created_at, updated_at)
         VALUES ('Ana', 'Quispe', 'DNI', '40000001', ?, 0, 0)`,
      )
      .run(PATIENT).lastInsertRowid;
    const id = enqueue(r, {
      patientId: Number(patient),
      buttons: [
        { id: 'CONFIRM:7', title: 'Confirmar' },
        { id: 'CANCEL:7', title: 'Cancelar' },
      ],
    });
    await dispatch(r, id);
    return { s, id, patientId: Number(patient) };
  }
  const replyRows = (db: Db) =>
    db.prepare('SELECT provider_message_id AS pid, message_id AS messageId, patient_id AS patientId, from_phone AS phone, body FROM replies ORDER BY id').all() as {
      pid: string;
      messageId: number | null;
      patientId: number | null;
      phone: string;
      body: string;
    }[];

  it('matches a reply from a phone jid to the reminder and the patient, with the chosen option', async () => {
    const r = rig();
    const { s, id, patientId } = await reminderSent(r);
    s.receive({ from: PATIENT_JID, text: 'Sí, confirmo', id: 'IN-1' });
    await r.channel.settled();
    expect(replyRows(r.db)).toEqual([{ pid: 'IN-1', messageId: id, patientId, phone: PATIENT, body: 'Sí, confirmo' }]);
    expect(r.replies[0]?.payload).toBe('CONFIRM:7');
    s.receive({ from: PATIENT_JID, text: '2', id: 'IN-2' });
    await r.channel.settled();
    expect(r.replies[1]?.payload).toBe('CANCEL:7');
  });

  it('matches a reply from an @lid jid through remoteJidAlt, and keeps the mapping', async () => {
    const r = rig();
    const { s, id, patientId } = await reminderSent(r);
    s.receive({ from: `${PATIENT_LID}@lid`, alt: PATIENT_JID, text: '1', id: 'IN-L1' });
    await r.channel.settled();
    expect(replyRows(r.db)).toEqual([{ pid: 'IN-L1', messageId: id, patientId, phone: PATIENT, body: '1' }]);
    // Later replies from the same LID without the alternate id still match.
    s.receive({ from: `${PATIENT_LID}:3@lid`, text: 'gracias', id: 'IN-L2' });
    await r.channel.settled();
    expect(replyRows(r.db).at(-1)).toMatchObject({ pid: 'IN-L2', messageId: id, patientId, phone: PATIENT });
  });

  it('matches an @lid reply through a lid-mapping.update seen before', async () => {
    const r = rig();
    const { s, id } = await reminderSent(r);
    s.ev.emit('lid-mapping.update', { lid: `${PATIENT_LID}@lid`, pn: PATIENT_JID });
    s.receive({ from: `${PATIENT_LID}@lid`, text: 'No', id: 'IN-M1' });
    await r.channel.settled();
    expect(replyRows(r.db)[0]).toMatchObject({ messageId: id, phone: PATIENT });
    expect(r.replies[0]?.payload).toBe('CANCEL:7');
  });

  it('asks Baileys’ own LID store when Avisa has no mapping yet', async () => {
    const r = rig();
    const { s, id } = await reminderSent(r);
    s.lidStore.set(PATIENT_LID, PATIENT.slice(1));
    s.receive({ from: `${PATIENT_LID}@lid`, text: 'confirmo', id: 'IN-B1' });
    await r.channel.settled();
    expect(replyRows(r.db)[0]).toMatchObject({ messageId: id, phone: PATIENT });
  });

  it('keeps an @lid reply with no known phone until the mapping arrives, then delivers it once', async () => {
    const r = rig();
    const { s, id } = await reminderSent(r);
    s.receive({ from: `${PATIENT_LID}@lid`, text: 'Sí', id: 'IN-P1' });
    await r.channel.settled();
    expect(replyRows(r.db)).toHaveLength(0);
    expect(r.channel.view().pendingReplies).toBe(1);
    s.mapLid(PATIENT_LID, PATIENT.slice(1));
    await r.channel.settled();
    expect(replyRows(r.db)).toEqual([expect.objectContaining({ pid: 'IN-P1', messageId: id, phone: PATIENT, body: 'Sí' })]);
    expect(r.replies[0]?.payload).toBe('CONFIRM:7');
    expect(r.channel.view().pendingReplies).toBe(0);
    s.mapLid(PATIENT_LID, PATIENT.slice(1));
    await r.channel.settled();
    expect(replyRows(r.db)).toHaveLength(1);
  });

  it('stores a duplicated event once, even across a restart', async () => {
    const r = rig();
    const { s } = await reminderSent(r);
    const m = s.receive({ from: PATIENT_JID, text: 'Sí', id: 'IN-D1' });
    if (!m) throw new Error('not delivered');
    s.ev.emit('messages.upsert', { messages: [m], type: 'notify' });
    await r.channel.settled();
    expect(replyRows(r.db)).toHaveLength(1);
    r.close();
    const again = rig({ dir: r.dir });
    (await again.fake.opened(1)).open();
    again.fake.latest().ev.emit('messages.upsert', { messages: [m], type: 'notify' });
    await again.channel.settled();
    expect(replyRows(again.db)).toHaveLength(1);
  });

  it('links a quoted reply to the message it quotes, not just the latest one', async () => {
    const r = rig();
    const { s, id } = await reminderSent(r);
    const later = enqueue(r, { body: 'Otro aviso' });
    await dispatch(r, later);
    s.receive({ from: PATIENT_JID, text: 'Sí', quotedId: getMessage(r.db, id)?.providerId ?? '', id: 'IN-Q1' });
    await r.channel.settled();
    expect(replyRows(r.db)[0]?.messageId).toBe(id);
    expect(r.replies[0]?.payload).toBe('CONFIRM:7');
  });

  it('ignores our own messages and groups, and only counts offline messages older than the limit', async () => {
    const r = rig();
    const { s } = await reminderSent(r);
    s.ev.emit('messages.upsert', {
      type: 'notify',
      messages: [
        { key: { remoteJid: PATIENT_JID, fromMe: true, id: 'OWN-1' }, message: { conversation: 'escrito en el teléfono' } },
        { key: { remoteJid: '120363025246125486@g.us', participant: PATIENT_JID, fromMe: false, id: 'G-1' }, message: { conversation: 'Sí' } },
      ],
    });
    const monthAgo = Math.floor((r.clock.t - 30 * DAY) / 1000);
    s.receive({ from: '51900000001@s.whatsapp.net', text: 'hola de hace un mes', id: 'OLD-1', type: 'append', timestampS: monthAgo });
    await r.channel.settled();
    expect(replyRows(r.db)).toHaveLength(0);
    expect(count(r.db, `SELECT COUNT(*) AS n FROM linked_device_contacts WHERE phone = '+51900000001'`)).toBe(1);
    expect(r.channel.view().oldOfflineReplies).toBe(1);
  });
});

describe('linked device: ban-risk budget', () => {
  it('pauses on a spike of failures, refuses sends until a person resumes, and survives a restart', async () => {
    const r = rig({ budget: { failureThreshold: 3, failureWindowMs: 600_000 } });
    const s = await linked(r);
    const ids = [enqueue(r), enqueue(r), enqueue(r)];
    for (const id of ids) await dispatch(r, id);
    for (const id of ids) s.status(getMessage(r.db, id)?.providerId ?? '', proto.WebMessageInfo.Status.ERROR, { stub: ['463'] });
    // The same failure reported twice counts once.
    s.status(getMessage(r.db, ids[0] ?? 0)?.providerId ?? '', proto.WebMessageInfo.Status.ERROR, { stub: ['463'] });
    await r.channel.settled();
    const alerts = r.events.filter((e) => e.type === 'alert' && e.alert === 'paused');
    expect(alerts).toHaveLength(1);
    expect(r.channel.view().budget.pause?.code).toBe('failure_spike');
    expect(r.channel.view().budget.recentFailures).toBe(3);
    expect(r.channel.view().budget.reason).toMatch(/pausa.*3 mensajes/);
    expect(r.channel.health()).toMatchObject({ state: 'paused', code: 'linked_device_paused' });
    expect(r.channel.ready()).toBe(false);

    const next = enqueue(r);
    expect(r.channel.admit({ id: next, toPhone: PATIENT })).toMatchObject({ ok: false, notBefore: null });
    expect(await dispatch(r, next)).toMatchObject({ ok: false, failure: 'account', code: 'linked_device_paused' });
    expect(s.sent).toHaveLength(3);

    r.close();
    const again = rig({ dir: r.dir, budget: { failureThreshold: 3, failureWindowMs: 600_000 } });
    (await again.fake.opened(1)).open();
    expect(again.channel.view().budget.pause?.code).toBe('failure_spike');
    again.channel.resume();
    expect(again.events.some((e) => e.type === 'ready')).toBe(true);
    expect(again.channel.view().budget.pause).toBeNull();
    expect(again.channel.view().budget.recentFailures).toBe(0);
    expect((await dispatch(again, next)).ok).toBe(true);
  });

  it('does not pause for failures spread beyond the window', async () => {
    const r = rig({ budget: { failureThreshold: 2, failureWindowMs: 60_000 } });
    const s = await linked(r);
    const [a, b] = [enqueue(r), enqueue(r)];
    await dispatch(r, a);
    await dispatch(r, b);
    s.status(getMessage(r.db, a)?.providerId ?? '', proto.WebMessageInfo.Status.ERROR, { stub: ['479'] });
    await r.channel.settled();
    r.clock.t += 120_000;
    s.status(getMessage(r.db, b)?.providerId ?? '', proto.WebMessageInfo.Status.ERROR, { stub: ['479'] });
    await r.channel.settled();
    expect(r.channel.view().budget.pause).toBeNull();
  });

  it('stops at the daily cap and resumes the next local day', async () => {
    const r = rig({ budget: { dailyCap: 2 } });
    const s = await linked(r);
    await dispatch(r, enqueue(r));
    await dispatch(r, enqueue(r));
    const third = enqueue(r);
    const nextDay = Math.floor(r.clock.t / DAY) * DAY + DAY;
    expect(r.channel.admit({ id: third, toPhone: PATIENT })).toMatchObject({ ok: false, code: 'linked_device_daily_cap', notBefore: nextDay });
    expect(await dispatch(r, third)).toMatchObject({ ok: false, failure: 'transient', retryAfterMs: nextDay - r.clock.t });
    expect(r.channel.view().budget).toMatchObject({ sent: 2, dailyCap: 2 });
    expect(r.channel.view().budget.reason).toMatch(/límite diario de 2/);
    expect(s.sent).toHaveLength(2);
    r.clock.t = nextDay + 1;
    expect(r.channel.admit({ id: third, toPhone: PATIENT })).toEqual({ ok: true });
    expect((await dispatch(r, third)).ok).toBe(true);
    expect(r.channel.view().budget.sent).toBe(1);
  });

  it('caps messages to people who never wrote, but not to those who did', async () => {
    const r = rig({ budget: { firstContactDailyCap: 1 } });
    const s = await linked(r);
    expect((await dispatch(r, enqueue(r, { toPhone: '+51900000001' }))).ok).toBe(true);
    const stranger = enqueue(r, { toPhone: '+51900000002' });
    expect(await dispatch(r, stranger)).toMatchObject({ ok: false, code: 'linked_device_first_contact_cap', failure: 'transient' });
    s.receive({ from: '51900000003@s.whatsapp.net', text: 'Hola, quisiera una cita', id: 'W-1' });
    await r.channel.settled();
    expect((await dispatch(r, enqueue(r, { toPhone: '+51900000003' }))).ok).toBe(true);
    expect(r.channel.view().budget).toMatchObject({ sent: 2, firstContacts: 1 });
    expect(s.sent.map((m) => m.jid)).toEqual(['51900000001@s.whatsapp.net', '51900000003@s.whatsapp.net']);
  });

  it('pauses while WhatsApp holds a reach-out time lock, and lifts it when the lock ends', async () => {
    const r = rig();
    const s = await linked(r);
    const ends = new Date(r.clock.t + 3_600_000);
    s.update({ reachoutTimeLock: { isActive: true, timeEnforcementEnds: ends } });
    const id = enqueue(r);
    expect(r.channel.admit({ id, toPhone: PATIENT })).toMatchObject({ ok: false, notBefore: ends.getTime() });
    expect(await dispatch(r, id)).toMatchObject({ ok: false, failure: 'transient', retryAfterMs: 3_600_000 });
    expect(r.events.some((e) => e.type === 'alert' && e.alert === 'paused')).toBe(true);
    s.update({ reachoutTimeLock: { isActive: false } });
    expect(r.channel.view().budget.pause).toBeNull();
    expect((await dispatch(r, id)).ok).toBe(true);
  });

  it('spaces sends by a random human-like gap, one at a time', async () => {
    const r = rig({ now: Date.now, budget: { minGapMs: 60, maxGapMs: 120 } });
    const s = await linked(r);
    const ids = [enqueue(r), enqueue(r), enqueue(r)];
    for (const id of ids) r.outbox.move(id, 'sending');
    const started = Date.now();
    await Promise.all(ids.map((id) => r.channel.send(dispatchRowOf(r.db, id) as OutgoingMessage)));
    const times = s.sent.map((m) => m.at);
    expect(times).toHaveLength(3);
    for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(55);
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
  });

  it('lets the dispatcher keep a message queued until its slot (admit) instead of waiting in `sending`', async () => {
    const r = rig({ now: Date.now, budget: { minGapMs: 5_000, maxGapMs: 5_000 } });
    await linked(r);
    const [a, b] = [enqueue(r), enqueue(r)];
    expect(r.channel.admit({ id: a, toPhone: PATIENT })).toEqual({ ok: true });
    const refused = r.channel.admit({ id: b, toPhone: PATIENT });
    expect(refused).toMatchObject({ ok: false, code: 'linked_device_pacing' });
    expect(refused.ok === false && refused.notBefore).toBeGreaterThanOrEqual(Date.now() + 4_900);
    // The admitted one goes at once.
    const t0 = Date.now();
    expect((await dispatch(r, a)).ok).toBe(true);
    expect(Date.now() - t0).toBeLessThan(1_000);
  });
});
