import { setConsentPolicy } from '../../src/main/core/store/consent-repo';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/main/core/hash';
import { createDocumentPipeline } from '../../src/main/core/documents/pipeline';
import type { IncomingResult } from '../../src/main/core/intake/incoming-result';
import { createResultsIntake, resultMessageSent } from '../../src/main/core/intake/results-intake';
import type { Outbox } from '../../src/main/core/outbox/outbox';
import { getPatient } from '../../src/main/core/store/patients-repo';
import { pdfsig } from '../documents/pdf-tools';
import { tempDir } from '../helpers/temp';
import { harness, makePki, reportPdf, type Harness, type Pki } from './harness';

let pki: Pki;
const open: Harness[] = [];

beforeAll(() => {
  pki = makePki();
});

afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

function start(o: Parameters<typeof harness>[1] = {}): Harness {
  const h = harness(pki, o);
  open.push(h);
  return h;
}

async function record(over: Partial<IncomingResult> = {}, pdf?: Buffer): Promise<IncomingResult> {
  const bytes = pdf ?? (await reportPdf());
  return {
    source: 'test',
    sourceKey: `test:${sha256Hex(bytes)}`,
    kind: 'result',
    title: 'Hemograma completo',
    pdf: bytes,
    patient: {},
    ...over,
  };
}

