import Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ArgsOf, HandlerName, ResultOf } from '../../src/shared/api';
import type { Patient, Site } from '../../src/shared/domain';
import { startFakeGraph, type FakeGraph } from '../fakes/graph-api';
import { launchChromium } from '../helpers/browser';
import { APP_SECRET, TOKEN, templates } from '../helpers/cloud';
import { connectCloudApiOnFreePort } from './fixture';
import { testAdmin } from '../helpers/people';
import { callServer, startServerProcess, type RunningServer } from '../helpers/server-process';
import { tempDir } from '../helpers/temp';

// Tomorrow's confirmations, as a receptionist in Lima works them: Citas opens on the whole clinic, "Mañana" and
// "Confirmadas" show who confirmed, the failed reminder opens its message, replies asking for a change are answered,
// rescheduled (a skipped hour refused, the patient told) or cancelled, and a double booking is warned about.
// The server runs on a made-up clock (AVISA_FAKE_NOW with --demo) and the browser's clock is set to the same day.

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const HOUR = 3_600_000;
// Sunday 3 March 2030, 08:59 in Lima (UTC−5 all year); Santiago is on summer time (UTC−3) until April.
const FAKE_START = Date.parse('2030-03-03T08:59:00-05:00');
const TOMORROW = '2030-03-04';
const lima = (iso: string): number => Date.parse(`${iso}-05:00`);
const santiago = (iso: string): number => Date.parse(`${iso}-03:00`);

const dataDir = tempDir();
let t0 = 0;
/** The server's clock, give or take the moment it started (never behind it). */
const fakeNow = (): number => FAKE_START + (Date.now() - t0);
let fakeOffset = 0;

let browser: Browser;
let server: RunningServer;
let fake: FakeGraph;
let centro: Site;
let sur: Site;
const people: Record<'ana' | 'luis' | 'rosa' | 'eva' | 'omar', Patient> = {} as Record<'ana' | 'luis' | 'rosa' | 'eva' | 'omar', Patient>;
const apt: Record<'ana' | 'luis' | 'rosa' | 'eva' | 'omar', number> = { ana: 0, luis: 0, rosa: 0, eva: 0, omar: 0 };
const api = <N extends HandlerName>(name: N, args: ArgsOf<N>): Promise<ResultOf<N>> => callServer(server, name, args);

const rescheduleTemplate = {
  name: 'cita_reprogramada',
  language: 'es',
  status: 'APPROVED' as const,
  category: 'UTILITY' as const,
  components: [{ type: 'BODY' as const, text: 'Hola {{1}}, su cita de {{2}} en {{3}} se reprogramó para el {{4}}.' }],
};

beforeAll(async () => {
  fake = await startFakeGraph({
    accessToken: TOKEN,
    appSecret: APP_SECRET,
    phoneNumberId: '1055',
    wabaId: '2001',
    templates: [...templates, rescheduleTemplate],
    autoStatuses: false,
    notOnWhatsApp: ['51911111111'],
    now: () => fakeNow() + fakeOffset,
  });
  browser = await launchChromium();
  t0 = Date.now();
  server = await startServerProcess(dataDir, { AVISA_FAKE_NOW: new Date(FAKE_START).toISOString() }, { args: ['--demo'] });
  await api('setup.complete', {
    clinicName: 'Red Andina',
    sites: [
      { name: 'Sede Centro', country: 'PE', timeZone: 'America/Lima' },
      { name: 'Sede Sur', country: 'CL', timeZone: 'America/Santiago' },
    ],
    services: [{ name: 'Laboratorio' }],
    channel: 'cloud-api',
  });
  fake.setWebhookUrl(`http://127.0.0.1:${await connectCloudApiOnFreePort(api, fake.url)}/webhook`);
  // A reminder due right after its booking still goes (the one that fails is booked so).
  await api('reminders.saveSettings', { siteId: null, minLeadMinutes: 0 });
  [centro, sur] = (await api('sites.list', {})) as [Site, Site];
  const [lab] = await api('services.list', {});
  const patient = (firstNames: string, lastNames: string, documentNumber: string, phone: string) =>
    api('patients.create', { firstNames, lastNames, documentType: 'DNI', documentNumber, phone, consent: true });
  people.ana = await patient('Ana', 'Quispe Rojas', '41000001', '987 000 001');
  people.luis = await patient('Luis', 'Huamán Soto', '41000002', '987 000 002');
  people.rosa = await patient('Rosa', 'Mamani Torres', '41000003', '987 000 003');
  people.eva = await patient('Eva', 'Condori Paz', '41000004', '911 111 111');
  people.omar = await patient('Omar', 'Flores Díaz', '41000005', '987 000 005');
  const book = async (p: Patient, site: Site, startsAt: number) =>
    (await api('appointments.create', { patientId: p.id, siteId: site.id, serviceId: lab?.id ?? 0, startsAt })).id;
  apt.ana = await book(people.ana, centro, lima(`${TOMORROW}T15:00`));
  apt.luis = await book(people.luis, sur, santiago(`${TOMORROW}T10:00`));
  apt.rosa = await book(people.rosa, centro, lima(`${TOMORROW}T16:00`));
  apt.omar = await book(people.omar, centro, lima(`${TOMORROW}T17:00`));
  // Eva's 24 h reminder is due in a few seconds; her number is not on WhatsApp, so it fails.
  apt.eva = await book(people.eva, centro, fakeNow() + 24 * HOUR + 5_000);

  // The patients answer: Ana confirms, Luis and Rosa ask for another time; Omar asked yesterday (window closed).
  await fake.inbound({ from: '51987000001', button: { payload: `CONFIRM:${apt.ana}`, text: 'Confirmar' } });
  await fake.inbound({ from: '51987000002', button: { payload: `RESCHEDULE:${apt.luis}`, text: 'Reprogramar' } });
  await fake.inbound({ from: '51987000003', button: { payload: `RESCHEDULE:${apt.rosa}`, text: 'Reprogramar' } });
  fakeOffset = -25 * HOUR;
  await fake.inbound({ from: '51987000005', button: { payload: `RESCHEDULE:${apt.omar}`, text: 'Reprogramar' } });
  fakeOffset = 0;
  await fake.idle();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fake?.close();
});

