import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { Patient, Site } from '../../src/shared/domain';
import { LIMA, limaDay } from '../helpers/lima-day';
import { useE2e } from './fixture';

let site: Site;
let patient: Patient;
let noConsent: Patient;

const e2e = useE2e({
  clinic: {
    clinicName: 'Clínica Prueba',
    sites: [{ name: 'Sede Centro', country: 'PE', timeZone: LIMA }],
    services: [{ name: 'Laboratorio' }],
    channel: 'cloud-api',
  },
});
const { api } = e2e;

const chipsOf = (row: Locator) =>
  row
    .getByTestId('apt-reminder')
    .evaluateAll((els) => els.map((el) => `${el.getAttribute('data-rule')}:${el.getAttribute('data-state')}`));

beforeAll(async () => {
  // Cloud API chosen but never configured: reminders are planned and queued, nothing can leave.
  [site] = (await api('sites.list', {})) as [Site];
  patient = await api('patients.create', {
    firstNames: 'Rosa',
    lastNames: 'Mamani Torres',
    documentType: 'DNI',
    documentNumber: '45871236',
    phone: '987 654 321',
    consent: true,
  });
  noConsent = await api('patients.create', {
    firstNames: 'Luis',
    lastNames: 'Quispe Rojas',
    documentType: 'DNI',
    documentNumber: '40112233',
    phone: '912 345 678',
  });
});

