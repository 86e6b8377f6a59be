import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/main/core/hash';
import {
  TokenError,
  closeTokenModules,
  listTokenCertificates,
  listTokens,
  openTokenSession,
} from '../../src/main/core/documents/pkcs11-token';
import { signPdf } from '../../src/main/core/documents/sign-pdf';
import { tokenCredential } from '../../src/main/core/documents/token-credential';
import type { IncomingResult } from '../../src/main/core/intake/incoming-result';
import { signPendingWithPin } from '../../src/main/core/intake/sign-batch';
import { type Party, days, issue, makeCa } from '../helpers/pki';
import { type SoftToken, makeSoftToken, removeSoftHsm, useSoftHsm } from '../helpers/softhsm';
import { tempDir } from '../helpers/temp';
import { harness, reportPdf, type Harness } from '../results/harness';
import { opensslVerify, pdfsig, samplePdf } from './pdf-tools';

// The signing key on a token, through its PKCS#11 module: SoftHSM2 plays the DNIe or the USB token.

const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
let ca: Party;
let doctor: Party;
let token: SoftToken;
/** A second token, taken out during a batch. Made before the module loads: SoftHSM lists the tokens it found then. */
let removable: SoftToken;

beforeAll(() => {
  useSoftHsm();
  ca = makeCa('Avisa Test Root CA', NOW);
  doctor = issue(ca, { cn: 'Dr. Luis Ramos Cáceres', notBefore: days(NOW, -10), notAfter: days(NOW, 365) });
  token = makeSoftToken('dnie-ramos', doctor, ca);
  removable = makeSoftToken('token-usb', doctor, ca, '246810');
});

afterAll(() => {
  closeTokenModules();
  removeSoftHsm();
});

const location = () => ({ modulePath: token.modulePath, tokenSerial: token.serial, certificateId: token.certificateId });

describe('a token through its PKCS#11 module', () => {
  it('lists the token and its signing certificate without the PIN', async () => {
    expect(await listTokens(token.modulePath)).toContainEqual(expect.objectContaining({ serial: token.serial, label: 'dnie-ramos', pinLocked: false }));
    const certificates = await listTokenCertificates(token.modulePath, token.serial, NOW);
    expect(certificates).toHaveLength(1); // the CA's certificate is chain, not a choice
    expect(certificates[0]).toMatchObject({ id: '01', label: 'firma', info: { subject: { commonName: 'Dr. Luis Ramos Cáceres' }, keyType: 'rsa' } });
  });

  it('signs a PDF with the key on the card: pdfsig and openssl validate it', async () => {
    const session = await openTokenSession(location(), token.pin, NOW);
    try {
      expect(session.identity.privateKey).toBeNull();
      const result = await signPdf(await samplePdf(), {
        identity: session.identity,
        reason: 'Certificado médico',
        location: 'Lima',
        timeZone: 'America/Lima',
        now: NOW,
      });
      if (!result.ok) throw new Error(result.reason.en);
      const dir = tempDir();
      writeFileSync(join(dir, 'token.pdf'), result.pdf);
      expect(pdfsig(join(dir, 'token.pdf')).signatures[0]).toMatchObject({
        valid: true,
        commonName: 'Dr. Luis Ramos Cáceres',
        totalDocumentSigned: true,
      });
      expect(opensslVerify(dir, result.pdf, ca.certPem)).toMatchObject({ ok: true });
      expect(result.certificate.subject.commonName).toBe('Dr. Luis Ramos Cáceres');
    } finally {
      session.close();
    }
  });

  it('reports a wrong PIN as such', async () => {
    let error: unknown;
    try {
      await openTokenSession(location(), '000000', NOW);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TokenError);
    expect(error).toMatchObject({ code: 'wrong_pin' });
    expect((error as TokenError).reason.es).toMatch(/PIN incorrecto/);
    // The card counted it; it is not locked.
    expect((await listTokens(token.modulePath)).find((t) => t.serial === token.serial)).toMatchObject({ pinCountLow: true, pinLocked: false });
  });

  it('reports a token that is not there', async () => {
    await expect(openTokenSession({ ...location(), tokenSerial: 'no-such-token' }, token.pin, NOW)).rejects.toBeInstanceOf(TokenError);
  });
});

