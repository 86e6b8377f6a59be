import type { AppointmentCsvImport, AppointmentCsvPreview } from '../../../shared/api';
import type { Language } from '../../../shared/domain';
import type { Planner } from '../scheduler/planner';
import { findAppointmentBySourceKey, upsertAppointment } from '../store/appointments-repo';
import { listServices, listSites } from '../store/clinic-repo';
import { withScratchInMemory, type Db } from '../store/db';
import { findPatientByDocument } from '../store/patients-repo';
import { parseAppointmentsCsv, type ParsedCsv, type ParsedCsvRow } from './appointments-csv';
import { matchPatient } from './patient-match';

export interface CsvImportContext {
  at: number;
  language: Language;
}

function parseWith(db: Db, csv: string, ctx: CsvImportContext): ParsedCsv {
  return parseAppointmentsCsv(csv, {
    sites: listSites(db),
    services: listServices(db),
    language: ctx.language,
    now: ctx.at,
    knownPatient: (type, number) => {
      const p = findPatientByDocument(db, type, number);
      return p ? { hasPhone: p.phoneE164 !== null } : null;
    },
  });
}

/** What importing the row would do to the stored appointment (the patient may not exist yet: then it is new). */
function actionOf(db: Db, row: ParsedCsvRow): 'create' | 'update' | 'unchanged' | null {
  const r = row.record;
  if (!r) return null;
  const stored = findAppointmentBySourceKey(db, r.sourceKey);
  if (!stored) return 'create';
  const patient = findPatientByDocument(db, r.documentType, r.documentNumber);
  const same =
    patient?.id === stored.patientId &&
    stored.siteId === r.siteId &&
    stored.serviceId === r.serviceId &&
    stored.startsAt === r.startsAt &&
    (r.status === null || r.status === stored.status);
  return same ? 'unchanged' : 'update';
}

function summarise(parsed: ParsedCsv, rows: ParsedCsvRow[]): AppointmentCsvPreview {
  const valid = rows.filter((r) => r.record !== null).length;
  return {
    rows: rows.map(({ record: _record, ...row }) => row),
    fileError: parsed.fileError,
    columns: parsed.columns,
    delimiter: parsed.delimiter,
    valid,
    invalid: rows.length - valid,
  };
}

/** Every row checked against the clinic and the register; nothing is written. */
export function previewAppointmentsCsv(db: Db, csv: string, ctx: CsvImportContext): AppointmentCsvPreview {
  const parsed = parseWith(db, csv, ctx);
  return summarise(parsed, parsed.rows.map((row) => ({ ...row, action: actionOf(db, row) })));
}

/**
 * Imports the valid rows in one transaction: the patient found by document (or registered, with consent taken as
 * 'import' only when the file says so), the appointment upserted by its key and its reminders planned. A row whose
 * appointment is already as the file says is left alone, so the same file imported twice changes nothing. A status
 * left blank keeps the one Avisa has (a patient's confirmation is not undone by a re-import).
 */
export function importAppointmentsCsv(db: Db, planner: Planner, csv: string, ctx: CsvImportContext): AppointmentCsvImport {
  const parsed = parseWith(db, csv, ctx);
  const sites = listSites(db);
  let created = 0;
  let updated = 0;
  let unchanged = 0;
  let patientsCreated = 0;
  // A file of thousands of rows is one bulk write: its statement journals stay in memory (see withScratchInMemory).
  const rows = withScratchInMemory(db, db.transaction(() =>
    parsed.rows.map((row): ParsedCsvRow => {
      const r = row.record;
      if (!r) return row;
      const action = actionOf(db, row);
      if (action === 'unchanged') {
        unchanged++;
        return { ...row, action };
      }
      const site = sites.find((s) => s.id === r.siteId);
      const match = matchPatient(
        db,
        {
          documentType: r.documentType,
          documentNumber: r.documentNumber,
          ...(r.firstNames ? { firstNames: r.firstNames } : {}),
          ...(r.lastNames ? { lastNames: r.lastNames } : {}),
          ...(r.phone ? { phone: r.phone } : {}),
          ...(r.consent !== null ? { consent: r.consent } : {}),
        },
        {
          assignedPatientId: null,
          defaultDocumentType: 'DNI',
          at: ctx.at,
          language: ctx.language,
          defaultCountry: site?.country ?? 'PE',
          consentSource: 'import',
        },
      );
      if (!match.ok) {
        // The parser checked names for unknown patients; this is a safety net, shown like any other row error.
        return { ...row, record: null, action: null, errors: [{ field: 'documentNumber', reason: match.reason[ctx.language] }] };
      }
      if (match.created) patientsCreated++;
      const stored = findAppointmentBySourceKey(db, r.sourceKey);
      const id = upsertAppointment(
        db,
        {
          siteId: r.siteId,
          serviceId: r.serviceId,
          patientId: match.patient.id,
          startsAt: r.startsAt,
          status: r.status ?? stored?.status ?? 'booked',
          source: 'csv',
          sourceKey: r.sourceKey,
          professional: null,
        },
        ctx.at,
      );
      planner.planAppointment(id);
      if (action === 'create') created++;
      else updated++;
      return { ...row, action };
    }),
  ));
  return { ...summarise(parsed, rows), created, updated, unchanged, patientsCreated };
}
