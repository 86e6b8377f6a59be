import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { refusalFor } from '../../src/main/core/api/permissions';
import type { Actor } from '../../src/main/core/audit/acting';
import type { Role } from '../../src/shared/people';
import { cloudRig, templates } from '../helpers/cloud';

// Citas' confirmation loop through the API, on the Cloud API against the fake Graph API, with one fixed clock for both
// (webhook timestamps included): rescheduling and its refusals, telling the patient, the double-booking check, and
// answering or cancelling from a reply inside and outside WhatsApp's 24-hour window.

const HOUR = 3_600_000;
// Sunday 3 March 2030, 09:00 in Lima (UTC−5 all year).
const START = Date.parse('2030-03-03T09:00:00-05:00');
const lima = (iso: string): number => Date.parse(`${iso}-05:00`);

type Rig = Awaited<ReturnType<typeof cloudRig>>;
const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
});

async function clinic() {
  let clock = START;
  const now = () => clock;
  const r = await cloudRig(
    {
      now,
      templates: [
        ...templates,
        { name: 'cita_reprogramada', language: 'es', status: 'APPROVED', category: 'UTILITY', components: [{ type: 'BODY', text: '{{1}} {{2}} {{3}} {{4}}' }] },
      ],
    },
    { now },
  );
  rigs.push(r);
  // Sending paused: what is queued stays visible as queued (the dispatcher is not what these cases look at).
  await r.call('settings.update', { sendingPaused: true });
  const [site] = await r.call('sites.list', {});
  const [service] = await r.call('services.list', {});
  const book = async (patientId: number, startsAt: number) =>
    (await r.call('appointments.create', { patientId, siteId: site?.id ?? 0, serviceId: service?.id ?? 0, startsAt })).id;
  const refusal = async (name: Parameters<Rig['call']>[0], args: unknown): Promise<string> => {
    const response = await r.core.invoke(name, args);
    return response.ok ? 'ok' : response.error.code;
  };
  return { r, siteId: site?.id ?? 0, book, refusal, setNow: (at: number) => (clock = at), now };
}

