import { z } from 'zod';
import type { IncomingResult } from './incoming-result';

// The source's record as kept in result_intake.record: everything but the document, so a person can fix it and retry
// without the source delivering it again.

const reasonSchema = z.object({ es: z.string(), en: z.string() });

export const storedRecordSchema = z.object({
  patient: z
    .object({
      documentType: z.enum(['DNI', 'CE', 'PASAPORTE']).optional(),
      documentNumber: z.string().optional(),
      medicalRecordNumber: z.string().optional(),
      firstNames: z.string().optional(),
      lastNames: z.string().optional(),
      phone: z.string().optional(),
      consent: z.boolean().optional(),
    })
    .default({}),
  accessionNumber: z.string().nullable().default(null),
  studyUid: z.string().nullable().default(null),
  approved: z.boolean().default(true),
  approvedBy: z.string().nullable().default(null),
  approvedAt: z.number().nullable().default(null),
  problem: z
    .object({
      code: z.enum(['no_metadata', 'bad_sidecar', 'unknown_kind', 'not_pdf', 'unreadable']),
      reason: reasonSchema,
    })
    .nullable()
    .default(null),
  /** Consent typed by a person while fixing the item (recorded as reception_form, not import). */
  consentByPerson: z.boolean().default(false),
});

export type StoredRecord = z.infer<typeof storedRecordSchema>;

export function toStoredRecord(record: IncomingResult): StoredRecord {
  return storedRecordSchema.parse({
    patient: record.patient,
    accessionNumber: record.accessionNumber?.trim() || null,
    studyUid: record.studyUid?.trim() || null,
    approved: record.approved ?? true,
    approvedBy: record.approvedBy ?? null,
    approvedAt: record.approvedAt ?? null,
    problem: record.problem ?? null,
  });
}

/** A row written by an older version, or edited by hand, falls back to an empty record rather than failing. */
export function readStoredRecord(json: string): StoredRecord {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    value = {};
  }
  const parsed = storedRecordSchema.safeParse(value);
  return parsed.success ? parsed.data : storedRecordSchema.parse({});
}
