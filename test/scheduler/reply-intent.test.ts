import { describe, expect, it } from 'vitest';
import {
  applyReplyIntent,
  normaliseReply,
  parseReplyIntent,
  type AppointmentAnswered,
  type ApplyReplyOptions,
} from '../../src/main/core/scheduler/reply-intent';
import { getPatient } from '../../src/main/core/store/patients-repo';
import {
  answersForAppointmentsStarting,
  listPlanningIssues,
  markReplyAttended,
  markWriteBack,
  openReplies,
  pendingWriteBacks,
  remindersForAppointmentsStarting,
} from '../../src/main/core/store/reminders-repo';
import { messageRecord } from '../helpers/fixtures';
import { clinic, markSent, type Clinic } from './clinic';

describe('reply parsing', () => {
  const table: [string, string][] = [
    // confirm
    ['sí', 'confirm'],
    ['si', 'confirm'],
    ['Sí', 'confirm'],
    ['SI!!!', 'confirm'],
    ['siii', 'confirm'],
    ['Sí, confirmo', 'confirm'],
    ['confirmo', 'confirm'],
    ['Confirmado ✅', 'confirm'],
    ['ok', 'confirm'],
    ['Ok 👍', 'confirm'],
    ['👍', 'confirm'],
    ['1', 'confirm'],
    ['1.', 'confirm'],
    ['Hola, sí, ahí estaré. Gracias', 'confirm'],
    ['Buenos días doctora, confirmo mi cita', 'confirm'],
    ['de acuerdo', 'confirm'],
    ['yes', 'confirm'],
    // cancel
    ['no', 'cancel'],
    ['No.', 'cancel'],
    ['NO PUEDO', 'cancel'],
    ['no puedo ir', 'cancel'],
    ['Lo siento, no podré asistir', 'cancel'],
    ['cancelar', 'cancel'],
    ['Cancelo la cita por favor', 'cancel'],
    ['2', 'cancel'],
    ['no, gracias', 'cancel'],
    ["I can't make it", 'cancel'],
    // reschedule
    ['reprogramar', 'reschedule'],
    ['3', 'reschedule'],
    ['¿Se puede reprogramar?', 'reschedule'],
    ['No puedo ese día, ¿me dan otra fecha?', 'reschedule'],
    ['quisiera cambiar la hora', 'reschedule'],
    // opt-out
    ['BAJA', 'opt_out'],
    ['baja', 'opt_out'],
    ['STOP', 'opt_out'],
    ['Alto', 'opt_out'],
    ['NO MÁS MENSAJES', 'opt_out'],
    ['no mas mensajes por favor', 'opt_out'],
    ['Quiero darme de baja', 'opt_out'],
    // a person reads it
    ['¿Tengo que ir en ayunas?', 'unknown'],
    ['Quería preguntar si puedo llevar a mi hijo', 'unknown'],
    ['sí, pero no puedo', 'unknown'],
    ['no confirmo todavía', 'unknown'],
    ['hola', 'unknown'],
    ['🙂', 'unknown'],
    ['', 'unknown'],
    ['a las 10 está bien? 2 personas', 'unknown'],
  ];

  it.each(table)('%j → %s', (body, intent) => {
    expect(parseReplyIntent(body).intent).toBe(intent);
  });

  it('reads button payloads exactly, with the appointment they answer', () => {
    expect(parseReplyIntent('Confirmar', 'CONFIRM:42')).toEqual({ intent: 'confirm', appointmentId: 42, attention: false });
    expect(parseReplyIntent('Cancelar', 'CANCEL:42')).toMatchObject({ intent: 'cancel', appointmentId: 42 });
    expect(parseReplyIntent('RESCHEDULE:7')).toMatchObject({ intent: 'reschedule', appointmentId: 7 });
    // A payload decides even when the visible text says something else.
    expect(parseReplyIntent('no', 'CONFIRM:5')).toMatchObject({ intent: 'confirm', appointmentId: 5 });
  });

  it('flags understood replies that still deserve a reading', () => {
    expect(parseReplyIntent('Sí, confirmo. ¿Debo llevar mis análisis?')).toMatchObject({ intent: 'confirm', attention: true });
    expect(parseReplyIntent('Sí, confirmo')).toMatchObject({ intent: 'confirm', attention: false });
  });

  it('normalises accents, case, punctuation and emoji', () => {
    expect(normaliseReply('¡¡SÍ, CONFIRMÓ!! 👍🏽')).toBe('si confirmo');
    expect(normaliseReply('  No   más… mensajes ')).toBe('no mas mensajes');
  });
});

