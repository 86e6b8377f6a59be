import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { Appointment, Site } from '../../src/shared/domain';
import { axeCheck } from '../helpers/axe';
import { sendHl7 } from '../helpers/mllp';
import { siu } from '../sources/hl7-fixtures';
import { LIMA, limaDay } from '../helpers/lima-day';
import { useE2e } from './fixture';

// An appointment that came over the clinic's HL7 feed belongs to the clinic's own system: Reprogramar and Cancelar
// cita change it only in Avisa. The receptionist reads so where she decides — and only for such an appointment.

const NOTE_RESCHEDULE = 'Esta cita viene del sistema de la clínica: cámbiela también allí.';
const NOTE_CANCEL = 'Esta cita viene del sistema de la clínica: cancélela también allí.';

// The site is named as the SIU's AIL names it, so the feed's appointment lands there.
const e2e = useE2e({
  clinic: {
    clinicName: 'Clínica San Pablo',
    sites: [{ name: 'Sede Miraflores', country: 'PE', timeZone: LIMA }],
    services: [{ name: 'Laboratorio' }],
    channel: 'cloud-api',
  },
});
const { api } = e2e;

const day = limaDay(4);
let imported: Appointment;
let booked: Appointment;

beforeAll(async () => {
  await api('settings.update', { hl7: { enabled: true, port: 0 } });
  const port = (await api('app.status', {})).hl7Port;
  if (!port) throw new Error('the HL7 listener did not start');
  const ack = await sendHl7(port, siu('S12', { start: day.hl7('1000') }));
  expect(ack.split('\r').find((s) => s.startsWith('MSA'))).toMatch(/^MSA\|AA\|/);

  // The same day, one booked at the front desk (Citas → Nueva cita) for another patient.
  const [site] = (await api('sites.list', {})) as [Site];
  const [lab] = await api('services.list', {});
  if (!lab) throw new Error('no service');
  const patient = await api('patients.create', {
    firstNames: 'Ana',
    lastNames: 'Quispe Huamán',
    documentType: 'DNI',
    documentNumber: '45871236',
    phone: '987 654 321',
    consent: true,
  });
  booked = await api('appointments.create', { patientId: patient.id, siteId: site.id, serviceId: lab.id, startsAt: day.at(11, 0) });

  const board = await api('appointments.board', { day: day.iso });
  const fromFeed = board.appointments.find((a) => a.id !== booked.id);
  if (!fromFeed) throw new Error('the SIU appointment is not in Citas');
  imported = fromFeed;
});

/** The row of an appointment in Citas. */
const rowOf = (page: Page, a: Appointment): Locator => page.locator(`[data-testid="apt-row"][data-id="${a.id}"]`);

describe('Citas: an appointment from the clinic’s system is changed there too', () => {
  it('says so in the Reprogramar form and in the cancel question of an imported appointment, not of one booked in Citas', async () => {
    expect(imported).toMatchObject({ source: 'hl7', startsAt: day.at(10, 0), siteName: 'Sede Miraflores' });
    expect(booked.source).toBe('manual');
    const { page, errors } = await e2e.openPage({ timezoneId: LIMA, locale: 'es-PE', viewport: { width: 1366, height: 768 } });
    await page.getByTestId('nav-appointments').click();
    await page.getByTestId('apt-day').fill(day.iso);
    const fromFeed = rowOf(page, imported);
    const fromDesk = rowOf(page, booked);
    await fromFeed.waitFor();
    await fromDesk.waitFor();
    const note = page.getByTestId('apt-clinic-system-note');

    // Reprogramar on the feed's appointment: the sentence sits in the form, above the new date and time.
    await fromFeed.getByTestId('apt-reschedule').click();
    const form = page.getByTestId('apt-reschedule-form');
    await form.waitFor();
    await expect.poll(() => form.getByTestId('apt-clinic-system-note').innerText(), { timeout: 10_000 }).toBe(NOTE_RESCHEDULE);
    expect(await axeCheck(page, 'Citas: Reprogramar an imported appointment')).toEqual([]);
    await page.screenshot({ path: 'test-artifacts/citas-reschedule-imported-1366.png' });
    await form.getByRole('button', { name: 'Cancelar', exact: true }).click();
    await expect.poll(() => form.count(), { timeout: 10_000 }).toBe(0);

    // Cancelar cita: the question names the patient and time, then says to cancel it in the clinic's system too.
    await fromFeed.getByTestId('apt-cancel').click();
    const question = page.getByTestId('apt-cancel-confirm');
    await question.waitFor();
    await expect.poll(() => question.getByTestId('apt-clinic-system-note').innerText(), { timeout: 10_000 }).toBe(NOTE_CANCEL);
    expect(await question.innerText()).toContain('Torres Vega');
    expect(await axeCheck(page, 'Citas: cancelling an imported appointment asks')).toEqual([]);
    await page.screenshot({ path: 'test-artifacts/citas-cancel-imported-1366.png' });
    await page.getByTestId('apt-cancel-confirm-no').click();
    await expect.poll(() => question.count(), { timeout: 10_000 }).toBe(0);

    // The appointment booked in Citas: the same form and question, without the sentence.
    await fromDesk.getByTestId('apt-reschedule').click();
    await form.waitFor();
    await expect.poll(() => form.getByTestId('apt-reschedule-current').innerText(), { timeout: 10_000 }).toContain('11:00');
    expect(await note.count()).toBe(0);
    await form.getByRole('button', { name: 'Cancelar', exact: true }).click();
    await expect.poll(() => form.count(), { timeout: 10_000 }).toBe(0);
    await fromDesk.getByTestId('apt-cancel').click();
    await question.waitFor();
    expect(await question.innerText()).toContain('Quispe Huamán');
    expect(await note.count()).toBe(0);

    // Cancelled on the yes, as any other appointment.
    await page.getByTestId('apt-cancel-confirm-no').click();
    await expect.poll(() => question.count(), { timeout: 10_000 }).toBe(0);
    await fromFeed.getByTestId('apt-cancel').click();
    await page.getByTestId('apt-cancel-confirm-yes').click();
    await expect.poll(() => fromFeed.getAttribute('data-status'), { timeout: 10_000 }).toBe('cancelled');
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});
