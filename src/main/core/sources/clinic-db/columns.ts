// The column names (SQL aliases) the configured query must return. Aliases keep the mapping in the one place the
// clinic's IT person already edits — the query — instead of a second mapping screen.

/** Who the row is about, beside the required document number: results and appointments name the patient alike. */
const patientColumns = ['document_type', 'medical_record_number', 'first_names', 'last_names', 'phone', 'birth_date'] as const;

export const resultColumns = {
  required: ['result_id', 'approved_at', 'document_number'],
  /** At least one of these carries the PDF. */
  file: ['file_path', 'file_blob'],
  optional: [
    ...patientColumns,
    'approved_by',
    'accession_number',
    'title',
    'site',
    'service',
  ],
} as const;

export const appointmentColumns = {
  required: ['appointment_id', 'document_number', 'starts_at', 'status'],
  file: [],
  optional: [
    ...patientColumns,
    'site',
    'service',
    'professional',
    'duration_minutes',
    /** IANA zone of this row's local start time, when sites differ; else the source's zone. */
    'time_zone',
  ],
} as const;

/** Which expected columns the result set lacks (names compared case-insensitively: MySQL and SQL Server habits). */
export function missingColumns(kind: 'results' | 'appointments', columns: string[], cursorColumn: string): string[] {
  const have = new Set(columns.map((c) => c.toLowerCase()));
  const spec = kind === 'results' ? resultColumns : appointmentColumns;
  const missing: string[] = spec.required.filter((c) => !have.has(c));
  if (spec.file.length > 0 && !spec.file.some((c) => have.has(c))) missing.push(spec.file.join(' | '));
  if (!have.has(cursorColumn.toLowerCase())) missing.push(cursorColumn);
  return missing;
}
