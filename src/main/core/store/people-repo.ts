import type { PersonView, Role } from '../../../shared/people';
import { prepared, type Db } from './db';

export interface PersonRow extends PersonView {
  secretHash: string;
}

interface RawPerson {
  id: number;
  name: string;
  documentNumber: string;
  roles: string;
  registryNumber: string | null;
  secretKind: 'password' | 'pin';
  secretHash: string;
  active: number;
  createdAt: number;
}

const COLUMNS = `id, name, document_number AS documentNumber, roles, registry_number AS registryNumber,
  secret_kind AS secretKind, secret_hash AS secretHash, active, created_at AS createdAt`;

const toRow = (r: RawPerson): PersonRow => ({ ...r, roles: JSON.parse(r.roles) as Role[], active: r.active === 1 });

export function countPeople(db: Db): number {
  return (prepared(db, 'SELECT COUNT(*) AS n FROM people').get() as { n: number }).n;
}

export function listPeople(db: Db): PersonRow[] {
  return (prepared(db, `SELECT ${COLUMNS} FROM people ORDER BY name COLLATE NOCASE`).all() as RawPerson[]).map(toRow);
}

export function getPerson(db: Db, id: number): PersonRow | null {
  const row = prepared(db, `SELECT ${COLUMNS} FROM people WHERE id = ?`).get(id) as RawPerson | undefined;
  return row ? toRow(row) : null;
}

export function findPersonByDocument(db: Db, documentNumber: string): PersonRow | null {
  const row = prepared(db, `SELECT ${COLUMNS} FROM people WHERE document_number = ?`).get(documentNumber) as RawPerson | undefined;
  return row ? toRow(row) : null;
}

export function insertPerson(
  db: Db,
  p: { name: string; documentNumber: string; roles: Role[]; registryNumber: string | null; secretKind: 'password' | 'pin'; secretHash: string },
  at: number,
): number {
  return Number(
    prepared(
      db,
      `INSERT INTO people (name, document_number, roles, registry_number, secret_kind, secret_hash, active, created_at, updated_at)
       VALUES (@name, @documentNumber, @roles, @registryNumber, @secretKind, @secretHash, 1, @at, @at)`,
    ).run({ ...p, roles: JSON.stringify(p.roles), at }).lastInsertRowid,
  );
}

export function updatePersonRow(
  db: Db,
  id: number,
  p: Partial<{
    name: string;
    documentNumber: string;
    roles: Role[];
    registryNumber: string | null;
    active: boolean;
    secretKind: 'password' | 'pin';
    secretHash: string;
  }>,
  at: number,
): void {
  const row = getPerson(db, id);
  if (!row) return;
  const next = { ...row, ...p };
  prepared(
    db,
    `UPDATE people SET name = @name, document_number = @documentNumber, roles = @roles, registry_number = @registryNumber,
       active = @active, secret_kind = @secretKind, secret_hash = @secretHash, updated_at = @at WHERE id = @id`,
  ).run({
    id,
    name: next.name,
    documentNumber: next.documentNumber,
    roles: JSON.stringify(next.roles),
    registryNumber: next.registryNumber,
    active: next.active ? 1 : 0,
    secretKind: next.secretKind,
    secretHash: next.secretHash,
    at,
  });
}
