import { Boom } from '@hapi/boom';
import { DisconnectReason, proto } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { defaultBudget, isSpike, judge, randomGapMs, warmupOf } from '../../src/main/core/channels/linked-device/budget';
import { lidOfJid, phoneJid, phoneOfJid } from '../../src/main/core/channels/linked-device/jid';
import { looksLikePdf, withNumberedOptions } from '../../src/main/core/channels/linked-device/message-content';
import { pacer } from '../../src/main/core/channels/linked-device/pacer';
import { receiptsFromUpdates, receiptsFromUserReceipts, stateOfStatus } from '../../src/main/core/channels/linked-device/receipts';
import { backoffMs, closeAction, closeReasonName, statusCodeOf } from '../../src/main/core/channels/linked-device/reconnect';
import { chosenOption, extractReply, parseReply } from '../../src/main/core/channels/linked-device/replies';
import { sessionSealer } from '../../src/main/core/channels/linked-device/sealer';
import { openDatabase } from '../../src/main/core/store/db';
import { tempDir, testBox } from '../helpers/temp';

describe('reply parsing', () => {
  const cases: [string, ReturnType<typeof parseReply>][] = [
    ['sí', 'confirm'],
    ['Si', 'confirm'],
    ['SÍ!!', 'confirm'],
    ['Sí, confirmo', 'confirm'],
    ['confirmo la cita, gracias doctora', 'confirm'],
    ['1', 'confirm'],
    ['1️⃣', 'confirm'],
    ['no', 'cancel'],
    ['No, gracias', 'cancel'],
    ['cancelar', 'cancel'],
    ['2', 'cancel'],
    ['BAJA', 'opt_out'],
    ['baja', 'opt_out'],
    ['STOP', 'opt_out'],
    ['Quiero darme de baja por favor', 'opt_out'],
    ['Tengo la presión baja', 'unknown'],
    ['Sí pero no puedo a esa hora', 'unknown'],
    ['No podré ir, ¿puedo reprogramar?', 'unknown'],
    ['3', 'unknown'],
    ['', 'unknown'],
    ['👍', 'unknown'],
  ];
  for (const [text, intent] of cases) {
    it(`"${text}" → ${intent}`, () => expect(parseReply(text)).toBe(intent));
  }

  it('picks the offered option by number or by meaning', () => {
    const options = [
      { id: 'CONFIRM:9', title: 'Confirmar' },
      { id: 'RESCHEDULE:9', title: 'Reprogramar' },
      { id: 'CANCEL:9', title: 'Cancelar' },
    ];
    expect(chosenOption('2', options)).toBe('RESCHEDULE:9');
    expect(chosenOption('3️⃣', options)).toBe('CANCEL:9');
    expect(chosenOption('Sí', options)).toBe('CONFIRM:9');
    expect(chosenOption('no', options)).toBe('CANCEL:9');
    expect(chosenOption('4', options)).toBeUndefined();
    expect(chosenOption('gracias', options)).toBeUndefined();
    expect(chosenOption('1', [])).toBeUndefined();
  });
});

describe('text extraction from Baileys message shapes', () => {
  it('reads plain, extended (with the quoted id), and wrapped messages', () => {
    expect(extractReply({ conversation: ' Sí ' })).toEqual({ text: 'Sí', kind: 'text' });
    expect(extractReply({ extendedTextMessage: { text: 'confirmo', contextInfo: { stanzaId: '3EB0AA' } } })).toEqual({
      text: 'confirmo',
      kind: 'text',
      quotedId: '3EB0AA',
    });
    expect(extractReply({ ephemeralMessage: { message: { conversation: 'no' } } })).toEqual({ text: 'no', kind: 'text' });
    expect(extractReply({ viewOnceMessageV2: { message: { imageMessage: { caption: 'mi receta' } } } })).toEqual({
      text: 'mi receta',
      kind: 'image',
    });
  });

  it('reads button, template button and list answers with their ids', () => {
    expect(
      extractReply({ buttonsResponseMessage: { selectedButtonId: 'CONFIRM:3', selectedDisplayText: 'Confirmar', contextInfo: { stanzaId: 'Q1' } } }),
    ).toEqual({ text: 'Confirmar', kind: 'button', payload: 'CONFIRM:3', quotedId: 'Q1' });
    expect(extractReply({ templateButtonReplyMessage: { selectedId: 'CANCEL:3', selectedDisplayText: 'Cancelar' } })).toEqual({
      text: 'Cancelar',
      kind: 'button',
      payload: 'CANCEL:3',
    });
    expect(extractReply({ listResponseMessage: { title: 'Reprogramar', singleSelectReply: { selectedRowId: 'RESCHEDULE:3' } } })).toEqual({
      text: 'Reprogramar',
      kind: 'list',
      payload: 'RESCHEDULE:3',
    });
  });

  it('keeps reactions and media, and skips protocol messages', () => {
    expect(extractReply({ reactionMessage: { text: '👍', key: { id: '3EB0BB' } } })).toEqual({ text: '👍', kind: 'reaction', quotedId: '3EB0BB' });
    expect(extractReply({ reactionMessage: { text: '', key: { id: '3EB0BB' } } })).toBeNull();
    expect(extractReply({ audioMessage: { seconds: 4 } })).toEqual({ text: '', kind: 'audio' });
    expect(extractReply({ documentWithCaptionMessage: { message: { documentMessage: { caption: 'análisis' } } } })).toEqual({
      text: 'análisis',
      kind: 'document',
    });
    expect(extractReply({ protocolMessage: { type: proto.Message.ProtocolMessage.Type.REVOKE } })).toBeNull();
    expect(extractReply({ senderKeyDistributionMessage: { groupId: 'g' } })).toBeNull();
    expect(extractReply(null)).toBeNull();
  });
});

