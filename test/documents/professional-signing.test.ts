import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTokenModules } from '../../src/main/core/documents/pkcs11-token';
import { DATABASE_FILE } from '../../src/main/core/store/db';
import type { Caller } from '../../src/main/core/people/caller';
import { startCore } from '../helpers/core';
import { type Party, days, forgeP12, issue, makeCa } from '../helpers/pki';
import { type SoftToken, makeSoftToken, removeSoftHsm, useSoftHsm } from '../helpers/softhsm';
import { tempDir } from '../helpers/temp';
import { PDFDocument } from 'pdf-lib';
import { pdfsig } from './pdf-tools';
import { testDoctor } from '../helpers/people';

// Each professional signs what they validate with their own certificate: two SoftHSM2 tokens play two doctors' USB
// tokens, the clinic's PKCS#12 seals on top when the clinic asks for it. Everything goes through the API as the
// professionals' own calls, and every signed PDF is checked by poppler.

const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const SITE_PASSWORD = 'clave-de-la-clinica';
let ca: Party;
let paredesCert: Party;
let salasCert: Party;
let site: Party;
let paredesToken: SoftToken;
let salasToken: SoftToken;

beforeAll(() => {
  useSoftHsm();
  ca = makeCa('Avisa Test Root CA', NOW);
  const validity = { notBefore: days(NOW, -10), notAfter: days(NOW, 365) };
  paredesCert = issue(ca, { cn: 'PAREDES VEGA LUCIA FIRMA', ...validity });
  salasCert = issue(ca, { cn: 'SALAS RUIZ HUGO FIRMA', ...validity });
  site = issue(ca, { cn: 'Clínica San Martín SAC', ...validity });
  // Both tokens exist before the module is first loaded: SoftHSM lists the tokens it found then.
  paredesToken = makeSoftToken('token-paredes', paredesCert, ca, '111111');
  salasToken = makeSoftToken('token-salas', salasCert, ca, '222222');
});

/** A one-page lab report of its own (the same bytes twice would be the same document). */
async function labReport(accession: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText(`Resultado de laboratorio ${accession}`, { x: 50, y: 780, size: 14 });
  page.drawText('Hemoglobina: 13.5 g/dL', { x: 50, y: 750, size: 11 });
  return Buffer.from(await doc.save());
}

/** The PDF with its streams uncompressed (qpdf), where the stamp's lines are WinAnsi hex strings. */
function stampText(pdf: Buffer): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'in.pdf'), pdf);
  try {
    execFileSync('qpdf', ['--qdf', '--object-streams=disable', join(dir, 'in.pdf'), join(dir, 'qdf.pdf')]);
  } catch {
    // qpdf exits 3 on warnings; the output is written all the same.
  }
  return readFileSync(join(dir, 'qdf.pdf')).toString('latin1').toUpperCase();
}

afterAll(() => {
  closeTokenModules();
  removeSoftHsm();
});

