import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LIMA, limaDay } from '../helpers/lima-day';
import { useE2e } from './fixture';

const e2e = useE2e({
  clinic: {
    clinicName: 'Clínica Prueba',
    sites: [
      { name: 'Sede Centro', country: 'PE', timeZone: LIMA },
      { name: 'Sede Norte', country: 'PE', timeZone: LIMA },
    ],
    services: [{ name: 'Laboratorio' }, { name: 'Cardiología' }],
    channel: 'cloud-api',
  },
});
const { api } = e2e;

describe('Citas → Importar CSV in a browser (server mode)', () => {
  it('previews an Excel CSV with per-row reasons, imports the good rows with reminders, and a second import changes nothing', async () => {
    const day = limaDay(4);
    // What Excel in a Spanish locale saves: Windows-1252 (no UTF-8), ';', CRLF, quotes.
    const text =
      'Documento;Nombres;Apellidos;Celular;Sede;Servicio;Fecha;Hora;Consentimiento\r\n' +
      `45871236;Rosa;"Mamani; Torres";987 654 321;Sede Centro;Cardiología;${day.dmy};10:00;sí\r\n` +
      `40112233;Luis;Quispe;987 111 222;Sede Sur;Laboratorio;${day.dmy};11:00;sí\r\n` +
      `40998877;Ana;Rojas;12345;Sede Norte;Laboratorio;${day.dmy};09:00;sí\r\n` +
      `40556677;Juan;Soto;987 333 444;Sede Centro;Laboratorio;31/02/2026;09:00;sí\r\n`;
    const latin1 = Buffer.from(text, 'latin1');

    const context = await e2e.browser.newContext({ timezoneId: 'Asia/Tokyo', locale: 'es-PE' });
    const page: Page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(e2e.server.url);
    await page.getByTestId('nav-appointments').click();
    await page.getByTestId('apt-import').click();
    await page.getByTestId('csv-file').setInputFiles({ name: 'citas.csv', mimeType: 'text/csv', buffer: latin1 });

    const rows = page.getByTestId('csv-row');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(4);
    expect(await page.getByTestId('csv-summary').innerText()).toContain('1 filas listas para importar, 3 con problemas');
    const row = (line: number) => page.locator(`[data-testid="csv-row"][data-line="${line}"]`);
    expect(await row(2).getAttribute('data-ok')).toBe('true');
    expect(await row(2).innerText()).toContain('Rosa Mamani; Torres');
    expect(await row(2).innerText()).toContain('Cardiología'); // decoded from Windows-1252
    expect(await row(2).innerText()).toContain(`${day.dmy} 10:00`);
    expect(await row(2).getByTestId('csv-action').innerText()).toBe('Cita nueva');
    expect(await row(3).getByTestId('csv-errors').innerText()).toContain('Sede desconocida: «Sede Sur»');
    expect(await row(4).getByTestId('csv-errors').innerText()).toContain('Celular no válido: «12345»');
    expect(await row(5).getByTestId('csv-errors').innerText()).toContain('Fecha no válida: «31/02/2026»');

    // Nothing written by the preview.
    const from = Date.UTC(day.y, day.m - 1, day.d, 5);
    expect((await api('appointments.day', { from, to: from + 86_400_000 })).appointments).toEqual([]);

    await page.getByTestId('csv-import-run').click();
    await expect.poll(() => page.getByTestId('csv-summary').innerText(), { timeout: 10_000 }).toContain(
      'Importación terminada: 1 citas nuevas, 0 actualizadas, 0 sin cambios, 3 filas con problemas.',
    );
    // The bad rows are still on screen with their reasons after the import.
    expect(await row(3).getByTestId('csv-errors').count()).toBe(1);

    const stored = await api('appointments.day', { from, to: from + 86_400_000 });
    expect(stored.appointments).toHaveLength(1);
    expect(stored.appointments[0]).toMatchObject({
      patientName: 'Rosa Mamani; Torres',
      siteName: 'Sede Centro',
      serviceName: 'Cardiología',
      startsAt: Date.UTC(day.y, day.m - 1, day.d, 15, 0), // 10:00 in Lima, not in Tokyo
      status: 'booked',
    });
    expect(stored.reminders.map((r) => `${r.ruleKey}:${r.state}`)).toEqual(['24h:queued', '2h:queued']);
    const patients = await api('patients.list', { search: '45871236' });
    expect(patients.rows[0]).toMatchObject({ consent: 'opted_in', consentSource: 'import', phoneE164: '+51987654321' });

    // The Citas table of that day shows it; Reprogramar says the other agenda may need the change too.
    await page.getByTestId('apt-day').fill(day.iso);
    await expect.poll(() => page.getByTestId('apt-row').count(), { timeout: 10_000 }).toBe(1);
    await page.getByTestId('apt-row').getByTestId('apt-reschedule').click();
    const form = page.getByTestId('apt-reschedule-form');
    await expect
      .poll(() => form.getByTestId('apt-clinic-system-note').innerText(), { timeout: 10_000 })
      .toBe('Esta cita vino de un archivo CSV: si la clínica también la lleva en otra agenda, cámbiela allí.');
    await form.getByRole('button', { name: 'Cancelar', exact: true }).click();
    await expect.poll(() => form.count(), { timeout: 10_000 }).toBe(0);

    // The same file again: the preview says "Sin cambios" and the import changes nothing.
    await page.getByTestId('csv-file').setInputFiles({ name: 'citas.csv', mimeType: 'text/csv', buffer: latin1 });
    // The previous preview stays on screen until the new one arrives: wait for the row's own verdict.
    await expect.poll(() => row(2).getByTestId('csv-action').innerText(), { timeout: 10_000 }).toBe('Sin cambios');
    expect(await page.getByTestId('csv-import-run').isDisabled()).toBe(true);
    const again = await api('appointments.csvImport', { csv: text });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 1, invalid: 3 });
    const after = await api('appointments.day', { from, to: from + 86_400_000 });
    expect(after).toEqual(stored);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