interface Rig {
  c: Clinic;
  apt: number;
  patient: number;
  reminderIds: number[];
  answered: AppointmentAnswered[];
  options: ApplyReplyOptions;
  reply(body: string, o?: { payload?: string; from?: string; id?: string }): ReturnType<typeof applyReplyIntent>;
}

/** An appointment whose 24 h reminder went out, so replies can answer it. */
function rig(): Rig {
  const c = clinic({ now: '2025-11-25T10:00' });
  const patient = c.patient();
  const apt = c.book({ key: 'his:1', patientId: patient, startsAt: c.local('2025-12-01T09:30') });
  const reminderIds = c.messages(apt).map((m) => m.id);
  c.setNow(c.local('2025-11-30T09:30'));
  markSent(c, reminderIds[0] ?? 0, 'wamid.out.1');
  c.setNow(c.local('2025-11-30T10:00'));
  const answered: AppointmentAnswered[] = [];
  const options: ApplyReplyOptions = {
    db: c.db,
    outbox: c.outbox,
    planner: c.planner,
    now: c.now,
    language: () => 'es',
    onAppointmentAnswered: (a) => answered.push(a),
  };
  let n = 0;
  return {
    c,
    apt,
    patient,
    reminderIds,
    answered,
    options,
    reply(body, o = {}) {
      const from = o.from ?? '+51987654321';
      const replyId = c.outbox.recordReply({
        providerMessageId: o.id ?? `wamid.in.${++n}`,
        fromPhone: from,
        body,
        at: c.now(),
        inReplyTo: 'wamid.out.1',
        payload: o.payload,
      });
      if (replyId === null) throw new Error('duplicate reply');
      const messageId = c.db.prepare('SELECT message_id FROM replies WHERE id = ?').pluck().get(replyId) as number | null;
      return applyReplyIntent(options, { replyId, messageId, fromPhone: from, body, payload: o.payload });
    },
  };
}

const status = (r: Rig) => r.c.db.prepare('SELECT status FROM appointments WHERE id = ?').pluck().get(r.apt);