describe("a professional's own credential", () => {
  it('signs each result with its approver’s token; a wrong PIN is refused before anything changes, a missing token leaves it waiting with the reason; the seal adds the site’s signature', async () => {
    const { core, call, dataDir } = await startCore();
    await call('settings.update', { channel: 'demo' });
    await call('certificate.install', { base64: forgeP12(site, [ca], SITE_PASSWORD).toString('base64'), password: SITE_PASSWORD });
    const paredes = await call('people.create', testDoctor);
    const salas = await call('people.create', {
      name: 'Dr. Hugo Salas',
      documentNumber: '70000003',
      roles: ['professional'],
      registryNumber: 'CMP 031177',
      secretKind: 'pin',
      secret: '903322',
    });
    const as = async (document: string, secret: string): Promise<Caller> => {
      const signedIn = await core.auth.signIn(document, secret, '127.0.0.1');
      if (!signedIn.ok) throw new Error(signedIn.message);
      return { via: 'http', address: '127.0.0.1', credential: { kind: 'session', token: signedIn.token } };
    };
    const dra = await as('70000002', '902211');
    const dr = await as('70000003', '903322');
    const invoke = async <T,>(name: Parameters<typeof core.invoke>[0], args: unknown, caller: Caller): Promise<T> => {
      const response = await core.invoke(name, args as never, caller);
      if (!response.ok) throw new Error(`${response.error.code}: ${response.error.message}`);
      return response.result as T;
    };

    // An administrator links each doctor's token certificate to their person.
    for (const [person, token] of [
      [paredes, paredesToken],
      [salas, salasToken],
    ] as const) {
      const linked = await call('professional.linkToken', {
        personId: person.id,
        modulePath: token.modulePath,
        tokenSerial: token.serial,
        certificateId: token.certificateId,
      });
      expect(linked).toMatchObject({ personId: person.id, kind: 'token', open: false });
    }
    expect((await call('professional.credentials', {})).map((c) => c.subject).sort()).toEqual(['PAREDES VEGA LUCIA FIRMA', 'SALAS RUIZ HUGO FIRMA']);

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
    /** Drops a lab result in the shared folder and waits for it to ask for a professional's validation. */
    const arrives = async (accession: string): Promise<number> => {
      writeFileSync(join(folder, `${patient.documentNumber}_${accession}_resultado.pdf`), await labReport(accession));
      await expect
        .poll(async () => (await call('results.review', {})).rows.find((r) => r.originalName?.includes(accession))?.code, { timeout: 20_000 })
        .toBe('awaiting_validation');
      return (await call('results.review', {})).rows.find((r) => r.originalName?.includes(accession))?.resultId as number;
    };
    const reviewOf = async (resultId: number) => (await call('results.review', {})).rows.find((r) => r.resultId === resultId);
    const signedPdf = async (resultId: number) => {
      const file = join(tempDir(), `result-${resultId}.pdf`);
      writeFileSync(file, Buffer.from((await call('results.document', { id: resultId })).base64, 'base64'));
      return pdfsig(file);
    };

    // Dra. Paredes validates with her PIN: signed with her certificate, queued.
    const first = await arrives('ACC1');
    const byParedes = await invoke<{ state: string }>('results.validateSigned', { id: first, secret: '111111' }, dra);
    expect(byParedes).toMatchObject({ state: 'queued', validation: { personId: paredes.id, registryNumber: 'CMP 045821' } });
    const firstSignatures = await signedPdf(first);
    expect(firstSignatures.signatures, firstSignatures.output).toHaveLength(1);
    expect(firstSignatures.signatures[0]).toMatchObject({ valid: true, commonName: 'PAREDES VEGA LUCIA FIRMA', type: 'ETSI.CAdES.detached' });
    // The stamp names the signer from the certificate, with the registry number from the person.
    expect(stampText(Buffer.from((await call('results.document', { id: first })).base64, 'base64'))).toContain(
      Buffer.from('PAREDES VEGA LUCIA FIRMA (CMP 045821)', 'latin1').toString('hex').toUpperCase(),
    );

    // Dr. Salas mistypes his PIN: refused with the reason before anything is recorded (still awaiting his validation),
    // and not tried again. He validates it to sign later: it waits for his signature, never the clinic's.
    const second = await arrives('ACC2');
    await expect(invoke('results.validateSigned', { id: second, secret: '999999' }, dr)).rejects.toThrow(/wrong_pin: .*PIN incorrecto/);
    expect(await reviewOf(second)).toMatchObject({ code: 'awaiting_validation' });
    expect(await invoke('results.validateSigned', { id: second }, dr)).toMatchObject({ state: 'waiting' });
    expect(await reviewOf(second)).toMatchObject({ code: 'certificate' });
    expect((await reviewOf(second))?.reason).toMatch(/Dr\. Hugo Salas/);
    // The clinic's own certificate never stands in for his.
    expect((await call('results.list', { filter: 'sent' })).rows.map((r) => r.id)).not.toContain(second);

    // "Firmar mis pendientes" with the right PIN signs it with his certificate.
    expect(await invoke('professional.mine', {}, dr)).toMatchObject({ linked: true, kind: 'token', waiting: 1, open: false });
    expect(await invoke('professional.signMine', { secret: '222222' }, dr)).toMatchObject({ ok: true, signed: 1, waiting: 0 });
    const secondSignatures = await signedPdf(second);
    expect(secondSignatures.signatures[0]).toMatchObject({ valid: true, commonName: 'SALAS RUIZ HUGO FIRMA' });
    // The session was not kept (the default): the next one asks again.
    expect(await invoke('professional.mine', {}, dr)).toMatchObject({ open: false });

    // The clinic seals what professionals sign: a second signature, the site's, by incremental update.
    await call('settings.update', { signing: { sealProfessionalSignatures: true } });
    const third = await arrives('ACC3');
    expect(await invoke('results.validateSigned', { id: third, secret: '222222' }, dr)).toMatchObject({ state: 'queued' });
    const sealed = await signedPdf(third);
    expect(sealed.signatures, sealed.output).toHaveLength(2);
    expect(sealed.signatures[0]).toMatchObject({ valid: true, commonName: 'SALAS RUIZ HUGO FIRMA', totalDocumentSigned: false });
    expect(sealed.signatures[1]).toMatchObject({ valid: true, commonName: 'Clínica San Martín SAC', totalDocumentSigned: true });

    // Her token is taken out: her next validation waits with the reason, nothing goes unsigned.
    paredesToken.remove();
    const fourth = await arrives('ACC4');
    const absent = await invoke<{ state: string; reason: string }>('results.validateSigned', { id: fourth, secret: '111111' }, dra);
    expect(absent.state).toBe('waiting');
    expect(absent.reason).toMatch(/no está conectado|token/i);
    expect(await reviewOf(fourth)).toMatchObject({ code: 'certificate' });
    expect((await reviewOf(fourth))?.reason).toMatch(/Dra\. Lucía Paredes/);
    expect((await call('results.list', { filter: 'sent' })).rows.map((r) => r.id)).not.toContain(fourth);

    // A professional whose certificate is a .p12: linked with its password typed once (never kept), opened with it
    // again when signing.
    const vidal = await call('people.create', {
      name: 'Dra. Ana Vidal',
      documentNumber: '70000004',
      roles: ['professional'],
      registryNumber: 'CMP 051234',
      secretKind: 'pin',
      secret: '904433',
    });
    const vidalCert = issue(ca, { cn: 'VIDAL SOTO ANA FIRMA', notBefore: days(NOW, -10), notAfter: days(NOW, 365) });
    const vidalP12 = forgeP12(vidalCert, [ca], 'su-clave').toString('base64');
    await expect(call('professional.linkP12', { personId: vidal.id, base64: vidalP12, password: 'otra' })).rejects.toThrow(/wrong_password/);
    expect(await call('professional.linkP12', { personId: vidal.id, base64: vidalP12, password: 'su-clave' })).toMatchObject({ kind: 'p12', subject: 'VIDAL SOTO ANA FIRMA' });
    const fifth = await arrives('ACC5');
    const dv = await as('70000004', '904433');
    expect(await invoke('results.validateSigned', { id: fifth, secret: 'su-clave' }, dv)).toMatchObject({ state: 'queued' });
    const byP12 = await signedPdf(fifth);
    expect(byP12.signatures[0]).toMatchObject({ valid: true, commonName: 'VIDAL SOTO ANA FIRMA' });

    await core.stop();

    // Audited with the person: who signed which result, with which certificate, sealed or not.
    const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
    const events = db
      .prepare("SELECT person_id AS personId, entity_id AS entityId, data FROM audit_events WHERE action = 'result.signed_by_professional' ORDER BY id")
      .all() as { personId: number; entityId: string; data: string }[];
    db.close();
    expect(events.map((e) => [e.personId, Number(e.entityId), (JSON.parse(e.data) as { sealed: boolean }).sealed])).toEqual([
      [paredes.id, first, false],
      [salas.id, second, false],
      [salas.id, third, true],
      [vidal.id, fifth, true],
    ]);
  }, 120_000);
});