const chipCount = (page: Page, key: string) => page.getByTestId(`apt-chip-${key}`).locator('.apt-chip-count').innerText();
const rowNames = (page: Page) =>
  page.getByTestId('apt-row').evaluateAll((trs) => trs.map((tr) => tr.querySelectorAll('td')[1]?.textContent ?? ''));

describe("tomorrow's confirmations in Citas (browser, server mode, fake clock)", () => {
  it('shows who confirmed in two clicks, opens the failed reminder, and works the replies', async () => {
    // The replies are in, and Eva's reminder has failed.
    await expect.poll(async () => (await api('replies.details', {})).length, { timeout: 15_000 }).toBe(3);
    await expect
      .poll(async () => (await api('appointments.board', { day: TOMORROW, filter: 'reminder_failed' })).appointments.length, {
        timeout: 30_000,
      })
      .toBe(1);
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'es-PE', bypassCSP: true });
    const page = await context.newPage();
    // The browser's clock on the server's day, so "Mañana" is the clinic's tomorrow. (bypassCSP: only for axe-core.)
    await page.clock.setFixedTime(new Date(fakeNow()));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.getByTestId('nav-appointments').click();

    // ---- two clicks: Mañana, Confirmadas ----
    await page.getByTestId('apt-tomorrow').click();
    await page.getByTestId('apt-chip-confirmed').click();
    await expect.poll(() => rowNames(page), { timeout: 10_000 }).toEqual(['Ana Quispe Rojas']);
    await expect.poll(() => page.getByTestId('apt-day').inputValue(), { timeout: 10_000 }).toBe(TOMORROW);
    const ana = page.getByTestId('apt-row').first();
    expect(await ana.getAttribute('data-confirmed')).toBe('true');
    expect(await ana.getByTestId('apt-status').innerText()).toContain('✓');
    expect(await ana.getByTestId('apt-status').innerText()).toContain('Confirmada');
    // Counts of every chip, from the core, for both sites' tomorrow.
    const chips = ['all', 'confirmed', 'change_requested', 'no_answer', 'reminder_failed'];
    await expect.poll(() => Promise.all(chips.map((key) => chipCount(page, key))), { timeout: 10_000 }).toEqual(['5', '1', '3', '1', '1']);

    // ---- the failed reminder opens its message ----
    await page.getByTestId('apt-chip-reminder_failed').click();
    await expect.poll(() => rowNames(page), { timeout: 10_000 }).toEqual(['Eva Condori Paz']);
    const failed = page.getByTestId('apt-reminder-failed').first();
    const messageId = await failed.getAttribute('data-message');
    await failed.click();
    const detail = page.getByTestId('message-detail');
    await detail.waitFor();
    await expect.poll(() => detail.innerText(), { timeout: 10_000 }).toContain(String(messageId));
    await expect.poll(() => detail.innerText(), { timeout: 10_000 }).toContain('Eva Condori Paz');
    await page.screenshot({ path: '.tmp-shot/citas-failed-message-1366.png' });
    await page.getByTestId('drawer-close').click();

    // ---- who asked for a change: every site, the reply's intent on the row ----
    await page.getByTestId('apt-chip-change_requested').click();
    await expect.poll(() => rowNames(page), { timeout: 10_000 }).toEqual(['Luis Huamán Soto', 'Rosa Mamani Torres', 'Omar Flores Díaz']);
    const luisRow = page.getByTestId('apt-row').filter({ hasText: 'Luis' });
    expect(await luisRow.getByTestId('apt-site-name').innerText()).toBe('Sede Sur');
    expect(await luisRow.getByTestId('apt-reply').getAttribute('data-intent')).toBe('reschedule');
    expect(await luisRow.getByTestId('apt-reply').innerText()).toContain('Pidió cambio');

    // ---- Respuestas por atender: the patient and the appointment, never a bare number ----
    const replies = page.getByTestId('reply-row');
    await expect.poll(() => replies.count(), { timeout: 10_000 }).toBe(3);
    const luisReply = replies.filter({ hasText: 'Luis Huamán Soto' });
    expect(await luisReply.getByTestId('reply-appointment').innerText()).toContain('Sede Sur');
    await page.screenshot({ path: '.tmp-shot/citas-change-1366.png', fullPage: true });
    await page.addScriptTag({ path: axePath });
    const serious = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (c: Element) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } }).axe;
      const found = await axe.run(document.querySelector('.page') ?? document.body);
      return found.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    expect(serious).toEqual([]);
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: '.tmp-shot/citas-change-1024.png', fullPage: true });
    await page.setViewportSize({ width: 1366, height: 768 });

    // Responder, inside the 24-hour window: free text through the outbox.
    await luisReply.getByTestId('reply-answer').click();
    await page.getByTestId('reply-answer-text').fill('Hola Luis, ¿le acomoda el miércoles a las 11?');
    await page.getByTestId('reply-answer-send').click();
    await expect
      .poll(() => fake.accepted.filter((m) => m.to === '51987000002' && m.body.type === 'text').length, { timeout: 15_000 })
      .toBe(1);

    // Omar wrote more than 24 hours ago: Responder says a template is needed.
    await replies.filter({ hasText: 'Omar Flores Díaz' }).getByTestId('reply-answer').click();
    await page.getByTestId('reply-window-closed').waitFor();
    expect(await page.getByTestId('reply-window-closed').innerText()).toContain('24 horas');

    // Cancelar cita asks first, then withdraws Rosa's reminders.
    await replies.filter({ hasText: 'Rosa Mamani Torres' }).getByTestId('reply-cancel').click();
    await page.getByTestId('reply-cancel-confirm-yes').click();
    await expect.poll(() => replies.count(), { timeout: 10_000 }).toBe(2);
    const rosaDay = await api('appointments.board', { day: TOMORROW, siteId: centro.id });
    expect(rosaDay.appointments.find((a) => a.id === apt.rosa)?.status).toBe('cancelled');
    expect(rosaDay.reminders.filter((r) => r.appointmentId === apt.rosa).map((r) => r.state)).toEqual(['cancelled', 'cancelled']);

    // Reprogramar from Luis's reply: an hour Santiago's clock skips is refused with the reason.
    await luisReply.getByTestId('reply-reschedule').click();
    const form = page.getByTestId('apt-reschedule-form');
    await form.waitFor();
    expect(await page.getByTestId('apt-reschedule-current').innerText()).toContain('Sede Sur');
    expect(await page.getByTestId('apt-reschedule-time').inputValue()).toBe('10:00');
    await page.getByTestId('apt-reschedule-date').fill('2030-09-08');
    await page.getByTestId('apt-reschedule-time').fill('00:30');
    await page.getByTestId('apt-reschedule-save').click();
    expect(await page.getByTestId('apt-reschedule-error').innerText()).toContain('La hora 00:30 no existe');
    await page.screenshot({ path: '.tmp-shot/citas-reschedule-1366.png' });
    await page.getByTestId('apt-reschedule-date').fill('2030-03-06');
    await page.getByTestId('apt-reschedule-time').fill('11:00');
    expect(await page.getByTestId('apt-reschedule-notify').isChecked()).toBe(true);
    await page.getByTestId('apt-reschedule-save').click();
    await expect.poll(() => form.count(), { timeout: 10_000 }).toBe(0);
    // The page moved to the new day; the reply is attended.
    await expect.poll(() => page.getByTestId('apt-day').inputValue(), { timeout: 10_000 }).toBe('2030-03-06');
    await expect.poll(() => replies.count(), { timeout: 10_000 }).toBe(1);

    // The reminders moved: the old time's are cancelled with the reason, new ones wait for the new time.
    const moved = await api('appointments.board', { day: '2030-03-06', siteId: sur.id });
    expect(moved.appointments.map((a) => [a.id, a.startsAt])).toEqual([[apt.luis, santiago('2030-03-06T11:00')]]);
    const states = moved.reminders.filter((r) => r.appointmentId === apt.luis);
    // (Only the 2 h one was queued: the 24 h one's moment had passed before the booking.)
    expect(states.filter((r) => r.state === 'cancelled').map((r) => r.lastErrorReason)).toEqual([
      expect.stringContaining('La cita se reprogramó: este recordatorio anunciaba la hora anterior (lunes 4 de marzo a las 10:00)'),
    ]);
    expect(states.filter((r) => r.state === 'queued').map((r) => r.notBefore).sort()).toEqual([
      santiago('2030-03-05T11:00'),
      santiago('2030-03-06T09:00'),
    ]);
    // The patient was told, with the template and the new local time.
    await expect
      .poll(() => fake.accepted.find((m) => m.to === '51987000002' && JSON.stringify(m.body).includes('cita_reprogramada'))?.body, {
        timeout: 15_000,
      })
      .toMatchObject({ type: 'template', template: { name: 'cita_reprogramada' } });
    expect(JSON.stringify(fake.accepted.find((m) => JSON.stringify(m.body).includes('cita_reprogramada'))?.body)).toContain('11:00');

    // ---- a double booking is warned about, naming the other appointment; the person may go ahead ----
    await page.getByTestId('apt-today').click();
    await page.getByTestId('apt-new').click();
    await page.getByTestId('apt-patient-search').fill(people.ana.documentNumber);
    await page.getByTestId('apt-patient-option').filter({ hasText: 'Quispe Rojas, Ana' }).click();
    await page.getByTestId('apt-patient-picked').waitFor();
    await page.getByTestId('apt-site').selectOption({ label: 'Sede Centro' });
    await page.getByTestId('apt-date').fill(TOMORROW);
    await page.getByTestId('apt-time').fill('15:30');
    await page.getByTestId('apt-save').click();
    const overlap = page.getByTestId('apt-overlap');
    await overlap.waitFor();
    expect(await overlap.innerText()).toContain('Ana Quispe Rojas');
    await overlap.screenshot({ path: '.tmp-shot/citas-overlap.png' });
    expect(await overlap.innerText()).toContain('Sede Centro');
    expect(await overlap.innerText()).toContain('lun, 4 mar. 2030, 3:00 p. m.');
    expect((await api('appointments.board', { day: TOMORROW, siteId: centro.id })).counts.all).toBe(4);
    await page.getByTestId('apt-overlap-go').click();
    await expect.poll(() => page.getByTestId('apt-form').count(), { timeout: 10_000 }).toBe(0);
    expect((await api('appointments.board', { day: TOMORROW, siteId: centro.id })).counts.all).toBe(5);

    // Moving Ana's 15:00 next to her new 15:30 warns too, and may go ahead without telling her.
    const anaFirst = page.locator(`[data-testid="apt-row"][data-id="${apt.ana}"]`);
    await anaFirst.getByTestId('apt-reschedule').click();
    await page.getByTestId('apt-reschedule-time').fill('15:45');
    await page.getByTestId('apt-reschedule-notify').uncheck();
    await page.getByTestId('apt-reschedule-save').click();
    await page.getByTestId('apt-overlap').waitFor();
    expect(await page.getByTestId('apt-overlap').innerText()).toContain('3:30 p. m.');
    await page.getByTestId('apt-overlap-go').click();
    await expect.poll(() => page.getByTestId('apt-reschedule-form').count(), { timeout: 10_000 }).toBe(0);
    const anaNow = await api('appointments.board', { day: TOMORROW, siteId: centro.id });
    expect(anaNow.appointments.find((a) => a.id === apt.ana)).toMatchObject({ startsAt: lima(`${TOMORROW}T15:45`), status: 'booked' });
    // Her "yes" was for 15:00: she is no longer counted as confirmed.
    expect(anaNow.counts.confirmed).toBe(0);

    // ---- audited with the person who did it ----
    const db = new Database(join(dataDir, 'avisa.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const row = db
        .prepare(`SELECT actor, data FROM audit_events WHERE action = 'appointment.rescheduled' AND entity_id = ?`)
        .get(String(apt.luis)) as { actor: string; data: string } | undefined;
      expect(row?.actor).toBe(testAdmin.name);
      expect(JSON.parse(row?.data ?? '{}')).toMatchObject({ from: santiago(`${TOMORROW}T10:00`), to: santiago('2030-03-06T11:00') });
    } finally {
      db.close();
    }

    await page.screenshot({ path: '.tmp-shot/citas-end-1366.png', fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
