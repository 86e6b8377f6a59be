import { afterEach, describe, expect, it } from 'vitest';
import { fakeBaileys } from '../fakes/baileys-socket';
import { cloudRig } from '../helpers/cloud';
import { webhooksApplied } from '../helpers/webhook-inbox';

type Rig = Awaited<ReturnType<typeof cloudRig>>;
const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
});

async function bothChannels() {
  const baileys = fakeBaileys();
  const r = await cloudRig({ notOnWhatsApp: ['51900000009'] }, { makeSocket: baileys.factory });
  rigs.push(r);
  await r.call('settings.update', {
    routing: { manual: { primary: 'cloud-api', fallback: 'linked-device' } },
    linkedDevice: { minGapSeconds: 0, maxGapSeconds: 0 },
  });
  await r.call('linkedDevice.link', { method: 'qr' });
  await expect.poll(() => baileys.sockets.length).toBe(1);
  baileys.latest().showQr();
  await baileys.latest().pair('51955500100', '88001122334455');
  await expect.poll(() => baileys.sockets.length).toBe(2);
  baileys.latest().open();
  await expect.poll(async () => (await r.call('linkedDevice.view', {}))?.connection.state).toBe('open');
  return { r, baileys };
}

describe('channel per kind of message, with a fallback', () => {
  it('sends through the primary channel only, when it works', async () => {
    const { r, baileys } = await bothChannels();
    const p = await r.patient();
    const m = await r.call('messages.send', { patientId: p.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['Hola'] });
    await expect.poll(async () => (await r.call('messages.timeline', { id: m.id })).message.state, { timeout: 10_000 }).toBe('sent');
    expect(r.fake.accepted).toHaveLength(1);
    // Only a failure makes a copy for the other channel, in the same step that records it: there is none to send.
    expect((await r.call('messages.list', {})).rows.filter((x) => x.resendOf === m.id)).toEqual([]);
    expect(baileys.latest().sent).toHaveLength(0);
  });

  it('after the Cloud API reports the number undeliverable, the same content goes once through the phone', async () => {
    const { r, baileys } = await bothChannels();
    const p = await r.patient('900000009');
    const m = await r.call('messages.send', { patientId: p.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['Su resultado está listo'] });
    await expect.poll(async () => (await r.call('messages.timeline', { id: m.id })).message.state, { timeout: 10_000 }).toBe('failed');
    await expect
      .poll(async () => (await r.call('messages.list', {})).rows.find((x) => x.resendOf === m.id), { timeout: 10_000 })
      .toMatchObject({ channel: 'linked-device' });
    const copy = (await r.call('messages.list', {})).rows.find((x) => x.resendOf === m.id)!;
    await expect.poll(async () => (await r.call('messages.timeline', { id: copy.id })).message.state, { timeout: 10_000 }).toBe('sent');
    expect(baileys.latest().sent).toHaveLength(1);
    expect(baileys.latest().sent[0]?.jid).toBe('51900000009@s.whatsapp.net');
    // A duplicate failed webhook does not make a second copy.
    await r.fake.status(r.fake.accepted[0]!.wamid, 'failed', { errors: [{ code: 131026, title: 'Message undeliverable' }] });
    await r.fake.idle();
    // Answered, so stored; once applied, a copy it made would already be a row.
    await webhooksApplied(r.dataDir);
    expect((await r.call('messages.list', {})).rows.filter((x) => x.resendOf === m.id)).toHaveLength(1);
    expect(r.fake.accepted).toHaveLength(1);
  });
});
