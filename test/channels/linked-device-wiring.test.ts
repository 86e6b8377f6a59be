import { afterEach, describe, expect, it } from 'vitest';
import type { AvisaCore } from '../../src/main/core/app';
import { fakeBaileys } from '../fakes/baileys-socket';
import { startCore } from '../helpers/core';
import { tempDir } from '../helpers/temp';
import { oneSiteClinic } from '../helpers/fixtures';

const cores: AvisaCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
});

describe('linked device inside the app', () => {
  it('shows the QR, links, sends a patient message through the phone and follows its receipts', async () => {
    const baileys = fakeBaileys();
    const { core, call } = await startCore(tempDir(), { makeSocket: baileys.factory });
    cores.push(core);
    await call('setup.complete', oneSiteClinic({ channel: 'linked-device' }));
    await call('settings.update', { linkedDevice: { minGapSeconds: 0, maxGapSeconds: 0 } });
    expect((await call('app.status', {})).channelHealth.state).toBe('not_configured');

    await call('linkedDevice.link', { method: 'qr' });
    await expect.poll(() => baileys.sockets.length).toBe(1);
    const qr = baileys.latest().showQr();
    await expect.poll(async () => (await call('linkedDevice.view', {}))?.connection).toMatchObject({ state: 'qr', qr });

    await baileys.latest().pair('51955500100', '88001122334455');
    await expect.poll(() => baileys.sockets.length).toBe(2); // restart required after pairing
    baileys.latest().open();
    await expect.poll(async () => (await call('app.status', {})).channelHealth.state).toBe('ready');

    const patient = await call('patients.create', {
      firstNames: 'Rosa',
      lastNames: 'Quispe',
      documentType: 'DNI',
      documentNumber: '44556677',
      phone: '987 654 321',
      consent: true,
    });
    const message = await call('messages.send', { patientId: patient.id, mode: 'template', templateName: 'x', templateParams: ['Su cita es mañana'] });
    await expect.poll(async () => (await call('messages.timeline', { id: message.id })).message.state, { timeout: 10_000 }).toBe('sent');
    const sent = baileys.latest().sent[0];
    expect(sent?.jid).toBe('51987654321@s.whatsapp.net');
    const providerId = (await call('messages.timeline', { id: message.id })).message.providerId!;
    baileys.latest().userReceipt(providerId, 'read');
    await expect.poll(async () => (await call('messages.timeline', { id: message.id })).message.state).toBe('read');
  });
});