describe('receipt mapping', () => {
  const S = proto.WebMessageInfo.Status;
  it('maps every Baileys status', () => {
    expect(stateOfStatus(S.ERROR)).toBe('failed');
    expect(stateOfStatus(S.PENDING)).toBeNull();
    expect(stateOfStatus(S.SERVER_ACK)).toBe('sent');
    expect(stateOfStatus(S.DELIVERY_ACK)).toBe('delivered');
    expect(stateOfStatus(S.READ)).toBe('read');
    expect(stateOfStatus(S.PLAYED)).toBe('read');
    expect(stateOfStatus(undefined)).toBeNull();
  });

  it('keeps only our own messages, with the receipt time and the error code', () => {
    const events = receiptsFromUpdates(
      [
        { key: { id: 'A', fromMe: true }, update: { status: S.DELIVERY_ACK, messageTimestamp: 1_700_000_000 } },
        { key: { id: 'B', fromMe: false }, update: { status: S.READ } },
        { key: { id: 'C', fromMe: true }, update: { status: S.ERROR, messageStubParameters: ['463', 'Your account has been restricted'] } },
        { key: { id: 'D', fromMe: true }, update: { starred: true } },
      ],
      42,
    );
    expect(events).toEqual([
      { providerId: 'A', state: 'delivered', at: 1_700_000_000_000 },
      { providerId: 'C', state: 'failed', at: 42, errorCode: '463' },
    ]);
    expect(
      receiptsFromUserReceipts(
        [
          { key: { id: 'E', fromMe: true }, receipt: { userJid: 'u', receiptTimestamp: 10 } },
          { key: { id: 'F', fromMe: true }, receipt: { userJid: 'u', receiptTimestamp: 10, readTimestamp: 20 } },
        ],
        1,
      ),
    ).toEqual([
      { providerId: 'E', state: 'delivered', at: 10_000 },
      { providerId: 'F', state: 'read', at: 20_000 },
    ]);
  });
});

