import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AvisaCore } from '../../src/main/core/app';
import { samplePdf } from '../documents/pdf-tools';
import { startCore } from '../helpers/core';
import { tempDir } from '../helpers/temp';
import { makePki, PASSWORD } from './harness';
import { oneSiteClinic } from '../helpers/fixtures';

const cores: AvisaCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
});

describe('results from the shared folder inside the app', () => {
  it('installs the certificate, takes a dropped PDF, signs it and queues it; an unknown patient waits in review until fixed', async () => {
    const { core, call } = await startCore();
    cores.push(core);
    // The Cloud API is not configured: nothing leaves, messages wait in the queue.
    await call('setup.complete', oneSiteClinic());
    expect(await call('certificate.info', {})).toEqual({ configured: false });
    const pki = makePki();
    const wrong = await call('certificate.install', { base64: pki.valid.toString('base64'), password: 'otra' });
    expect(wrong).toMatchObject({ configured: true, ok: false, code: 'wrong_password' });
    expect(await call('certificate.info', {})).toEqual({ configured: false });
    const installed = await call('certificate.install', { base64: pki.valid.toString('base64'), password: PASSWORD });
    expect(installed).toMatchObject({ configured: true, ok: true });

    const patient = await call('patients.create', {
      firstNames: 'Ana',
      lastNames: 'Quispe',
      documentType: 'DNI',
      documentNumber: '41234567',
      phone: '987 654 321',
      consent: true,
    });
    const folder = tempDir('avisa-share-');
    await call('settings.update', { folderSource: { enabled: true, path: folder, pollIntervalMs: 100, stabilityMs: 200 } });
    writeFileSync(join(folder, '41234567_ACC100_resultado.pdf'), await samplePdf());
    // Another document (the same bytes would be the same result, re-copied).
    writeFileSync(join(folder, '49999999_ACC200_resultado.pdf'), await samplePdf({ pages: 2 }));

    await expect.poll(async () => (await call('messages.list', {})).rows.filter((m) => m.kind === 'result').length, { timeout: 15_000 }).toBe(1);
    const message = (await call('messages.list', {})).rows.find((m) => m.kind === 'result')!;
    expect(message.patientId).toBe(patient.id);
    await expect.poll(() => existsSync(join(folder, 'enviados', '41234567_ACC100_resultado.pdf')), { timeout: 10_000 }).toBe(true);

    await expect.poll(async () => (await call('results.review', {})).rows, { timeout: 10_000 }).toHaveLength(1);
    const [item] = (await call('results.review', {})).rows;
    expect(item).toMatchObject({ code: 'unknown_patient' });
    await expect.poll(() => existsSync(join(folder, 'errores', '49999999_ACC200_resultado.pdf')), { timeout: 10_000 }).toBe(true);

    const after = await call('results.fix', { id: item!.id, patientId: patient.id });
    expect(after.rows).toHaveLength(0);
    await expect.poll(async () => (await call('messages.list', {})).rows.filter((m) => m.kind === 'result').length, { timeout: 15_000 }).toBe(2);
    const results = await call('results.list', {});
    expect(results.rows.map((r) => r.status)).toEqual(['queued', 'queued']);
  }, 60_000);
});
