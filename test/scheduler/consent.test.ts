import { describe, expect, it } from 'vitest';
import type { MessageKind } from '../../src/shared/domain';
import { applyReplyIntent } from '../../src/main/core/scheduler/reply-intent';
import { consentHistory, getConsentPolicy, setConsentPolicy } from '../../src/main/core/store/consent-repo';
import { insertReply } from '../../src/main/core/store/messages-repo';
import { getPatient } from '../../src/main/core/store/patients-repo';
import { updatePatient } from '../../src/main/core/intake/patients';
import { messageRecord } from '../helpers/fixtures';
import { clinic, type Clinic } from './clinic';
import type { OutgoingMessage } from '../../src/main/core/channels/channel';
import { createDispatcher, throughOneChannel } from '../../src/main/core/outbox/dispatcher';
import { businessMessageGate } from '../../src/main/core/campaigns/send-gate';

const PHONE = '+51987654321';
let n = 0;

function reply(c: Clinic, body: string, messageId: number | null = null) {
  const replyId = insertReply(c.db, { providerMessageId: `in.${++n}`, messageId, patientId: null, fromPhone: PHONE, body, at: c.now() });
  if (replyId === null) throw new Error('duplicate');
  return applyReplyIntent(
    { db: c.db, outbox: c.outbox, planner: c.planner, now: c.now, language: () => 'es' },
    { replyId, messageId, fromPhone: PHONE, body },
  );
}

function queue(c: Clinic, patientId: number, kind: MessageKind): number {
  return c.outbox.enqueue(messageRecord({ kind, idempotencyKey: `${kind}:${patientId}:${++n}`, patientId, notBefore: c.now() + 3_600_000 })).message.id;
}

const stateOf = (c: Clinic, id: number) => (c.db.prepare('SELECT state FROM messages WHERE id = ?').get(id) as { state: string }).state;

function setUp() {
  const c = clinic({ now: '2026-03-02T09:00' });
  const patientId = c.patient({ phone: PHONE, consent: 'opted_in' });
  const apt = c.book({ key: 'a', patientId, startsAt: c.local('2026-03-05T10:00') });
  return { c, patientId, apt };
}

describe('consent: opt-out keywords', () => {
  it.each(['BAJA', 'stop', 'Alto', 'NO MÁS MENSAJES', 'no mas mensajes!!', 'CANCELAR'])(
    '"%s" opts the patient out at once and cancels queued campaigns and follow-ups',
    (keyword) => {
      const { c, patientId, apt } = setUp();
      const campaign = queue(c, patientId, 'campaign');
      const followUp = queue(c, patientId, 'followup');
      const result = queue(c, patientId, 'result');
      // Written to a campaign message: "CANCELAR" there answers no reminder.
      const outcome = reply(c, keyword, campaign);
      expect(outcome).toMatchObject({ intent: 'opt_out', outcome: 'applied' });
      expect(getPatient(c.db, patientId)).toMatchObject({ consent: 'opted_out', consentSource: 'patient_message', consentAt: c.now() });
      expect(stateOf(c, campaign)).toBe('cancelled');
      expect(stateOf(c, followUp)).toBe('cancelled');
      // The default policy: a result the patient is waiting for still goes; reminders do not.
      expect(stateOf(c, result)).toBe('queued');
      expect(c.messages(apt).map((m) => m.state)).toEqual(['cancelled', 'cancelled']);
      const [latest] = consentHistory(c.db, patientId);
      expect(latest).toMatchObject({ status: 'opted_out', source: 'patient_message', actor: 'patient', replyBody: keyword, at: c.now() });
      expect(latest?.note).toBe(`«${keyword}»`);
    },
  );

  it('"CANCELAR" answering a reminder cancels the appointment and leaves consent alone', () => {
    const { c, patientId, apt } = setUp();
    const reminder = c.messages(apt)[0]!;
    expect(reply(c, 'CANCELAR', reminder.id)).toMatchObject({ intent: 'cancel', outcome: 'applied', appointmentId: apt });
    expect(getPatient(c.db, patientId)?.consent).toBe('opted_in');
    expect(c.db.prepare('SELECT status FROM appointments WHERE id = ?').get(apt)).toEqual({ status: 'cancelled' });
  });

  it('"ALTA" opts the patient back in and reminders are planned again; the history keeps every change', () => {
    const { c, patientId, apt } = setUp();
    reply(c, 'BAJA');
    expect(c.messages(apt).map((m) => m.state)).toEqual(['cancelled', 'cancelled']);
    c.setNow(c.now() + 60_000);
    expect(reply(c, 'Alta')).toMatchObject({ intent: 'opt_in', outcome: 'applied' });
    expect(getPatient(c.db, patientId)).toMatchObject({ consent: 'opted_in', consentSource: 'patient_message' });
    // A new occurrence of each slot, queued again.
    expect(c.messages(apt).filter((m) => m.state === 'queued')).toHaveLength(2);
    // The front desk records an opt-out on the form later.
    c.setNow(c.now() + 60_000);
    updatePatient(c.db, { id: patientId, consent: false }, { at: c.now(), language: 'es', defaultCountry: 'PE' });

    const history = consentHistory(c.db, patientId).map((h) => [h.status, h.source, h.actor, h.replyBody]);
    expect(history).toEqual([
      ['opted_out', 'reception_form', 'usuario', null],
      ['opted_in', 'patient_message', 'patient', 'Alta'],
      ['opted_out', 'patient_message', 'patient', 'BAJA'],
      ['opted_in', 'reception_form', 'usuario', null], // registered at the front desk
    ]);
  });

  it('"ALTA" inside a sentence or "dar de baja" are not read as an opt-in', () => {
    const { c, patientId } = setUp();
    expect(reply(c, 'quiero darme de baja').intent).toBe('opt_out');
    expect(reply(c, 'me dieron de alta ayer, gracias').intent).toBe('unknown');
    expect(getPatient(c.db, patientId)?.consent).toBe('opted_out');
  });

  it('the clinic policy decides what the patient asked for still gets after an opt-out', () => {
    const { c, patientId, apt } = setUp();
    expect(getConsentPolicy(c.db)).toEqual({ resultsAfterOptOut: true, documentsAfterOptOut: true, remindersAfterOptOut: false });
    setConsentPolicy(c.db, { resultsAfterOptOut: false, documentsAfterOptOut: true, remindersAfterOptOut: true }, c.now());
    const result = queue(c, patientId, 'result');
    const document = queue(c, patientId, 'document');
    reply(c, 'STOP');
    expect(stateOf(c, result)).toBe('cancelled');
    expect(stateOf(c, document)).toBe('queued');
    // Reminders of the appointment the patient booked keep going.
    expect(c.messages(apt).map((m) => m.state)).toEqual(['queued', 'queued']);
  });
});

