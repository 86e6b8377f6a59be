import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { ArgsOf, HandlerName, ResultOf } from '../../src/shared/api';
import { startFakeGraph, type FakeGraph } from '../fakes/graph-api';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server';
import { launchChromium } from '../helpers/browser';
import { APP_SECRET, TOKEN, templates } from '../helpers/cloud';
import { connectCloudApiOnFreePort } from './fixture';
import { recordToasts } from '../helpers/toasts';
import { callServer, startServerProcess, type RunningServer } from '../helpers/server-process';
import { tempDir } from '../helpers/temp';

// A result that WhatsApp cannot deliver (the number is not on WhatsApp): Mensajes offers "Enviar por correo" to the
// patient's address, not a Reenviar that would fail again; one click sends the PDF through the clinic's mail server.

let browser: Browser;
let server: RunningServer;
let fake: FakeGraph;
let smtp: FakeSmtp;
const api = <N extends HandlerName>(name: N, args: ArgsOf<N>): Promise<ResultOf<N>> => callServer(server, name, args);

beforeAll(async () => {
  fake = await startFakeGraph({
    accessToken: TOKEN,
    appSecret: APP_SECRET,
    phoneNumberId: '1055',
    wabaId: '2001',
    templates,
    autoStatuses: false,
    notOnWhatsApp: ['51911111111'],
  });
  smtp = await startFakeSmtp({ users: { avisos: 'clave' } });
  browser = await launchChromium();
  server = await startServerProcess(tempDir());
  await api('setup.complete', {
    clinicName: 'Clínica San José',
    sites: [{ name: 'Sede Centro', country: 'PE', timeZone: 'America/Lima' }],
    services: [{ name: 'Laboratorio' }],
    channel: 'cloud-api',
  });
  fake.setWebhookUrl(`http://127.0.0.1:${await connectCloudApiOnFreePort(api, fake.url)}/webhook`);
  await api('settings.update', {
    email: { fallback: false, host: '127.0.0.1', port: smtp.port, security: 'none', user: 'avisos', fromAddress: 'avisos@clinica.test', fromName: 'Clínica San José' },
  });
  await api('secrets.set', { name: 'email.password', value: 'clave' });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fake?.close();
  await smtp?.close();
});

describe('a document WhatsApp cannot deliver goes by e-mail (browser, server mode)', () => {
  it('offers "Enviar por correo" instead of Reenviar and sends the PDF once', async () => {
    const rosa = await api('patients.create', {
      firstNames: 'Rosa',
      lastNames: 'Huamán',
      documentType: 'DNI',
      documentNumber: '45871236',
      phone: '911 111 111',
      consent: true,
    });
    await api('patients.update', { id: rosa.id, email: 'rosa.huaman@correo.test' });
    const doc = await PDFDocument.create();
    doc.addPage().drawText('Perfil lipídico', { font: await doc.embedFont(StandardFonts.Helvetica), x: 50, y: 700 });
    const base64 = Buffer.from(await doc.save()).toString('base64');
    const m = await api('messages.send', { patientId: rosa.id, mode: 'document', filename: 'perfil.pdf', base64, caption: 'Su resultado.' });
    await expect.poll(async () => (await api('messages.timeline', { id: m.id })).message.state, { timeout: 20_000 }).toBe('failed');

    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.getByTestId('header-failed').click();
    const row = page.locator(`[data-testid="message-row"][data-id="${m.id}"]`);
    await row.waitFor();
    // The number itself is the problem: no Reenviar; the two ways that can work instead.
    expect(await row.getByRole('button', { name: 'Reenviar' }).count()).toBe(0);
    expect(await row.getByTestId('row-fix-phone').isVisible()).toBe(true);
    expect(await row.getByTestId('row-send-email').getAttribute('title')).toContain('rosa.huaman@correo.test');
    // The reason in words; WhatsApp's code only in the detail's details line.
    expect(await row.getByTestId('message-reason').innerText()).not.toContain('131026');
    await row.click();
    await page.getByTestId('message-detail').waitFor();
    // The panel opens before its timeline has loaded: wait for the line rather than read it at once.
    await expect.poll(() => page.getByTestId('message-detail').getByText('Detalle técnico: código 131026').first().isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.getByTestId('resend-message').count()).toBe(0);

    const toasts = await recordToasts(page);
    await page.getByTestId('send-email').click();
    await expect.poll(() => toasts.last(), { timeout: 10_000 }).toContain('rosa.huaman@correo.test');
    await expect.poll(() => smtp.received.length, { timeout: 20_000 }).toBe(1);
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual(['rosa.huaman@correo.test']);
    expect(mail.parsed.attachments.map((a) => a.filename)).toEqual(['perfil.pdf']);
    // The detail follows the e-mail copy, which points back at the WhatsApp attempt.
    await expect.poll(() => page.getByTestId('related-message').first().getAttribute('data-channel'), { timeout: 10_000 }).toBe('cloud-api');
    expect(errors).toEqual([]);
  }, 90_000);
});
