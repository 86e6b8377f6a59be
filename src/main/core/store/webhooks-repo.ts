import { prepared, type Db } from './db';

export function insertWebhook(db: Db, body: string, at: number): number {
  return Number(prepared(db, 'INSERT INTO webhook_inbox (received_at, body) VALUES (?, ?)').run(at, body).lastInsertRowid);
}

export function pendingWebhooks(db: Db, limit: number): { id: number; body: string }[] {
  return prepared(db, 'SELECT id, body FROM webhook_inbox WHERE processed_at IS NULL ORDER BY id LIMIT ?').all(limit) as {
    id: number;
    body: string;
  }[];
}

export function markWebhookProcessed(db: Db, id: number, at: number, error: string | null): void {
  prepared(db, 'UPDATE webhook_inbox SET processed_at = ?, error = ? WHERE id = ?').run(at, error, id);
}
