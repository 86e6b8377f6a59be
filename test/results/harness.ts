import { PDFDocument, StandardFonts } from 'pdf-lib';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ConsentStatus, Patient } from '../../src/shared/domain';
import { createDocumentPipeline, type DocumentPipeline } from '../../src/main/core/documents/pipeline';
import type { CertificateSource } from '../../src/main/core/documents/certificate-cache';
import { eventBus } from '../../src/main/core/events';
import { registerPatient } from '../../src/main/core/intake/patients';
import { createResultsIntake, type ResultsIntake, type ResultsIntakeOptions } from '../../src/main/core/intake/results-intake';
import {
  resultsSettingsSchema,
  signingSettingsSchema,
  type ResultsSettings,
  type SigningSettings,
} from '../../src/main/core/settings/results-settings';
import { createOutbox, type Outbox } from '../../src/main/core/outbox/outbox';
import { openDatabase, type Db } from '../../src/main/core/store/db';
import { updatePatientRow } from '../../src/main/core/store/patients-repo';
import { days, forgeP12, issue, makeCa, type Party } from '../helpers/pki';
import { tempDir } from '../helpers/temp';

// The results path on a real SQLite file: outbox, document pipeline with a real certificate, intake.

export const PASSWORD = 'clave-de-prueba';

export interface Pki {
  ca: Party;
  valid: Buffer;
  expired: Buffer;
}

/** A CA, a valid clinic certificate and an expired one (RSA keys take a moment: make them once per file). */
export function makePki(now = new Date()): Pki {
  const ca = makeCa('Avisa Test Root CA', now);
  const clinic = issue(ca, { cn: 'Clínica San José', o: 'Clínica San José SAC', notBefore: days(now, -10), notAfter: days(now, 365) });
  const old = issue(ca, { cn: 'Clínica San José', notBefore: days(now, -400), notAfter: days(now, -5) });
  return { ca, valid: forgeP12(clinic, [ca], PASSWORD), expired: forgeP12(old, [ca], PASSWORD) };
}

export interface MessageRow {
  id: number;
  kind: string;
  idempotencyKey: string;
  resultId: number | null;
  toPhone: string;
  templateName: string | null;
  templateParams: string;
  body: string;
  documentPath: string | null;
  documentFilename: string | null;
  priority: number;
  state: string;
}

export interface ResultRow {
  id: number;
  kind: string;
  patientId: number;
  status: string;
  reviewReason: string | null;
  filePath: string | null;
  sha256: string | null;
  signed: number;
  studyUid: string | null;
  accessionNumber: string | null;
  title: string;
}

export interface IntakeItemRow {
  id: number;
  sourceKey: string;
  reviewCode: string | null;
  reviewReason: string | null;
  sourceFile: string | null;
  resultId: number | null;
}

export interface Harness {
  dataDir: string;
  db: Db;
  outbox: Outbox;
  pipeline: DocumentPipeline;
  intake: ResultsIntake;
  /** What the settings say; the modules read it on every use, so a test changes it in place. */
  config: { results: ResultsSettings; signing: SigningSettings; certificate: CertificateSource | null };
  patient(p?: { documentNumber?: string; phone?: string | null; consent?: ConsentStatus; firstNames?: string }): Patient;
  messages(): MessageRow[];
  resultRows(): ResultRow[];
  intakeRows(): IntakeItemRow[];
  close(): Promise<void>;
}

export function harness(
  pki: Pki,
  o: {
    results?: Partial<ResultsSettings>;
    lookupStudyUid?: (accession: string) => Promise<string | null>;
    intake?: Partial<ResultsIntakeOptions>;
  } = {},
): Harness {
  const dataDir = tempDir('avisa-results-');
  const db = openDatabase(dataDir);
  const now = () => Date.now();
  const outbox = createOutbox(db, eventBus(), now, () => 'es');
  const h: Harness['config'] = {
    results: resultsSettingsSchema.parse(o.results ?? {}),
    signing: signingSettingsSchema.parse({ location: 'Lima, Perú' }),
    certificate: { p12: pki.valid, password: PASSWORD },
  };
  const pipeline = createDocumentPipeline({
    db,
    outbox,
    documentsDir: join(dataDir, 'documents'),
    now,
    timeZone: () => 'America/Lima',
    channel: () => 'demo',
    templateLanguage: () => 'es',
    results: () => h.results,
    signing: () => h.signing,
    certificate: () => h.certificate,
    ...(o.lookupStudyUid ? { lookupStudyUid: o.lookupStudyUid } : {}),
  });
  const intake = createResultsIntake({
    db,
    pipeline,
    originalsDir: join(dataDir, 'documents', 'originals'),
    now,
    language: () => 'es',
    defaultCountry: () => 'PE',
    results: () => h.results,
    ...o.intake,
  });
  let documentNumber = 40_000_000;
  const harnessObject: Harness = {
    dataDir,
    db,
    outbox,
    pipeline,
    intake,
    config: h,
    patient(p = {}) {
      documentNumber += 1;
      const patient = registerPatient(
        db,
        {
          firstNames: p.firstNames ?? 'María Elena',
          lastNames: 'Quispe Huamán',
          documentType: 'DNI',
          documentNumber: p.documentNumber ?? String(documentNumber),
          phone: p.phone === undefined ? '987654321' : p.phone,
          consent: (p.consent ?? 'opted_in') === 'opted_in',
        },
        { at: now(), language: 'es', defaultCountry: 'PE' },
      );
      if (p.consent === 'opted_out') updatePatientRow(db, patient.id, { consent: 'opted_out' }, now());
      return patient;
    },
    messages: () =>
      db
        .prepare(
          `SELECT id, kind, idempotency_key AS idempotencyKey, result_id AS resultId, to_phone AS toPhone,
            template_name AS templateName, template_params AS templateParams, body, document_path AS documentPath,
            document_filename AS documentFilename, priority, state FROM messages ORDER BY id`,
        )
        .all() as MessageRow[],
    resultRows: () =>
      db
        .prepare(
          `SELECT id, kind, patient_id AS patientId, status, review_reason AS reviewReason, file_path AS filePath, sha256,
            signed, study_uid AS studyUid, accession_number AS accessionNumber, title FROM results ORDER BY id`,
        )
        .all() as ResultRow[],
    intakeRows: () =>
      db
        .prepare(
          `SELECT id, source_key AS sourceKey, review_code AS reviewCode, review_reason AS reviewReason,
            source_file AS sourceFile, result_id AS resultId FROM result_intake ORDER BY id`,
        )
        .all() as IntakeItemRow[],
    async close() {
      await intake.idle();
      db.close();
    },
  };
  return harnessObject;
}

/** Polls until `check` holds (a real folder watcher works on its own time); fails with what it last saw. */
export async function waitFor<T>(what: string, probe: () => T, check: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  let value = probe();
  while (!check(value)) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
    value = probe();
  }
  return value;
}

export function filesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

let pdfCounter = 0;

/** A one-page lab report, different on every call (the content decides a folder document's identity). */
export async function reportPdf(label = 'Hemoglobina: 13.5 g/dL'): Promise<Buffer> {
  pdfCounter += 1;
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  page.drawText('Resultado de laboratorio', { x: 50, y: 780, size: 14, font });
  page.drawText(`${label} (muestra ${pdfCounter}-${process.pid}-${Date.now()})`, { x: 50, y: 750, size: 11, font });
  return Buffer.from(await doc.save());
}
