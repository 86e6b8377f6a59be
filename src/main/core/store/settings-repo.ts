import { prepared, type Db } from './db';

export function readSettings(db: Db): Record<string, unknown> {
  const rows = prepared(db, 'SELECT key, value FROM settings').all() as { key: string; value: string }[];
  return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
}

export function writeSettings(db: Db, values: Record<string, unknown>): void {
  const upsert = prepared(db, 
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  db.transaction(() => {
    for (const [key, value] of Object.entries(values)) upsert.run(key, JSON.stringify(value));
  })();
}

export function putSecret(db: Db, name: string, ciphertext: Buffer, at: number): void {
  prepared(db, 
    `INSERT INTO secrets (name, ciphertext, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET ciphertext = excluded.ciphertext, updated_at = excluded.updated_at`,
  ).run(name, ciphertext, at);
}

export function getSecret(db: Db, name: string): Buffer | null {
  const row = prepared(db, 'SELECT ciphertext FROM secrets WHERE name = ?').get(name) as
    | { ciphertext: Buffer }
    | undefined;
  return row?.ciphertext ?? null;
}

export function secretNames(db: Db): string[] {
  return (prepared(db, 'SELECT name FROM secrets').all() as { name: string }[]).map((r) => r.name);
}