describe('Citas and Ajustes → Recordatorios in a browser (server mode)', () => {
  it('books an appointment in the site zone, shows its reminders, cancels them, and previews quiet hours', async () => {
    expect(patient.consent).toBe('opted_in');
    expect(noConsent.consent).not.toBe('opted_in');
    const day = limaDay(3);
    const services = await api('services.list', {});
    const lab = services.find((s) => s.name === 'Laboratorio');
    if (!lab) throw new Error('no Laboratorio service');
    // An appointment whose reminders cannot go: the day view must say why.
    await api('appointments.create', {
      patientId: noConsent.id,
      siteId: site.id,
      serviceId: lab.id,
      startsAt: day.at(11, 0),
    });

    // A computer far from the clinic: every time on screen must still be Lima's.
    const context = await e2e.browser.newContext({ timezoneId: 'Asia/Tokyo', locale: 'es-PE' });
    const page: Page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(e2e.server.url);

    // ---- Citas → Nueva cita, 3 days ahead at 10:00 (Lima) ----
    await page.getByTestId('nav-appointments').click();
    await page.getByTestId('apt-new').click();
    await page.getByTestId('apt-patient-search').fill(patient.documentNumber);
    await page.getByTestId('apt-patient-option').first().click();
    await page.getByTestId('apt-patient-picked').waitFor();
    await page.getByTestId('apt-date').fill(day.iso);
    await page.getByTestId('apt-time').fill('10:00');
    await page.getByTestId('apt-save').click();
    await expect.poll(() => page.getByTestId('apt-form').count(), { timeout: 10_000 }).toBe(0);

    // The view moved to that day: both appointments, in time order.
    const rows = page.getByTestId('apt-row');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
    expect(await page.getByTestId('apt-day').inputValue()).toBe(day.iso);
    const row = rows.filter({ hasText: 'Mamani' });
    expect(await row.count()).toBe(1);
    const id = Number(await row.getAttribute('data-id'));
    expect(id).toBeGreaterThan(0);
    expect(await rows.first().getAttribute('data-id')).toBe(String(id)); // 10:00 before 11:00
    expect(await row.locator('td').first().innerText()).toMatch(/^10:00/);

    // Stored as the instant 10:00 in Lima, not 10:00 in Tokyo.
    const stored = await api('appointments.day', {
      from: day.at(0, 0),
      to: day.at(24, 0),
      siteId: site.id,
    });
    expect(stored.appointments.find((a) => a.id === id)?.startsAt).toBe(day.at(10, 0));

    // Two reminders, 24 h and 2 h, queued (nothing can be sent), 24 h first.
    await expect.poll(() => chipsOf(row), { timeout: 10_000 }).toEqual(['24h:queued', '2h:queued']);
    expect(await row.getByTestId('apt-reminder').first().innerText()).toContain('24 h');
    expect(await row.getByTestId('apt-reminder').first().innerText()).toContain('En cola');
    expect(await row.getByTestId('apt-reminder').last().innerText()).toMatch(/2 h · En cola 8:00/);
    expect(await row.getByTestId('apt-issue').count()).toBe(0);
    expect(await row.getByTestId('apt-answer').count()).toBe(0);

    // The other one shows why it gets no reminders.
    const blocked = rows.filter({ hasText: 'Quispe' });
    expect(await blocked.getByTestId('apt-reminder').count()).toBe(0);
    expect(await blocked.getByTestId('apt-issue').getAttribute('data-code')).toBe('no_consent');
    expect(await blocked.getByTestId('apt-issue').innerText()).toContain('Sin consentimiento');

    // ---- cancel it: its reminders are withdrawn, with the reason on hover ----
    await row.getByTestId('apt-cancel').click();
    await page.getByTestId('apt-cancel-confirm-yes').click();
    await expect.poll(() => chipsOf(row), { timeout: 10_000 }).toEqual(['24h:cancelled', '2h:cancelled']);
    expect(await row.getAttribute('data-status')).toBe('cancelled');
    expect(await row.innerText()).toContain('Cancelada');
    expect(await row.getByTestId('apt-reminder').first().getAttribute('title')).toContain('La cita fue cancelada');
    expect(await row.getByTestId('apt-cancel').count()).toBe(0);
    const after = await api('appointments.day', { from: day.at(0, 0), to: day.at(24, 0) });
    expect(after.reminders.filter((r) => r.appointmentId === id).map((r) => r.state)).toEqual(['cancelled', 'cancelled']);
    expect(await page.getByTestId('reply-row').count()).toBe(0);

    // ---- Ajustes → Recordatorios: defaults, then a preview for 07:30 ----
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-reminders').click();
    await page.getByTestId('settings-reminders').waitFor();
    expect(await page.getByTestId('quiet-start').inputValue()).toBe('21:00');
    expect(await page.getByTestId('quiet-end').inputValue()).toBe('07:00');
    await expect.poll(() => page.getByTestId('rule-row').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-rule'))), { timeout: 10_000 }).toEqual([
      '24h',
      '2h',
    ]);
    expect(await page.getByTestId('rule-row').first().innerText()).toContain('24 h');

    const preview = async (time: string): Promise<void> => {
      await page.getByTestId('preview-date').fill(day.iso);
      await page.getByTestId('preview-time').fill(time);
      await page.getByTestId('preview-run').click();
      await page.getByTestId('preview-result').waitFor();
    };
    await preview('07:30');
    await expect.poll(() => page.getByTestId('preview-planned').count(), { timeout: 10_000 }).toBe(2);
    const twoHours = page.locator('[data-testid="preview-planned"][data-rule="2h"]');
    const dayBefore = limaDay(2);
    // 05:30 is inside 21:00–07:00: it goes at 20:59 the evening before.
    expect(await twoHours.getAttribute('data-moved')).toBe('true');
    expect(await twoHours.innerText()).toContain(`${dayBefore.d} de`);
    expect(await twoHours.innerText()).toContain('20:59');
    expect(await twoHours.innerText()).toContain('Adelantado por el horario de silencio');
    const oneDay = page.locator('[data-testid="preview-planned"][data-rule="24h"]');
    expect(await oneDay.getAttribute('data-moved')).toBe('false');
    expect(await oneDay.innerText()).toContain('07:30');
    expect(await page.getByTestId('preview-skipped').count()).toBe(0);

    // ---- no quiet hours: the same preview keeps 05:30 ----
    await page.getByTestId('quiet-none').check();
    expect(await page.getByTestId('quiet-start').isDisabled()).toBe(true);
    await page.getByTestId('reminder-settings-save').click();
    await expect.poll(async () => (await api('reminders.rules', {})).settings.find((s) => s.siteId === null)?.quietHours, { timeout: 10_000 }).toBeNull();
    await preview('07:30');
    await expect.poll(() => twoHours.getAttribute('data-moved'), { timeout: 10_000 }).toBe('false');
    expect(await twoHours.innerText()).toContain('05:30');

    // ---- a rule added and removed from the table ----
    await page.getByTestId('rule-add').click();
    await page.getByTestId('rule-lead').fill('30');
    await page.getByTestId('rule-lead-unit').selectOption('min');
    await page.getByTestId('rule-save').click();
    await expect.poll(() => page.getByTestId('rule-row').count(), { timeout: 10_000 }).toBe(3);
    const added = page.locator('[data-testid="rule-row"][data-rule="30m"]');
    expect(await added.innerText()).toContain('30 min');
    expect(await added.innerText()).toContain('Todas');
    await added.getByTestId('rule-delete').click();
    await expect.poll(() => page.getByTestId('rule-row').count(), { timeout: 10_000 }).toBe(2);
    expect((await api('reminders.rules', {})).rules.map((r) => r.ruleKey)).toEqual(['24h', '2h']);

    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