describe('close reasons', () => {
  it('only loggedOut ends the session; replaced, 405 and account alerts stop; the rest reconnect', () => {
    const linked = { linked: true, qrShown: false };
    const linking = { linked: false, qrShown: true };
    expect(closeAction(DisconnectReason.loggedOut, linked)).toEqual({ kind: 'logged_out' });
    expect(closeAction(DisconnectReason.connectionReplaced, linked)).toEqual({ kind: 'replaced' });
    // 515 at once only right after pairing; otherwise it backs off like any transient close.
    expect(closeAction(DisconnectReason.restartRequired, { ...linked, justPaired: true })).toEqual({ kind: 'reconnect', immediate: true });
    expect(closeAction(DisconnectReason.restartRequired, linked)).toEqual({ kind: 'reconnect', immediate: false });
    expect(closeAction(405, linked)).toEqual({ kind: 'update_required' });
    for (const code of [402, DisconnectReason.forbidden, 406]) expect(closeAction(code, linked)).toEqual({ kind: 'account_restricted', code });
    // A half-made pairing (code asked, never entered): any close but the post-pairing 515 starts over.
    expect(closeAction(DisconnectReason.loggedOut, { linked: false, qrShown: true, pairing: true })).toEqual({ kind: 'pairing_interrupted' });
    expect(closeAction(DisconnectReason.connectionClosed, { linked: false, qrShown: true, pairing: true })).toEqual({ kind: 'pairing_interrupted' });
    expect(closeAction(DisconnectReason.connectionLost, linked)).toEqual({ kind: 'reconnect', immediate: false });
    expect(closeAction(DisconnectReason.timedOut, linking)).toEqual({ kind: 'qr_expired' });
    // No QR was ever shown (no network while linking): a connection problem, not an expired QR.
    expect(closeAction(DisconnectReason.timedOut, { linked: false, qrShown: false })).toEqual({ kind: 'reconnect', immediate: false });
    for (const code of [
      DisconnectReason.connectionClosed,
      DisconnectReason.badSession,
      DisconnectReason.unavailableService,
      DisconnectReason.multideviceMismatch,
      undefined,
      999,
    ]) {
      expect(closeAction(code, linked)).toEqual({ kind: 'reconnect', immediate: false });
      expect(closeAction(code, linking)).toEqual({ kind: 'reconnect', immediate: false });
    }
  });

  it('reads the Boom status code Baileys puts on a close', () => {
    expect(statusCodeOf(new Boom('x', { statusCode: 440 }))).toBe(440);
    expect(statusCodeOf(new Error('x'))).toBeUndefined();
    expect(statusCodeOf(undefined)).toBeUndefined();
    expect(closeReasonName(408)).toBe('timedOut (408)');
    expect(closeReasonName(401)).toBe('loggedOut (401)');
    expect(closeReasonName(405)).toBe('clientOutdated (405)');
  });

  it('backs off exponentially with jitter, capped', () => {
    const mid = () => 0.5;
    expect(backoffMs(1, mid)).toBe(1_500);
    expect(backoffMs(2, mid)).toBe(3_000);
    expect(backoffMs(5, mid)).toBe(24_000);
    expect(backoffMs(30, mid)).toBe(225_000);
    expect(backoffMs(30, () => 1)).toBe(300_000);
    expect(backoffMs(1, () => 0)).toBe(1_000);
  });
});

describe('budget rules', () => {
  const base = { settings: { ...defaultBudget, dailyCap: 10, firstContactDailyCap: 2 }, now: 1_000, nextDayStart: 86_400_000 };
  it('allows, then refuses by pause, daily cap and first-contact cap', () => {
    expect(judge({ ...base, counts: { sent: 3, firstContacts: 1 }, firstContact: true, pause: null })).toEqual({ ok: true, firstContact: true });
    expect(judge({ ...base, counts: { sent: 10, firstContacts: 0 }, firstContact: false, pause: null })).toMatchObject({
      ok: false,
      code: 'daily_cap',
      until: 86_400_000,
    });
    expect(judge({ ...base, counts: { sent: 3, firstContacts: 2 }, firstContact: true, pause: null })).toMatchObject({ ok: false, code: 'first_contact_cap' });
    expect(judge({ ...base, counts: { sent: 3, firstContacts: 2 }, firstContact: false, pause: null })).toMatchObject({ ok: true });
    const pause = { code: 'failure_spike', detail: null, since: 0, until: null };
    expect(judge({ ...base, counts: { sent: 0, firstContacts: 0 }, firstContact: false, pause })).toMatchObject({ ok: false, code: 'paused', until: null });
    const lapsed = { ...pause, until: 500 };
    expect(judge({ ...base, counts: { sent: 0, firstContacts: 0 }, firstContact: false, pause: lapsed })).toMatchObject({ ok: true });
    const unlimited = { ...base.settings, dailyCap: 0, firstContactDailyCap: 0 };
    expect(judge({ ...base, settings: unlimited, counts: { sent: 1e6, firstContacts: 1e6 }, firstContact: true, pause: null }).ok).toBe(true);
  });

  it('WhatsApp’s quota lowers the first-contact cap but never raises it; the warm-up lowers the daily cap', () => {
    const counts = { sent: 3, firstContacts: 1 };
    expect(judge({ ...base, counts, firstContact: true, pause: null, quota: { total: 5, used: 5 } })).toMatchObject({ ok: false, code: 'first_contact_cap' });
    expect(judge({ ...base, counts, firstContact: false, pause: null, quota: { total: 5, used: 5 } })).toMatchObject({ ok: true });
    expect(judge({ ...base, counts: { sent: 3, firstContacts: 2 }, firstContact: true, pause: null, quota: { total: 100, used: 0 } })).toMatchObject({ ok: false });
    expect(judge({ ...base, counts, firstContact: false, pause: null, dailyCap: 3 })).toMatchObject({ ok: false, code: 'daily_cap' });
  });

  it('warm-up: 30 → 150 over 7 days by default, none for an unknown link date or without a cap', () => {
    const s = { ...defaultBudget, dailyCap: 150 };
    const day = 86_400_000;
    expect(warmupOf(s, 0, 0)).toEqual({ day: 0, days: 7, fullCap: 150, cap: 30 });
    expect(warmupOf(s, 0, day * 3.5)?.cap).toBe(81);
    expect(warmupOf(s, 0, day * 6 + 1)?.cap).toBe(132);
    expect(warmupOf(s, 0, day * 7)).toBeNull();
    expect(warmupOf(s, null, 0)).toBeNull();
    expect(warmupOf({ ...s, dailyCap: 0 }, 0, 0)).toBeNull();
    expect(warmupOf({ ...s, warmupDays: 0 }, 0, 0)).toBeNull();
    expect(warmupOf({ ...s, dailyCap: 20 }, 0, 0)).toBeNull(); // a cap below the start needs no warm-up
  });

  it('sees a spike only within the window, and gaps stay within bounds', () => {
    const s = { ...defaultBudget, failureThreshold: 3, failureWindowMs: 100 };
    expect(isSpike([{ at: 950 }, { at: 960 }, { at: 990 }], s, 1_000)).toBe(true);
    expect(isSpike([{ at: 850 }, { at: 960 }, { at: 990 }], s, 1_000)).toBe(false);
    expect(isSpike([{ at: 990 }, { at: 991 }, { at: 992 }], { ...s, failureThreshold: 0 }, 1_000)).toBe(false);
    expect(randomGapMs({ ...defaultBudget, minGapMs: 8_000, maxGapMs: 25_000 }, () => 0)).toBe(8_000);
    expect(randomGapMs({ ...defaultBudget, minGapMs: 8_000, maxGapMs: 25_000 }, () => 0.999999)).toBe(25_000);
    expect(defaultBudget.minGapMs).toBeGreaterThanOrEqual(5_000);
  });

  it('pacer: a claimed slot goes at once; the next waits for a fresh gap', () => {
    let t = 0;
    const p = pacer({ gapMs: () => 100, now: () => t });
    expect(p.admit(1)).toEqual({ ok: true });
    expect(p.admit(1)).toEqual({ ok: true });
    expect(p.admit(2)).toEqual({ ok: false, at: 100 });
    t = 100;
    expect(p.admit(2)).toEqual({ ok: true });
    expect(p.nextFreeAt()).toBe(200);
  });
});

