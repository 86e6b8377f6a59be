import type { ApiKeyView, ApiScope } from '../../../shared/people';
import { prepared, type Db } from './db';

interface RawKey {
  id: number;
  name: string;
  prefix: string;
  scopes: string;
  createdAt: number;
  createdBy: string | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

const SELECT = `SELECT k.id, k.name, k.prefix, k.scopes, k.created_at AS createdAt, p.name AS createdBy,
  k.last_used_at AS lastUsedAt, k.revoked_at AS revokedAt FROM api_keys k LEFT JOIN people p ON p.id = k.created_by`;

const toView = (r: RawKey): ApiKeyView => ({ ...r, scopes: JSON.parse(r.scopes) as ApiScope[] });

export function insertApiKey(
  db: Db,
  k: { name: string; prefix: string; keyHash: string; scopes: ApiScope[]; createdBy: number | null },
  at: number,
): number {
  return Number(
    prepared(
      db,
      `INSERT INTO api_keys (name, prefix, key_hash, scopes, created_by, created_at)
       VALUES (@name, @prefix, @keyHash, @scopes, @createdBy, @at)`,
    ).run({ ...k, scopes: JSON.stringify(k.scopes), at }).lastInsertRowid,
  );
}

export function listApiKeys(db: Db): ApiKeyView[] {
  return (prepared(db, `${SELECT} ORDER BY k.id`).all() as RawKey[]).map(toView);
}

export function getApiKey(db: Db, id: number): ApiKeyView | null {
  const row = prepared(db, `${SELECT} WHERE k.id = ?`).get(id) as RawKey | undefined;
  return row ? toView(row) : null;
}

/** A key still in force, by the hash of what the caller presented. */
export function activeApiKeyByHash(db: Db, keyHash: string): ApiKeyView | null {
  const row = prepared(db, `${SELECT} WHERE k.key_hash = ? AND k.revoked_at IS NULL`).get(keyHash) as RawKey | undefined;
  return row ? toView(row) : null;
}

export function touchApiKey(db: Db, id: number, at: number): void {
  prepared(db, 'UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(at, id);
}

export function revokeApiKey(db: Db, id: number, at: number): boolean {
  return prepared(db, 'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id).changes > 0;
}
