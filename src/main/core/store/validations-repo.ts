import type { ResultValidation } from '../../../shared/people';
import { prepared, type Db } from './db';

const SELECT = `SELECT result_id AS resultId, person_id AS personId, person_name AS personName,
  registry_number AS registryNumber, validated_at AS validatedAt FROM result_validations`;

/** The first validation stands: a second click does not move who validated or when. */
export function insertValidation(db: Db, v: ResultValidation): void {
  prepared(
    db,
    `INSERT OR IGNORE INTO result_validations (result_id, person_id, person_name, registry_number, validated_at)
     VALUES (@resultId, @personId, @personName, @registryNumber, @validatedAt)`,
  ).run(v);
}

export function getValidation(db: Db, resultId: number): ResultValidation | null {
  return (prepared(db, `${SELECT} WHERE result_id = ?`).get(resultId) as ResultValidation | undefined) ?? null;
}

export function validationsOf(db: Db, resultIds: number[]): ResultValidation[] {
  if (resultIds.length === 0) return [];
  return db.prepare(`${SELECT} WHERE result_id IN (${resultIds.map(() => '?').join(',')})`).all(...resultIds) as ResultValidation[];
}
