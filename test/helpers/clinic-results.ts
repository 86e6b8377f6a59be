import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { AvisaCore } from '../../src/main/core/app';
import type { ClinicDbSourceSettings } from '../../src/shared/api';
import { samplePdf } from '../documents/pdf-tools';
import { clinicDatabaseFile, clinicDbSource } from './clinic-agenda';
import { startCore } from './core';
import { tempDir } from './temp';

// A clinic whose results come from its own database: the app set up for one lab, the patient the lab's rows and the
// HL7 fixtures name, the shared folder the rows point into, and the results table and query Ajustes is given.

const running: AvisaCore[] = [];
// Registered after temp.ts's own (this module imports it), so it runs first: each app stops before its folder goes.
afterEach(async () => {
  for (const core of running.splice(0)) await core.stop();
});

export type Clinic = Awaited<ReturnType<typeof startCore>>;

/** A running app with setup done for one site and its laboratory, on the Cloud API channel; stopped after the test. */
export async function labClinic(): Promise<Clinic> {
  const clinic = await startCore();
  running.push(clinic.core);
  await clinic.call('setup.complete', {
    clinicName: 'Clínica San Pablo',
    sites: [{ name: 'Sede Miraflores', country: 'PE', timeZone: 'America/Lima' }],
    services: [{ name: 'Laboratorio' }],
    // Not the demo channel: the demo clinic brings results of its own into Por revisar.
    channel: 'cloud-api',
  });
  return clinic;
}

/** The patient of the lab's rows and of the HL7 fixtures (DNI 45678912), with consent: only the source can hold her. */
export async function registerAna(clinic: Clinic): Promise<void> {
  await clinic.call('patients.create', {
    firstNames: 'Ana María',
    lastNames: 'Quispe Huamán',
    documentType: 'DNI',
    documentNumber: '45678912',
    phone: '987654321',
    consent: true,
  });
}

/** The folder the clinic's rows name their PDFs in, holding one real PDF, hemograma.pdf. */
export async function resultsShare(): Promise<string> {
  const share = tempDir('avisa-share-');
  writeFileSync(join(share, 'hemograma.pdf'), await samplePdf());
  return share;
}

/** The clinic's results table: one row per approved PDF, by DNI. */
const RESULTS_TABLE = 'CREATE TABLE resultados (id INTEGER PRIMARY KEY, dni TEXT, aprobado TEXT, ruta TEXT)';
const RESULTS_QUERY = `SELECT id AS result_id, dni AS document_number, aprobado AS approved_at, ruta AS file_path
  FROM resultados WHERE id > :cursor ORDER BY id`;

/** A fresh SQLite file with the results table and `rows` (id, dni, aprobado, ruta) in it. */
export function resultsDatabase(rows: readonly (readonly unknown[])[] = []): string {
  return clinicDatabaseFile('clinica.sqlite', RESULTS_TABLE, 'INSERT INTO resultados VALUES (?, ?, ?, ?)', rows);
}

/** The results source on `connection` with RESULTS_QUERY, PDFs read from `share`; `more` replaces any setting. */
export function resultsSource(
  connection: ClinicDbSourceSettings['connection'],
  share: string,
  more: Partial<ClinicDbSourceSettings> = {},
): ClinicDbSourceSettings {
  return clinicDbSource('results', connection, RESULTS_QUERY, { fileBaseDir: share, ...more });
}
