import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import type { Appointment, Site } from '../../src/shared/domain';
import { axeCheck } from '../helpers/axe';
import { oneSiteClinic } from '../helpers/fixtures';
import { LIMA, limaDay } from '../helpers/lima-day';
import { useE2e } from './fixture';

// One site in Lima; Cloud API chosen but never configured.
const e2e = useE2e({ clinic: oneSiteClinic() });
const { api } = e2e;

const day = limaDay(4);
let appointment: Appointment;

const remindersOf = async (): Promise<string[]> => {
  const board = await api('appointments.board', { day: day.iso });
  return board.reminders.filter((r) => r.appointmentId === appointment.id).map((r) => r.state);
};
const statusOf = async (): Promise<string | undefined> =>
  (await api('appointments.board', { day: day.iso })).appointments.find((a) => a.id === appointment.id)?.status;
const chipsOf = (row: Locator) =>
  row.getByTestId('apt-reminder').evaluateAll((els) => els.map((el) => el.getAttribute('data-state')));

beforeAll(async () => {
  // Cloud API chosen but never configured: the reminders are planned and wait in the queue.
  const [site] = (await api('sites.list', {})) as [Site];
  const [lab] = await api('services.list', {});
  if (!lab) throw new Error('no service');
  const patient = await api('patients.create', {
    firstNames: 'Rosa',
    lastNames: 'Mamani Torres',
    documentType: 'DNI',
    documentNumber: '45871236',
    phone: '987 654 321',
    consent: true,
  });
  appointment = await api('appointments.create', {
    patientId: patient.id,
    siteId: site.id,
    serviceId: lab.id,
    startsAt: day.at(10, 0),
  });
});

describe('Citas: Cancelar cita asks before it withdraws the reminders', () => {
  it('names the patient and the time, keeps the appointment on "Cancelar", cancels it on the yes', async () => {
    expect(await remindersOf()).toEqual(['queued', 'queued']);
    const { page, errors } = await e2e.openPage({ timezoneId: LIMA, locale: 'es-PE', viewport: { width: 1366, height: 768 } });
    await page.getByTestId('nav-appointments').click();
    await page.getByTestId('apt-day').fill(day.iso);
    const row = page.locator(`[data-testid="apt-row"][data-id="${appointment.id}"]`);
    await row.waitFor();
    await expect.poll(() => chipsOf(row), { timeout: 10_000 }).toEqual(['queued', 'queued']);

    // The first click only asks: who, when, and that the reminders will not go; the yes has the focus.
    await row.getByTestId('apt-cancel').click();
    const question = page.getByTestId('apt-cancel-confirm');
    await question.waitFor();
    const text = await question.innerText();
    expect(text).toContain('Rosa Mamani Torres');
    expect(text).toContain('10:00');
    expect(text).toContain('recordatorios');
    expect(await question.getAttribute('role')).toBe('alertdialog');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')), { timeout: 10_000 })
      .toBe('apt-cancel-confirm-yes');
    // The question under the row passes axe (serious and critical) like the rest of the page.
    expect(await axeCheck(page, 'Citas: Cancelar cita asks')).toEqual([]);
    await page.screenshot({ path: 'test-artifacts/citas-cancel-question-1366.png' });

    expect(await row.getByTestId('apt-cancel').getAttribute('aria-expanded')).toBe('true');

    // "Cancelar" closes the question, changes nothing, and gives the focus back to the button that asked.
    await page.getByTestId('apt-cancel-confirm-no').click();
    await expect.poll(() => question.count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')), { timeout: 10_000 }).toBe('apt-cancel');
    await expect.poll(() => row.getByTestId('apt-cancel').getAttribute('aria-expanded'), { timeout: 10_000 }).toBe('false');
    expect(await statusOf()).toBe('booked');
    expect(await remindersOf()).toEqual(['queued', 'queued']);
    expect(await row.getAttribute('data-status')).toBe('booked');

    // Asked again and answered yes: cancelled, its reminders withdrawn, on screen and in the store.
    await row.getByTestId('apt-cancel').click();
    await page.getByTestId('apt-cancel-confirm-yes').click();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 10_000 }).toBe('cancelled');
    await expect.poll(() => chipsOf(row), { timeout: 10_000 }).toEqual(['cancelled', 'cancelled']);
    await expect.poll(() => question.count(), { timeout: 10_000 }).toBe(0);
    expect(await statusOf()).toBe('cancelled');
    expect(await remindersOf()).toEqual(['cancelled', 'cancelled']);
    expect(await row.getByTestId('apt-cancel').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