describe('results intake', () => {
  it('signs, stores and enqueues a result for a known patient, once however often it arrives', async () => {
    const h = start();
    const patient = h.patient({ documentNumber: '45678912' });
    const incoming = await record({ patient: { documentNumber: '45.678.912' } });

    const first = await h.intake.receive(incoming);
    expect(first).toMatchObject({ state: 'queued' });
    const again = await h.intake.receive({ ...incoming, originalName: 'copia.pdf' });
    expect(again).toMatchObject({ state: 'duplicate', intakeId: first.intakeId, resultId: first.resultId });

    const [result, ...otherResults] = h.resultRows();
    expect(otherResults).toHaveLength(0);
    expect(result).toMatchObject({ patientId: patient.id, status: 'queued', signed: 1 });
    const signed = readFileSync(result?.filePath ?? '');
    expect(result?.filePath).toBe(join(h.dataDir, 'documents', `${sha256Hex(signed)}.pdf`));
    expect(result?.sha256).toBe(sha256Hex(signed));

    const messages = h.messages();
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message).toMatchObject({
      kind: 'result',
      idempotencyKey: `result:${incoming.sourceKey}`,
      resultId: result?.id,
      toPhone: '+51987654321',
      templateName: 'resultado_listo',
      documentPath: result?.filePath,
      priority: 1,
      state: 'queued',
    });
    expect(JSON.parse(message?.templateParams ?? '[]')).toEqual(['María', 'Hemograma completo']);
    expect(message?.documentFilename).toMatch(/^Resultado_Hemograma_completo_\d{4}-\d{2}-\d{2}\.pdf$/);

    const check = pdfsig(message?.documentPath ?? '');
    expect(check.signatures).toHaveLength(1);
    expect(check.signatures[0]?.valid).toBe(true);
    expect(check.signatures[0]?.totalDocumentSigned).toBe(true);
  });

  it('creates the patient a record describes; consent only when the source says so, as an import', async () => {
    const h = start();
    const withConsent = await h.intake.receive(
      await record({
        patient: {
          documentNumber: '70112233',
          firstNames: 'Rosa',
          lastNames: 'Mamani Flores',
          phone: '912 345 678',
          consent: true,
          medicalRecordNumber: 'HC-0091',
        },
      }),
    );
    expect(withConsent.state).toBe('queued');
    const created = getPatient(h.db, h.resultRows()[0]?.patientId ?? 0);
    expect(created).toMatchObject({
      documentType: 'DNI',
      documentNumber: '70112233',
      phoneE164: '+51912345678',
      consent: 'opted_in',
      consentSource: 'import',
    });

    const withoutConsent = await h.intake.receive(
      await record({ patient: { documentNumber: '70112234', firstNames: 'Luis', lastNames: 'Soto', phone: '913345678' } }),
    );
    expect(withoutConsent).toMatchObject({ state: 'review', code: 'no_consent' });
    expect(getPatient(h.db, h.resultRows()[1]?.patientId ?? 0)?.consent).toBe('unknown');

    // The medical record number found the first patient again, without a document number.
    const byMrn = await h.intake.receive(await record({ patient: { medicalRecordNumber: 'HC-0091' } }));
    expect(byMrn.state).toBe('queued');
    expect(h.resultRows()[2]?.patientId).toBe(created?.id);
    expect(h.messages()).toHaveLength(2);
  });

  it('keeps problems in "por revisar" with a reason a receptionist understands, and sends nothing', async () => {
    const h = start();
    h.patient({ documentNumber: '10000001', phone: '014221234' }); // a Lima landline
    h.patient({ documentNumber: '10000002', consent: 'unknown' });
    h.patient({ documentNumber: '10000003', consent: 'opted_out' });
    // A clinic whose policy holds even results after "BAJA" (the default lets them go: see the next test).
    setConsentPolicy(h.db, { resultsAfterOptOut: false, documentsAfterOptOut: false, remindersAfterOptOut: false }, 0);

    const unknown = await h.intake.receive(await record({ patient: { documentNumber: '99999999' } }));
    const landline = await h.intake.receive(await record({ patient: { documentNumber: '10000001' } }));
    const noConsent = await h.intake.receive(await record({ patient: { documentNumber: '10000002' } }));
    const optedOut = await h.intake.receive(await record({ patient: { documentNumber: '10000003' } }));
    const nobody = await h.intake.receive(await record({ patient: {} }));

    expect(unknown).toMatchObject({ state: 'review', code: 'unknown_patient', resultId: null });
    expect(unknown.reason?.es).toContain('DNI 99999999');
    expect(landline).toMatchObject({ state: 'review', code: 'bad_phone' });
    expect(landline.reason?.es).toMatch(/celular/);
    expect(noConsent).toMatchObject({ state: 'review', code: 'no_consent' });
    expect(optedOut).toMatchObject({ state: 'review', code: 'opted_out' });
    expect(nobody).toMatchObject({ state: 'review', code: 'unknown_patient' });

    expect(h.messages()).toHaveLength(0);
    // Where a patient was found the result exists, waiting with the same reason.
    expect(h.resultRows().map((r) => [r.status, r.reviewReason === null])).toEqual([
      ['pending_review', false],
      ['pending_review', false],
      ['pending_review', false],
    ]);
    const queue = h.intake.listReviewQueue({ limit: 10, offset: 0 });
    expect(queue.total).toBe(5);
    expect(queue.rows.map((r) => r.code).sort()).toEqual(
      ['bad_phone', 'no_consent', 'opted_out', 'unknown_patient', 'unknown_patient'].sort(),
    );
    const unknownItem = queue.rows.find((r) => r.id === unknown.intakeId);
    expect(unknownItem).toMatchObject({ patientId: null, incoming: { documentNumber: '99999999' } });
    expect(unknownItem?.reason).toContain('No hay ningún paciente');
    expect(readFileSync(unknownItem?.documentFile ?? '').subarray(0, 5).toString()).toBe('%PDF-');
  });

  it("sends a result to a patient who opted out when the clinic's policy says results still go (the default)", async () => {
    const h = start();
    h.patient({ documentNumber: '10000003', consent: 'opted_out' });
    const optedOut = await h.intake.receive(await record({ patient: { documentNumber: '10000003' } }));
    expect(optedOut.state).toBe('queued');
    expect(h.messages()).toHaveLength(1);
  });

  it('lets a person fix the patient, the phone or the consent and retry', async () => {
    const h = start();
    const existing = h.patient({ documentNumber: '20000001' });
    const noPhone = h.patient({ documentNumber: '20000002', phone: null });
    const noConsent = h.patient({ documentNumber: '20000003', consent: 'unknown' });

    const a = await h.intake.receive(await record({ patient: { documentNumber: '2000001' } })); // a typo at the lab
    const b = await h.intake.receive(await record({ patient: { documentNumber: '20000002' } }));
    const c = await h.intake.receive(await record({ patient: { documentNumber: '20000003' } }));
    expect([a.code, b.code, c.code]).toEqual(['unknown_patient', 'bad_phone', 'no_consent']);

    expect(await h.intake.fix({ id: a.intakeId, patientId: existing.id }, 'recepcion')).toMatchObject({ state: 'queued' });
    expect(await h.intake.fix({ id: b.intakeId, phone: '987 111 222' }, 'recepcion')).toMatchObject({ state: 'queued' });
    expect(getPatient(h.db, noPhone.id)?.phoneE164).toBe('+51987111222');
    expect(await h.intake.fix({ id: c.intakeId, consent: true }, 'recepcion')).toMatchObject({ state: 'queued' });
    expect(getPatient(h.db, noConsent.id)).toMatchObject({ consent: 'opted_in', consentSource: 'reception_form' });

    expect(h.messages().map((m) => m.toPhone)).toEqual(['+51987654321', '+51987111222', '+51987654321']);
    expect(h.intake.listReviewQueue({ limit: 10, offset: 0 }).total).toBe(0);

    // A patient the source did not know, registered from the review queue.
    const d = await h.intake.receive(await record({ patient: { documentNumber: '30000001' } }));
    expect(d.code).toBe('unknown_patient');
    const fixed = await h.intake.fix(
      { id: d.intakeId, firstNames: 'Jorge', lastNames: 'Paz', phone: '956789012', consent: true },
      'recepcion',
    );
    expect(fixed.state).toBe('queued');
    const registered = getPatient(h.db, h.resultRows().at(-1)?.patientId ?? 0);
    expect(registered).toMatchObject({ documentNumber: '30000001', consent: 'opted_in', consentSource: 'reception_form' });
  });

  it('takes a corrected delivery of an item still in review, and ignores re-deliveries once sent', async () => {
    const h = start();
    const patient = h.patient({ documentNumber: '40000011' });
    const bytes = await reportPdf();
    const wrong = await h.intake.receive(await record({ patient: { documentNumber: '40000099' } }, bytes));
    expect(wrong.code).toBe('unknown_patient');
    const right = await h.intake.receive(await record({ patient: { documentNumber: '40000011' } }, bytes));
    expect(right).toMatchObject({ state: 'queued', intakeId: wrong.intakeId });
    expect(h.resultRows()).toHaveLength(1);
    expect(h.resultRows()[0]?.patientId).toBe(patient.id);

    // Once queued, a source saying something else changes nothing.
    const late = await h.intake.receive(await record({ patient: { documentNumber: '40000099' } }, bytes));
    expect(late.state).toBe('duplicate');
    expect(h.resultRows()[0]?.patientId).toBe(patient.id);
    expect(h.messages()).toHaveLength(1);
  });

  it('handles the same record arriving twice at once as one result and one message', async () => {
    const h = start();
    h.patient({ documentNumber: '50000001' });
    const incoming = await record({ patient: { documentNumber: '50000001' } });
    const outcomes = await Promise.all([h.intake.receive(incoming), h.intake.receive(incoming), h.intake.receive(incoming)]);
    expect(outcomes.map((x) => x.state).sort()).toEqual(['duplicate', 'duplicate', 'queued']);
    expect(h.resultRows()).toHaveLength(1);
    expect(h.messages()).toHaveLength(1);
  });

  it('puts a corrupt or non-PDF document in review as invalid_pdf, never in the outbox', async () => {
    const h = start();
    h.patient({ documentNumber: '60000001' });
    const good = await reportPdf();
    const truncated = good.subarray(0, 40);
    const notPdf = Buffer.from('PK\u0003\u0004 this is a zip, not a pdf');
    const a = await h.intake.receive(await record({ patient: { documentNumber: '60000001' } }, truncated));
    const b = await h.intake.receive(await record({ patient: { documentNumber: '60000001' } }, notPdf));
    expect(a).toMatchObject({ state: 'review', code: 'invalid_pdf' });
    expect(b).toMatchObject({ state: 'review', code: 'invalid_pdf' });
    expect(b.reason?.es).toMatch(/no es un PDF válido/);
    expect(h.messages()).toHaveLength(0);
  });

  it('never enqueues a document that must be signed without a valid signature', async () => {
    const h = start();
    h.patient({ documentNumber: '70000001' });
    h.config.certificate = { p12: pki.expired, password: 'clave-de-prueba' };

    const expired = await h.intake.receive(await record({ patient: { documentNumber: '70000001' } }));
    expect(expired).toMatchObject({ state: 'review', code: 'certificate' });
    expect(expired.reason?.es).toMatch(/Certificado vencido/);
    expect(h.messages()).toHaveLength(0);
    expect(h.resultRows()[0]).toMatchObject({ status: 'pending_review', signed: 0, filePath: null });

    h.config.certificate = { p12: pki.valid, password: 'otra clave' };
    expect(await h.intake.retry(expired.intakeId, 'recepcion')).toMatchObject({ code: 'certificate' });
    h.config.certificate = null;
    expect(await h.intake.retry(expired.intakeId, 'recepcion')).toMatchObject({ code: 'no_certificate' });
    expect(h.messages()).toHaveLength(0);

    // The site installs a valid certificate: the same item goes, signed.
    h.config.certificate = { p12: pki.valid, password: 'clave-de-prueba' };
    expect(await h.intake.retry(expired.intakeId, 'recepcion')).toMatchObject({ state: 'queued' });
    const [message] = h.messages();
    expect(pdfsig(message?.documentPath ?? '').signatures[0]?.valid).toBe(true);
    expect(h.resultRows()[0]).toMatchObject({ status: 'queued', signed: 1 });
  });

  it('follows each kind\'s rule: a receipt may go unsigned, a certificate may not', async () => {
    const h = start();
    h.patient({ documentNumber: '80000001' });
    h.config.certificate = null;
    const receipt = await h.intake.receive(await record({ kind: 'receipt', title: 'Boleta B001-123', patient: { documentNumber: '80000001' } }));
    const certificate = await h.intake.receive(await record({ kind: 'certificate', title: 'Descanso médico', patient: { documentNumber: '80000001' } }));
    expect(receipt.state).toBe('queued');
    expect(certificate).toMatchObject({ state: 'review', code: 'no_certificate' });
    const [message] = h.messages();
    expect(message).toMatchObject({ kind: 'document', templateName: 'recibo_listo' });
    expect(message?.documentFilename).toMatch(/^Recibo_Boleta_B001_123_/);
    expect(pdfsig(message?.documentPath ?? '').signatures).toHaveLength(0);
    expect(h.resultRows().find((r) => r.kind === 'receipt')?.signed).toBe(0);

    // With a certificate, the same rule signs what it can.
    h.config.certificate = { p12: pki.valid, password: 'clave-de-prueba' };
    await h.intake.retry(certificate.intakeId, 'recepcion');
    const second = h.messages()[1];
    expect(second).toMatchObject({ kind: 'document', templateName: 'certificado_listo' });
    expect(pdfsig(second?.documentPath ?? '').signatures[0]?.valid).toBe(true);
  });

  it('holds results for a manual approval click when the site requires it', async () => {
    const h = start({ results: { requireManualApproval: true } });
    h.patient({ documentNumber: '90000001' });
    const held = await h.intake.receive(await record({ patient: { documentNumber: '90000001' } }));
    expect(held).toMatchObject({ state: 'awaiting_approval', code: 'awaiting_approval' });
    expect(h.messages()).toHaveLength(0);
    expect(h.resultRows()[0]?.status).toBe('pending_review');
    // Retrying does not approve: only the click does.
    expect((await h.intake.retry(held.intakeId, 'recepcion')).state).toBe('awaiting_approval');
    expect(h.messages()).toHaveLength(0);

    const approved = await h.intake.approve(held.intakeId, 'dra.perez');
    expect(approved.state).toBe('queued');
    expect(h.messages()).toHaveLength(1);
    const row = h.db.prepare('SELECT manual_approved_by AS by FROM results').get() as { by: string };
    expect(row.by).toBe('dra.perez');

    // A source that says "not approved yet" is held whatever the setting.
    h.config.results = { ...h.config.results, requireManualApproval: false };
    const draft = await h.intake.receive(await record({ approved: false, patient: { documentNumber: '90000001' } }));
    expect(draft.state).toBe('awaiting_approval');
    expect(h.messages()).toHaveLength(1);
  });

  it('refuses to approve what has no patient yet, and lets a person dismiss an item', async () => {
    const h = start();
    const orphan = await h.intake.receive(await record({ patient: { documentNumber: '11111111' } }));
    await expect(h.intake.approve(orphan.intakeId, 'recepcion')).rejects.toMatchObject({ code: 'no_result' });
    h.intake.dismiss(orphan.intakeId, 'recepcion');
    expect(h.intake.listReviewQueue({ limit: 10, offset: 0 }).total).toBe(0);
  });

  it('marks a dismissed result as dismissed: it no longer waits for review, and nothing is sent', async () => {
    const h = start({ results: { requireManualApproval: true } });
    h.patient({ documentNumber: '90000002' });
    const pdf = await reportPdf();
    const held = await h.intake.receive(await record({ patient: { documentNumber: '90000002' } }, pdf));
    expect(h.resultRows()[0]?.status).toBe('pending_review');
    h.intake.dismiss(held.intakeId, 'recepcion');
    expect(h.resultRows()[0]?.status).toBe('dismissed');
    expect(h.intake.listReviewQueue({ limit: 10, offset: 0 }).total).toBe(0);
    expect(h.messages()).toHaveLength(0);
    // The source delivering it again (approved this time) does not overrule the person.
    h.config.results = { ...h.config.results, requireManualApproval: false };
    const again = await h.intake.receive(await record({ patient: { documentNumber: '90000002' } }, pdf));
    expect(again.state).toBe('duplicate');
    expect(h.resultRows()[0]?.status).toBe('dismissed');
    expect(h.messages()).toHaveLength(0);
  });

  it('sends a result whose signing a crash interrupted when the app starts again', async () => {
    const h = start();
    h.patient({ documentNumber: '12121212' });
    h.config.certificate = null;
    const item = await h.intake.receive(await record({ patient: { documentNumber: '12121212' } }));
    expect(item.code).toBe('no_certificate');
    // What a crash between approval and the outbox leaves behind.
    h.db.prepare(`UPDATE results SET status = 'approved', review_reason = NULL`).run();
    h.db.prepare('UPDATE result_intake SET review_code = NULL, review_reason = NULL').run();
    h.config.certificate = { p12: pki.valid, password: 'clave-de-prueba' };
    expect(await h.intake.resume()).toBe(1);
    expect(h.messages()).toHaveLength(1);
    expect(h.resultRows()[0]?.status).toBe('queued');
    expect(await h.intake.resume()).toBe(0);
  });

  it('tells the source when an item it had to fail went through after all', async () => {
    const resolved: (string | null)[] = [];
    const h = start({ intake: { onResolved: (item) => resolved.push(item.sourceFile) } });
    const item = await h.intake.receive(await record({ patient: { documentNumber: '13131313' } }));
    h.intake.noteSourceFile(item.intakeId, join(tempDir(), 'errores', 'x.pdf'));
    h.patient({ documentNumber: '13131313' });
    expect((await h.intake.retry(item.intakeId, 'recepcion')).state).toBe('queued');
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toMatch(/errores\/x\.pdf$/);
  });
});