describe('applying replies', () => {
  it('a confirmation by button confirms the appointment and queues the write-back', () => {
    const r = rig();
    const result = r.reply('Confirmar', { payload: `CONFIRM:${r.apt}` });
    expect(result).toMatchObject({ intent: 'confirm', appointmentId: r.apt, outcome: 'applied', duplicate: false });
    expect(status(r)).toBe('confirmed');
    expect(r.answered).toEqual([
      { appointmentId: r.apt, source: 'manual', sourceKey: 'his:1', status: 'confirmed', at: r.c.now() },
    ]);
    expect(pendingWriteBacks(r.c.db, 10)).toEqual([
      expect.objectContaining({ appointmentId: r.apt, answer: 'confirmed', sourceKey: 'his:1' }),
    ]);
    // The 2 h reminder still goes to a confirmed appointment.
    expect(r.c.messages(r.apt)[1]?.state).toBe('queued');

    // Written back: off the queue. A later answer queues again.
    markWriteBack(r.c.db, r.apt, r.c.now(), { ok: true, at: r.c.now() });
    expect(pendingWriteBacks(r.c.db, 10)).toEqual([]);
    r.c.setNow(r.c.now() + 60_000);
    r.reply('Cancelar', { payload: `CANCEL:${r.apt}` });
    expect(pendingWriteBacks(r.c.db, 10).map((w) => w.answer)).toEqual(['cancelled']);
  });

  it('"no puedo" on the reminder cancels the appointment and withdraws its queued reminder', () => {
    const r = rig();
    expect(r.reply('No puedo, lo siento')).toMatchObject({ intent: 'cancel', outcome: 'applied', appointmentId: r.apt });
    expect(status(r)).toBe('cancelled');
    expect(r.c.messages(r.apt).map((m) => [m.state, m.lastErrorCode])).toEqual([
      ['sent', null],
      ['cancelled', 'reminder.appointment_cancelled'],
    ]);
    // The clinic's source still says booked until the write-back reaches it: no reminder comes back.
    r.c.book({ key: 'his:1', patientId: r.patient, startsAt: r.c.local('2025-12-01T09:30') });
    r.c.planner.planUpcoming();
    expect(r.c.messages(r.apt).filter((m) => m.state === 'queued')).toEqual([]);
  });

  it('is idempotent per reply', () => {
    const r = rig();
    const replyId = r.c.outbox.recordReply({ providerMessageId: 'wamid.in.x', fromPhone: '+51987654321', body: 'sí', at: r.c.now() });
    const input = { replyId: replyId ?? 0, messageId: r.reminderIds[0] ?? null, fromPhone: '+51987654321', body: 'sí' };
    expect(applyReplyIntent(r.options, input)).toMatchObject({ outcome: 'applied', duplicate: false });
    expect(applyReplyIntent(r.options, input)).toMatchObject({ outcome: 'applied', duplicate: true });
    expect(r.answered).toHaveLength(1);
  });

  it('what is not understood, or asks to reschedule, waits for a person with a reason', () => {
    const r = rig();
    expect(r.reply('¿Hay estacionamiento?')).toMatchObject({ intent: 'unknown', outcome: 'attention' });
    expect(r.reply('3')).toMatchObject({ intent: 'reschedule', outcome: 'attention', appointmentId: r.apt });
    expect(status(r)).toBe('booked');
    const open = openReplies(r.c.db, 10);
    expect(open.map((o) => [o.body, o.reason])).toEqual([
      ['¿Hay estacionamiento?', 'Respuesta no reconocida: atiéndala personalmente.'],
      ['3', 'El paciente pide reprogramar la cita: contáctelo para darle otra hora.'],
    ]);
    expect(markReplyAttended(r.c.db, open[0]?.replyId ?? 0, 'recepción', r.c.now())).toBe(true);
    expect(openReplies(r.c.db, 10).map((o) => o.body)).toEqual(['3']);
  });

  it('the day view shows each appointment with its reminders, their states and the answer', () => {
    const r = rig();
    r.reply('Sí, confirmo');
    const day = { from: r.c.local('2025-12-01T00:00'), to: r.c.local('2025-12-02T00:00') };
    expect(remindersForAppointmentsStarting(r.c.db, day).map((v) => [v.appointmentId, v.ruleKey, v.state])).toEqual([
      [r.apt, '24h', 'sent'],
      [r.apt, '2h', 'queued'],
    ]);
    expect(answersForAppointmentsStarting(r.c.db, { ...day, siteId: r.c.siteId })).toEqual([
      { appointmentId: r.apt, answer: 'confirmed', at: r.c.now(), replyBody: 'Sí, confirmo' },
    ]);
  });

  it('a payload from another phone does not change the appointment', () => {
    const r = rig();
    expect(r.reply('Cancelar', { payload: `CANCEL:${r.apt}`, from: '+51900000000' })).toMatchObject({
      outcome: 'attention',
    });
    expect(status(r)).toBe('booked');
  });

  it('"BAJA" opts the phone out at once: consent, queued campaigns and reminders stop, with a visible reason', () => {
    const r = rig();
    const campaign = r.c.outbox.enqueue(
      messageRecord({ idempotencyKey: 'campaign:1', kind: 'campaign', patientId: r.patient, notBefore: r.c.now() + 1 }),
    ).message;
    expect(r.reply('BAJA')).toMatchObject({ intent: 'opt_out', outcome: 'applied' });
    expect(getPatient(r.c.db, r.patient)?.consent).toBe('opted_out');
    expect(r.c.messages().find((m) => m.id === campaign.id)?.state).toBe('cancelled');
    expect(r.c.messages(r.apt)[1]).toMatchObject({ state: 'cancelled', lastErrorCode: 'reminder.opted_out' });
    expect(listPlanningIssues(r.c.db, { from: r.c.now(), limit: 5 })).toEqual([
      expect.objectContaining({ appointmentId: r.apt, code: 'opted_out', severity: 'problem' }),
    ]);
  });
});