describe('content and ids', () => {
  it('numbers the options in the message’s own order', () => {
    expect(withNumberedOptions('Hola', [], 'es')).toBe('Hola');
    expect(withNumberedOptions('Hello ', [{ title: 'Confirm' }, { title: 'Cancel' }], 'en')).toBe(
      'Hello\n\nReply with the number of your choice:\n1. Confirm\n2. Cancel',
    );
  });

  it('tells a PDF from something else', () => {
    expect(looksLikePdf(Buffer.from('%PDF-1.7\n...'))).toBe(true);
    expect(looksLikePdf(Buffer.from('\n\n%PDF-1.4'))).toBe(true);
    expect(looksLikePdf(Buffer.from('<html>'))).toBe(false);
  });

  it('converts between phone numbers and jids, and reads LIDs', () => {
    expect(phoneJid('+51987654321')).toBe('51987654321@s.whatsapp.net');
    expect(phoneOfJid('51987654321@s.whatsapp.net')).toBe('+51987654321');
    expect(phoneOfJid('51987654321:7@s.whatsapp.net')).toBe('+51987654321');
    expect(phoneOfJid('123456789012345@lid')).toBeNull();
    expect(phoneOfJid('120363025246125486@g.us')).toBeNull();
    expect(lidOfJid('123456789012345:2@lid')).toBe('123456789012345');
    expect(lidOfJid('51987654321@s.whatsapp.net')).toBeNull();
  });

  it('seals a row so that it opens only under its own name', () => {
    const db = openDatabase(tempDir());
    const sealer = sessionSealer(db, testBox, () => 1);
    const sealed = sealer.seal('{"secret":1}', 'session\u0000a');
    expect(sealer.open(sealed, 'session\u0000a')).toBe('{"secret":1}');
    expect(() => sealer.open(sealed, 'session\u0000b')).toThrow();
    expect(sealer.mac('x').equals(sealer.mac('x'))).toBe(true);
    expect(sealer.mac('x').equals(sealer.mac('y'))).toBe(false);
    // A second sealer on the same store uses the same (wrapped) data key.
    expect(sessionSealer(db, testBox, () => 1).open(sealed, 'session\u0000a')).toBe('{"secret":1}');
  });
});
