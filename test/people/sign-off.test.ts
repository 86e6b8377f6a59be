import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/main/core/people/caller';
import { samplePdf } from '../documents/pdf-tools';
import { startCore } from '../helpers/core';
import { tempDir } from '../helpers/temp';
import { makePki, PASSWORD } from '../results/harness';

// A kind that requires a health professional's validation never goes before it: reception can neither validate nor
// push it out, and the professional's validation is recorded (id, name, registry number, time), stamped on the
// signed PDF, and shown in the evidence export.
describe('sign-off by a health professional', () => {
  it('holds the result until a professional validates it, then signs it with "Validado por" and sends it', async () => {
    const { core, call, dataDir } = await startCore();
    await call('settings.update', { channel: 'demo' });
    const pki = makePki();
    await call('certificate.install', { base64: pki.valid.toString('base64'), password: PASSWORD });
    const carmen = await call('people.create', {
      name: 'Carmen Rojas',
      documentNumber: '70000001',
      roles: ['reception'],
      secretKind: 'pin',
      secret: '111111',
    });
    const doctor = await call('people.create', {
      name: 'Dra. Lucía Paredes',
      documentNumber: '70000002',
      roles: ['professional'],
      registryNumber: 'CMP 045821',
      secretKind: 'pin',
      secret: '222222',
    });
    const as = async (document: string, secret: string): Promise<Caller> => {
      const signedIn = await core.auth.signIn(document, secret, '127.0.0.1');
      if (!signedIn.ok) throw new Error(signedIn.message);
      return { via: 'http', address: '127.0.0.1', credential: { kind: 'session', token: signedIn.token } };
    };
    const desk = await as('70000001', '111111');
    const dra = await as('70000002', '222222');

    const patient = await call('patients.create', {
      firstNames: 'Rosa',
      lastNames: 'Mamani',
      documentType: 'DNI',
      documentNumber: '45871236',
      phone: '987 654 321',
      consent: true,
    });
    await call('settings.update', { signOff: { requiredKinds: ['result'], trustedSources: [] } });
    const folder = tempDir('avisa-share-');
    await call('settings.update', { folderSource: { enabled: true, path: folder, pollIntervalMs: 100, stabilityMs: 200 } });
    writeFileSync(join(folder, `${patient.documentNumber}_ACC7_resultado.pdf`), await samplePdf());

    await expect.poll(async () => (await call('results.review', {})).rows[0]?.code, { timeout: 20_000 }).toBe('awaiting_validation');
    const [item] = (await call('results.review', {})).rows;
    const resultId = item!.resultId!;
    expect(item!.reason).toMatch(/validación de un profesional de salud/);

    // Reception: approving or sending does not get past the validation; validating is refused outright.
    expect(await core.invoke('results.approve', { id: item!.id }, desk)).toMatchObject({ ok: true });
    expect(await core.invoke('results.send', { id: resultId }, desk)).toMatchObject({ ok: true });
    expect((await call('results.review', {})).rows[0]).toMatchObject({ code: 'awaiting_validation' });
    // Her approval is recorded with her name and id, as the audit trail records it.
    const db = new Database(join(dataDir, 'avisa.sqlite'), { readonly: true });
    expect(db.prepare('SELECT manual_approved_by AS name, manual_approved_person_id AS personId FROM results').get()).toEqual({
      name: 'Carmen Rojas',
      personId: carmen.id,
    });
    db.close();
    const refused = await core.invoke('results.validate', { id: resultId }, desk);
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await call('messages.list', {})).total).toBe(0);

    // The professional validates: recorded, then signed and queued.
    const validated = await core.invoke('results.validate', { id: resultId }, dra);
    expect(validated).toMatchObject({
      ok: true,
      result: { resultId, personId: doctor.id, personName: 'Dra. Lucía Paredes', registryNumber: 'CMP 045821' },
    });
    expect(await call('results.validations', { ids: [resultId] })).toHaveLength(1);
    await expect.poll(async () => (await call('messages.list', {})).total, { timeout: 20_000 }).toBe(1);
    // The demo channel turns 6 % of messages away (131026, as a number not on WhatsApp): the result left, either way.
    await expect.poll(async () => (await call('results.list', { filter: 'signed' })).total, { timeout: 30_000 }).toBe(1);
    const left = async () => {
      const m = (await call('messages.list', {})).rows[0];
      return m?.state === 'failed' ? `failed:${m.lastErrorCode}` : m?.state;
    };
    await expect.poll(left, { timeout: 30_000 }).toMatch(/^(sent|delivered|read|failed:131026)$/);

    // The stamp says who validated (the appearance stream, uncompressed by qpdf, holds the line in WinAnsi hex).
    const signed = Buffer.from((await call('results.document', { id: resultId })).base64, 'base64');
    const file = join(tempDir(), 'signed.pdf');
    writeFileSync(file, signed);
    const qdf = join(tempDir(), 'qdf.pdf');
    try {
      execFileSync('qpdf', ['--qdf', '--object-streams=disable', file, qdf]);
    } catch {
      // qpdf exits 3 on warnings; the output is written all the same.
    }
    const hex = Buffer.from('Validado por Dra. Lucía Paredes (CMP 045821)', 'latin1').toString('hex').toUpperCase();
    expect(readFileSync(qdf).toString('latin1').toUpperCase()).toContain(hex);
    expect(execFileSync('pdfsig', [file]).toString()).toMatch(/Signature Validation: Signature is Valid/);

    // The evidence export names both: who validated (with the registry number) and who tried to send by hand.
    const evidence = await core.invoke('evidence.export', { patientId: patient.id, format: 'csv' }, desk);
    if (!evidence.ok) throw new Error(evidence.error.message);
    const csv = Buffer.from((evidence.result as { base64: string }).base64, 'base64').toString('utf8');
    expect(csv).toMatch(/result\.validated;Validado por profesional de salud;[^;]*;CMP 045821;Dra\. Lucía Paredes/);
    await core.stop();
  }, 90_000);
});
