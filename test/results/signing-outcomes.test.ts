import { PDFDocument, PDFHexString, PDFName } from 'pdf-lib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/main/core/hash';
import type { IncomingResult } from '../../src/main/core/intake/incoming-result';
import { getResultItem } from '../../src/main/core/store/results-repo';
import { harness, makePki, reportPdf, type Harness, type Pki } from './harness';

let pki: Pki;
const open: Harness[] = [];

beforeAll(() => {
  pki = makePki();
});

afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

function start(): Harness {
  const h = harness(pki);
  open.push(h);
  return h;
}

function record(pdf: Buffer, documentNumber: string): IncomingResult {
  return {
    source: 'test',
    sourceKey: `test:${sha256Hex(pdf)}`,
    kind: 'result',
    title: 'Hemograma completo',
    pdf,
    patient: { documentNumber },
  };
}

/** A PDF certified by its issuer allowing no change (DocMDP P=1). */
async function lockedPdf(): Promise<Buffer> {
  const doc = await PDFDocument.load(await reportPdf());
  const certification = doc.context.obj({
    Type: 'Sig',
    Contents: PDFHexString.of('00'),
    Reference: [{ Type: 'SigRef', TransformMethod: 'DocMDP', TransformParams: { Type: 'TransformParams', P: 1, V: '1.2' } }],
  });
  doc.catalog.set(PDFName.of('Perms'), doc.context.obj({ DocMDP: doc.context.register(certification) }));
  return Buffer.from(await doc.save());
}

describe('how signing problems reach the receptionist', () => {
  it('D5: a locked PDF waits as locked, with the locked reason, not as an invalid PDF', async () => {
    const h = start();
    h.patient({ documentNumber: '45678912' });
    const outcome = await h.intake.receive(record(await lockedPdf(), '45678912'));
    expect(outcome).toMatchObject({ state: 'review', code: 'locked_pdf' });
    expect(outcome.reason?.es).toMatch(/certificado sin permitir más cambios/);
    expect(h.intakeRows()[0]?.reviewReason).toMatch(/certificado sin permitir más cambios/);
    expect(h.intakeRows()[0]?.reviewReason).not.toMatch(/no es un PDF válido/);
    expect(h.messages()).toHaveLength(0);
  });

  it('D7: signed without a timestamp because the TSA is down: the warning is in the audit trail and on the result', async () => {
    const h = start();
    h.config.signing = { ...h.config.signing, tsaUrl: 'http://127.0.0.1:9/tsa', tsaOptional: true };
    h.patient({ documentNumber: '45678913' });
    const outcome = await h.intake.receive(record(await reportPdf(), '45678913'));
    expect(outcome.state).toBe('queued');
    const item = getResultItem(h.db, outcome.resultId ?? 0);
    expect(item).toMatchObject({ signed: true, signatureLevel: 'B-B' });
    expect(item?.signatureWarning).toMatch(/sin sello de tiempo \(PAdES B-B\)/);
    const events = h.db
      .prepare("SELECT action, data FROM audit_events WHERE action = 'result.signature_warning'")
      .all() as { action: string; data: string }[];
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]?.data ?? '{}')).toMatchObject({ code: 'tsa_unavailable', reason: { es: expect.stringMatching(/B-B/) } });
  });

  it('a result signed as asked carries its level and no warning', async () => {
    const h = start();
    h.patient({ documentNumber: '45678914' });
    const outcome = await h.intake.receive(record(await reportPdf(), '45678914'));
    expect(getResultItem(h.db, outcome.resultId ?? 0)).toMatchObject({ signed: true, signatureLevel: 'B-B', signatureWarning: null });
  });
});