describe('rescheduling through the API', () => {
  it('moves the appointment, cancels the old time’s reminders, tells the patient with the template, and audits it', async () => {
    const { r, book } = await clinic();
    const p = await r.patient('987000001');
    const id = await book(p.id, lima('2030-03-05T10:00'));
    const result = await r.call('appointments.reschedule', { id, localDateTime: '2030-03-06T16:30', notifyPatient: true });
    expect(result.appointment.startsAt).toBe(lima('2030-03-06T16:30'));
    expect(result.withdrawn).toBe(2);
    expect(result.ambiguous).toBe(false);
    expect(result.notice).toMatchObject({ queued: true });
    const day = await r.call('appointments.board', { day: '2030-03-06' });
    expect(day.appointments.map((a) => a.id)).toEqual([id]);
    const mine = day.reminders.filter((x) => x.appointmentId === id);
    expect(mine.filter((x) => x.state === 'cancelled')).toHaveLength(2);
    expect(mine.filter((x) => x.state === 'queued').map((x) => x.notBefore).sort()).toEqual([
      lima('2030-03-05T16:30'),
      lima('2030-03-06T14:30'),
    ]);
    const notices = await r.call('messages.list', { search: p.documentNumber });
    const notice = notices.rows.find((m) => m.id === (result.notice?.queued ? result.notice.messageId : 0));
    expect(notice).toMatchObject({ kind: 'manual', templateName: 'cita_reprogramada', state: 'queued' });
    expect(notice?.body).toContain('se reprogramó para el miércoles 6 de marzo a las 16:30');
    const db = new Database(join(r.dataDir, 'avisa.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const entry = db.prepare(`SELECT data FROM audit_events WHERE action = 'appointment.rescheduled' AND entity_id = ?`).get(String(id)) as
        | { data: string }
        | undefined;
      expect(JSON.parse(entry?.data ?? '{}')).toMatchObject({ from: lima('2030-03-05T10:00'), to: lima('2030-03-06T16:30'), withdrawn: 2 });
    } finally {
      db.close();
    }
  });

  it('a reschedule from the row also settles the patient’s open request to reschedule', async () => {
    const { r, book } = await clinic();
    const p = await r.patient('987000006');
    const id = await book(p.id, lima('2030-03-05T10:00'));
    await r.fake.inbound({ from: '51987000006', button: { payload: `RESCHEDULE:${id}`, text: 'Reprogramar' } });
    await r.fake.idle();
    await expect.poll(async () => (await r.call('appointments.board', { day: '2030-03-05' })).counts.change_requested).toBe(1);
    await r.call('appointments.reschedule', { id, localDateTime: '2030-03-05T12:00', notifyPatient: false });
    const board = await r.call('appointments.board', { day: '2030-03-05' });
    expect(board.counts).toMatchObject({ all: 1, change_requested: 0, no_answer: 1 });
    expect(await r.call('replies.details', {})).toEqual([]);
  });

  it('refuses a time already past, the same time, a cancelled appointment, and says why the patient was not told', async () => {
    const { r, book, refusal } = await clinic();
    const consenting = await r.patient('987000002');
    const id = await book(consenting.id, lima('2030-03-05T10:00'));
    expect(await refusal('appointments.reschedule', { id, localDateTime: '2030-03-03T08:00', notifyPatient: false })).toBe('past_time');
    expect(await refusal('appointments.reschedule', { id, localDateTime: '2030-03-05T10:00', notifyPatient: false })).toBe('same_time');
    expect(await refusal('appointments.reschedule', { id, localDateTime: '2030-02-30T10:00', notifyPatient: false })).toBe('invalid_time');
    expect(await refusal('appointments.reschedule', { id, localDateTime: '5 de marzo', notifyPatient: false })).toBe('invalid_args');

    const silent = await r.call('patients.create', {
      firstNames: 'Luis',
      lastNames: 'Quispe',
      documentType: 'DNI',
      documentNumber: '42000001',
      phone: '987000003',
    });
    const other = await book(silent.id, lima('2030-03-05T11:00'));
    const moved = await r.call('appointments.reschedule', { id: other, localDateTime: '2030-03-05T12:00', notifyPatient: true });
    expect(moved.notice).toEqual({ queued: false, reason: expect.stringContaining('no autorizó mensajes por WhatsApp') });

    await r.call('appointments.setStatus', { id, status: 'cancelled' });
    expect(await refusal('appointments.reschedule', { id, localDateTime: '2030-03-06T10:00', notifyPatient: false })).toBe('not_active');
  });

  it('warns of the same patient within the hour, naming the other appointment', async () => {
    const { r, book, siteId } = await clinic();
    const p = await r.patient('987000004');
    const first = await book(p.id, lima('2030-03-05T10:00'));
    const overlaps = await r.call('appointments.overlaps', { patientId: p.id, siteId, startsAt: lima('2030-03-05T10:45') });
    expect(overlaps).toEqual([{ kind: 'patient', appointment: expect.objectContaining({ id: first, patientName: p.firstNames + ' ' + p.lastNames }) }]);
    expect(await r.call('appointments.overlaps', { patientId: p.id, siteId, startsAt: lima('2030-03-05T11:00') })).toEqual([]);
    // The appointment being moved does not collide with itself.
    expect(await r.call('appointments.overlaps', { patientId: p.id, siteId, startsAt: lima('2030-03-05T10:30'), excludeId: first })).toEqual([]);
  });
});

describe('acting on a reply', () => {
  it('answers inside the 24-hour window, refuses outside it, and cancels the appointment the reply is about', async () => {
    const { r, book, setNow, refusal } = await clinic();
    const p = await r.patient('987000005');
    const id = await book(p.id, lima('2030-03-05T10:00'));
    await r.fake.inbound({ from: '51987000005', button: { payload: `RESCHEDULE:${id}`, text: 'Reprogramar' } });
    await r.fake.idle();
    await expect.poll(async () => (await r.call('replies.details', {})).length).toBe(1);
    const [reply] = await r.call('replies.details', {});
    expect(reply).toMatchObject({
      patientName: `${p.firstNames} ${p.lastNames}`,
      appointment: expect.objectContaining({ id }),
      windowOpen: true,
      windowEndsAt: START + 24 * HOUR,
    });
    const replyId = reply?.replyId ?? 0;

    await r.call('replies.answer', { replyId, text: '¿Le acomoda el jueves?' });
    const sent = await r.call('messages.list', { search: p.documentNumber });
    expect(sent.rows.find((m) => m.body === '¿Le acomoda el jueves?')).toMatchObject({ kind: 'manual', state: 'queued' });

    setNow(START + 25 * HOUR);
    expect((await r.call('replies.details', {}))[0]?.windowOpen).toBe(false);
    expect(await refusal('replies.answer', { replyId, text: 'Hola' })).toBe('window_closed');

    await r.call('replies.cancelAppointment', { replyId });
    expect(await r.call('replies.details', {})).toEqual([]);
    const day = await r.call('appointments.board', { day: '2030-03-05' });
    expect(day.appointments.find((a) => a.id === id)?.status).toBe('cancelled');
    expect(day.reminders.filter((x) => x.appointmentId === id).map((x) => x.state)).toEqual(['cancelled', 'cancelled']);
    expect(await refusal('replies.cancelAppointment', { replyId })).toBe('reply_closed');
  });
});

describe('who may act', () => {
  const policy = { receptionLaunchesCampaigns: false };
  const person = (roles: Role[]): Actor => ({
    kind: 'person',
    sessionId: 's',
    person: { id: 1, name: 'Quien', documentNumber: '1', roles, registryNumber: null, secretKind: 'pin', active: true, createdAt: 0 },
  });

  it('the front desk reschedules, answers and cancels; a professional and an administrator only look', () => {
    for (const name of ['appointments.reschedule', 'replies.answer', 'replies.cancelAppointment'] as const) {
      expect(refusalFor(person(['reception']), name, policy)).toBeNull();
      expect(refusalFor(person(['professional']), name, policy)).toMatchObject({ code: 'forbidden' });
      expect(refusalFor(person(['admin']), name, policy)).toMatchObject({ code: 'forbidden' });
      expect(refusalFor({ kind: 'nobody' }, name, policy)).toEqual({ code: 'sign_in_required' });
    }
    for (const name of ['appointments.board', 'appointments.overlaps', 'replies.details'] as const) {
      expect(refusalFor(person(['professional']), name, policy)).toBeNull();
    }
  });
});
