import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { samplePdf } from '../documents/pdf-tools';
import { cloudRig } from '../helpers/cloud';
import { tempDir } from '../helpers/temp';
import { makePki, PASSWORD } from './harness';

// Resultados' list actions on the API, with the Cloud API against the Graph fake: the tabs' filters, sending a
// dismissed result after all, resending a failed one, and refusing what makes no sense.

type Rig = Awaited<ReturnType<typeof cloudRig>>;
const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
});

async function rig() {
  const r = await cloudRig();
  rigs.push(r);
  const pki = makePki();
  await r.call('certificate.install', { base64: pki.valid.toString('base64'), password: PASSWORD });
  const patient = await r.call('patients.create', {
    firstNames: 'Rosa',
    lastNames: 'Mamani',
    documentType: 'DNI',
    documentNumber: '45871236',
    phone: '987 654 321',
    consent: true,
  });
  const folder = tempDir('avisa-share-');
  await r.call('settings.update', { folderSource: { enabled: true, path: folder, pollIntervalMs: 100, stabilityMs: 200 } });
  const drop = async (name: string, pages: number) =>
    writeFileSync(join(folder, `${patient.documentNumber}_${name}_resultado.pdf`), await samplePdf({ pages }));
  const ids = async (filter: 'incoming' | 'signed' | 'sent' | 'failed' | 'dismissed') =>
    (await r.call('results.list', { filter })).rows.map((x) => x.id);
  return { r, drop, ids };
}

describe('Resultados list actions', () => {
  it('sends a dismissed result after all, and a sent one is refused with the way to resend', async () => {
    const { r, drop, ids } = await rig();
    await r.call('settings.update', { results: { requireManualApproval: true } });
    await drop('ACC1', 1);
    await expect.poll(async () => (await r.call('results.review', {})).rows.length, { timeout: 20_000 }).toBe(1);
    const [item] = (await r.call('results.review', {})).rows;
    await r.call('results.dismiss', { id: item!.id });
    expect(await ids('dismissed')).toEqual([item!.resultId]);
    expect((await r.call('results.review', {})).total).toBe(0);
    expect(r.fake.accepted).toHaveLength(0);

    const sent = await r.call('results.send', { id: item!.resultId! });
    expect(sent.status).toBe('queued');
    await expect.poll(() => r.fake.accepted.length, { timeout: 20_000 }).toBe(1);
    await expect.poll(() => ids('sent'), { timeout: 20_000 }).toEqual([item!.resultId]);
    expect(await ids('dismissed')).toEqual([]);
    expect(await ids('signed')).toEqual([item!.resultId]);
    await expect(r.call('results.send', { id: item!.resultId! })).rejects.toThrow(/already_sent: .*Reenviar/);
  }, 60_000);

  it('lists a failed send under Fallidos with the reason, and resends it', async () => {
    const { r, drop, ids } = await rig();
    r.fake.failNext({ httpStatus: 400, code: 131026, message: 'Message undeliverable' });
    await drop('ACC2', 2);
    await expect.poll(() => ids('failed'), { timeout: 20_000 }).toHaveLength(1);
    const [failed] = (await r.call('results.list', { filter: 'failed' })).rows;
    expect(failed?.messageError).toBeTruthy();
    expect(await ids('sent')).toEqual([]);

    const again = await r.call('results.resend', { id: failed!.id });
    expect(again.messageId).not.toBe(failed!.messageId);
    await expect.poll(() => ids('sent'), { timeout: 20_000 }).toEqual([failed!.id]);
    expect(await ids('failed')).toEqual([]);
    const messages = (await r.call('messages.list', {})).rows.filter((m) => m.kind === 'result');
    expect(messages.map((m) => m.state).sort()).toEqual(['failed', 'sent']);
  }, 60_000);

  it('refuses a resend of what was never sent, and a preview of what does not exist', async () => {
    const { r, drop } = await rig();
    await r.call('settings.update', { results: { requireManualApproval: true } });
    await drop('ACC3', 1);
    await expect.poll(async () => (await r.call('results.review', {})).rows.length, { timeout: 20_000 }).toBe(1);
    const [item] = (await r.call('results.review', {})).rows;
    await expect(r.call('results.resend', { id: item!.resultId! })).rejects.toThrow(/not_sent_yet: .*Enviar/);
    // Waiting for approval, it can still be looked at: the original as it arrived, unsigned.
    const original = await r.call('results.document', { id: item!.id, of: 'review' });
    expect(original.signed).toBe(false);
    expect(Buffer.from(original.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    await expect(r.call('results.resend', { id: 999 })).rejects.toThrow(/not_found/);
    await expect(r.call('results.document', { id: 999 })).rejects.toThrow(/not_found: El documento ya no existe/);
    await expect(r.call('results.document', { id: 999, of: 'review' })).rejects.toThrow(/not_found/);
  }, 60_000);
});
