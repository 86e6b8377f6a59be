import { prepared, type Db } from './db';

/** The form tags are compared in: "Hipertensión", "HIPERTENSIÓN" and " hipertensión " are one tag. */
export function tagKey(tag: string): string {
  return tag.trim().normalize('NFC').toLocaleLowerCase('es');
}

/** Replaces a patient's tags with the given ones (trimmed, case-insensitive duplicates dropped). */
export function setPatientTags(db: Db, patientId: number, tags: readonly string[]): string[] {
  const clean = new Map(tags.map((t) => t.trim().normalize('NFC')).filter(Boolean).map((t) => [tagKey(t), t]));
  db.transaction(() => {
    prepared(db, 'DELETE FROM patient_tags WHERE patient_id = ?').run(patientId);
    for (const [key, tag] of clean) {
      prepared(db, 'INSERT INTO patient_tags (patient_id, tag, tag_key) VALUES (?, ?, ?)').run(patientId, tag, key);
    }
  })();
  return tagsOfPatient(db, patientId);
}

export function tagsOfPatient(db: Db, patientId: number): string[] {
  return (
    prepared(db, 'SELECT tag FROM patient_tags WHERE patient_id = ? ORDER BY tag').all(patientId) as { tag: string }[]
  ).map((r) => r.tag);
}

export function tagsOfPatients(db: Db, patientIds: readonly number[]): { patientId: number; tags: string[] }[] {
  const rows = prepared(
    db,
    `SELECT patient_id AS patientId, tag FROM patient_tags
     WHERE patient_id IN (SELECT value FROM json_each(?)) ORDER BY patient_id, tag`,
  ).all(JSON.stringify(patientIds)) as { patientId: number; tag: string }[];
  const byPatient = new Map<number, string[]>(patientIds.map((id) => [id, []]));
  for (const r of rows) byPatient.get(r.patientId)?.push(r.tag);
  return [...byPatient].map(([patientId, tags]) => ({ patientId, tags }));
}

/** Every tag in use, with how many patients carry it (for the segment editor). */
export function allTags(db: Db): { tag: string; patients: number }[] {
  return prepared(
    db,
    'SELECT MIN(tag) AS tag, COUNT(*) AS patients FROM patient_tags GROUP BY tag_key ORDER BY tag_key',
  ).all() as { tag: string; patients: number }[];
}