describe('after the outbox', () => {
  it('shows a result as sent once its message reached the provider', async () => {
    const h = start();
    h.patient({ documentNumber: '14141414' });
    await h.intake.receive(await record({ patient: { documentNumber: '14141414' } }));
    const [message] = h.messages();
    expect(resultMessageSent(h.db, message?.id ?? 0, Date.now())).toBe(true);
    expect(h.resultRows()[0]?.status).toBe('sent');
    expect(resultMessageSent(h.db, message?.id ?? 0, Date.now())).toBe(false);
  });

  it('keeps an item visible when something unexpected breaks while sending it', async () => {
    const h = start();
    h.patient({ documentNumber: '15151515' });
    const broken = { ...h.outbox, enqueue: () => { throw new Error('disco lleno'); } };
    const failing = harnessWithOutbox(h, broken);
    const outcome = await failing.receive(await record({ patient: { documentNumber: '15151515' } }));
    expect(outcome).toMatchObject({ state: 'review', code: 'internal' });
    expect(outcome.reason?.es).toContain('disco lleno');
    expect(h.resultRows()[0]).toMatchObject({ status: 'pending_review' });
    expect(h.messages()).toHaveLength(0);
  });
});

/** The same database and settings, with another outbox (one that fails). */
function harnessWithOutbox(h: Harness, outbox: Outbox) {
  const pipeline = createDocumentPipeline({
    db: h.db,
    outbox,
    documentsDir: join(h.dataDir, 'documents'),
    now: Date.now,
    timeZone: () => 'America/Lima',
    channel: () => 'demo',
    templateLanguage: () => 'es',
    results: () => h.config.results,
    signing: () => h.config.signing,
    certificate: () => h.config.certificate,
  });
  return createResultsIntake({
    db: h.db,
    pipeline,
    originalsDir: join(h.dataDir, 'documents', 'originals'),
    now: Date.now,
    language: () => 'es',
    defaultCountry: () => 'PE',
    results: () => h.config.results,
  });
}