describe('consent: provenance at registration', () => {
  it('records the first consent with its source: reception form, import, or none while unknown', () => {
    const c = clinic({ now: '2026-03-02T09:00' });
    const form = c.patient({ consent: 'opted_in' }); // the helper registers as the front desk's form
    expect(consentHistory(c.db, form).map((h) => [h.status, h.source, h.actor])).toEqual([['opted_in', 'reception_form', 'usuario']]);
    const unknown = c.patient({ consent: 'unknown' });
    expect(consentHistory(c.db, unknown)).toEqual([]);
  });
});

describe('consent at dispatch time', () => {
  it('a campaign or follow-up leaves only while the patient is opted in, whoever queued it', async () => {
    const c = clinic({ now: '2026-03-02T09:00' });
    const agreed = c.patient({ phone: '+51987000011', consent: 'opted_in' });
    const left = c.patient({ phone: '+51987000012', consent: 'opted_out' });
    const never = c.patient({ phone: '+51987000013', consent: 'unknown' });
    const due = (patientId: number, kind: MessageKind) =>
      c.outbox.enqueue(messageRecord({ kind, idempotencyKey: `${kind}:${patientId}`, patientId, notBefore: c.now() })).message.id;
    const ok = due(agreed, 'campaign');
    const blocked = [due(left, 'campaign'), due(left, 'followup'), due(never, 'followup')];
    const result = due(left, 'result'); // what the patient asked for is not this gate's business
    const sent: OutgoingMessage[] = [];
    const dispatcher = createDispatcher({
      db: c.db,
      outbox: c.outbox,
      ...throughOneChannel(() => ({
        id: 'demo',
        recipientGapMs: 0,
        send: async (m) => {
          sent.push(m);
          return { ok: true, providerId: `wamid.${m.id}` };
        },
        close: () => undefined,
      })),
      isPaused: () => false,
      now: c.now,
      maxPerSecond: () => 0,
      dailyCap: () => 0,
      dayOf: () => 'd',
      nextDayStart: (at) => at + 86_400_000,
      maxInFlight: 4,
      maxAttempts: 3,
      backoffMs: () => 20,
      onAccountProblem: () => undefined,
      gate: businessMessageGate(c.db, () => 'es'),
    });
    dispatcher.wake();
    const start = Date.now();
    while (sent.length < 2 && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 10));
    await dispatcher.stop();
    expect(sent.map((m) => m.id).sort()).toEqual([ok, result].sort());
    for (const id of blocked) expect(stateOf(c, id)).toBe('cancelled');
    const reason = (id: number | undefined) =>
      (c.db.prepare('SELECT last_error_reason AS r FROM messages WHERE id = ?').get(id) as { r: string }).r;
    expect(reason(blocked[0])).toContain('BAJA');
    expect(reason(blocked[2])).toContain('consentimiento');
  });
});