describe('batch signing with one PIN (Firmar pendientes)', () => {
  const open: Harness[] = [];
  afterAll(async () => {
    for (const h of open.splice(0)) await h.close();
  });

  /** Results waiting for the PIN, signed through a credential on the given token. */
  async function waitingResults(on: SoftToken, count: number, keepSession = false) {
    const opens: number[] = [];
    let signatures = 0;
    let afterSignature: (() => void) | null = null;
    const credential = tokenCredential({
      location: () => ({ modulePath: on.modulePath, tokenSerial: on.serial, certificateId: on.certificateId }),
      keepSession: () => keepSession,
      now: () => Date.now(),
      open: async (loc, pin, now) => {
        opens.push(Date.now());
        const session = await openTokenSession(loc, pin, now);
        const sign = session.identity.sign;
        session.identity.sign = async (data) => {
          const value = await sign(data);
          signatures += 1;
          afterSignature?.();
          return value;
        };
        return session;
      },
    });
    const h = harness(
      { ca, valid: Buffer.alloc(0), expired: Buffer.alloc(0) },
      { tokenCredential: () => credential.current() },
    );
    open.push(h);
    const intakeIds: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const patient = h.patient();
      const pdf = await reportPdf(`Glucosa ${90 + i} mg/dL`);
      const record: IncomingResult = {
        source: 'test',
        sourceKey: `test:${sha256Hex(pdf)}`,
        kind: 'certificate',
        title: 'Certificado médico',
        pdf,
        patient: { documentNumber: patient.documentNumber },
      };
      const outcome = await h.intake.receive(record);
      expect(outcome).toMatchObject({ state: 'review', code: 'certificate' });
      expect(outcome.reason?.es).toMatch(/escriba el PIN/);
      intakeIds.push(outcome.intakeId);
    }
    return {
      h,
      credential,
      opens,
      intakeIds,
      signatures: () => signatures,
      onSignature: (f: () => void) => (afterSignature = f),
    };
  }

  it('signs every waiting result with one PIN, then closes the card session', async () => {
    const { h, credential, opens } = await waitingResults(token, 3);
    const outcome = await signPendingWithPin({ intake: h.intake, credential, actor: 'dra.ramos' }, token.pin);
    expect(outcome).toEqual({ ok: true, signed: 3, waiting: 0 });
    expect(opens).toHaveLength(1);
    const rows = h.resultRows();
    expect(rows.map((r) => [r.status, r.signed])).toEqual([
      ['queued', 1],
      ['queued', 1],
      ['queued', 1],
    ]);
    for (const row of rows) {
      expect(pdfsig(row.filePath ?? '').signatures[0]).toMatchObject({ valid: true, commonName: 'Dr. Luis Ramos Cáceres' });
    }
    // The PIN was not kept: the next document waits for it again.
    expect(credential.current()).toMatchObject({ configured: true, ok: false, code: 'pin_needed' });
  });

  it('keeps the card session for the next results when the clinic says so', async () => {
    const { h, credential } = await waitingResults(token, 1, true);
    expect(await signPendingWithPin({ intake: h.intake, credential, actor: 'dra.ramos' }, token.pin)).toMatchObject({ signed: 1 });
    expect(credential.current()).toMatchObject({ ok: true });
    const patient = h.patient();
    const pdf = await reportPdf('Colesterol 180 mg/dL');
    const later = await h.intake.receive({
      source: 'test',
      sourceKey: `test:${sha256Hex(pdf)}`,
      kind: 'certificate',
      title: 'Certificado',
      pdf,
      patient: { documentNumber: patient.documentNumber },
    });
    expect(later.state).toBe('queued');
    credential.lock();
    expect(credential.current()).toMatchObject({ ok: false, code: 'pin_needed' });
  });

  it('a wrong PIN stops the batch at once: one attempt on the card, nothing signed, everything still waiting', async () => {
    const { h, credential, opens, signatures } = await waitingResults(token, 3);
    const outcome = await signPendingWithPin({ intake: h.intake, credential, actor: 'dra.ramos' }, '999999');
    expect(outcome).toMatchObject({ ok: false, code: 'wrong_pin', signed: 0, waiting: 3 });
    if (!outcome.ok) expect(outcome.reason.es).toMatch(/no lo vuelve a intentar/);
    expect(opens).toHaveLength(1);
    expect(signatures()).toBe(0);
    expect(h.resultRows().every((r) => r.signed === 0)).toBe(true);
    expect(h.messages()).toHaveLength(0);
  });

  it('token removed halfway: what was signed goes, the rest waits in review saying the token is not connected', async () => {
    const { h, credential, onSignature } = await waitingResults(removable, 3);
    onSignature(() => removable.remove());
    const outcome = await signPendingWithPin({ intake: h.intake, credential, actor: 'dra.ramos' }, removable.pin);
    expect(outcome).toEqual({ ok: true, signed: 1, waiting: 2 });
    expect(h.resultRows().map((r) => r.status).sort()).toEqual(['pending_review', 'pending_review', 'queued']);
    const waiting = h.intakeRows().filter((r) => r.reviewCode !== null);
    expect(waiting).toHaveLength(2);
    for (const row of waiting) {
      expect(row.reviewCode).toBe('certificate');
      expect(row.reviewReason).toMatch(/no está conectado/);
    }
    expect(h.messages()).toHaveLength(1);
  });
});
