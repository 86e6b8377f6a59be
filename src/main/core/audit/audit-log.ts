import { createHash } from 'node:crypto';
import type { AuditVerification } from '../../../shared/api';
import type { Db } from '../store/db';
import { auditRowsAfter, insertAuditRow, iterateAuditRows, lastAuditHash, type AuditRow } from '../store/audit-repo';
import { actingAs } from './acting';

const GENESIS = '0'.repeat(64);

export interface AuditEntry {
  actor: string; // 'system', 'demo', 'webhook', or the user who acted
  /** The person who acted, when the caller knows it outside an API call (signing in). */
  personId?: number | null;
  action: string; // e.g. 'message.sent', 'settings.updated'
  entity: string;
  entityId?: string | number | null;
  data?: Record<string, unknown>;
}

function hashOf(row: Omit<AuditRow, 'id' | 'hash'>): string {
  const fields: unknown[] = [row.prevHash, row.at, row.actor, row.action, row.entity, row.entityId, row.data];
  // Events with a person cover the person's id too; earlier events hash exactly as they always did.
  if (row.personId != null) fields.push(row.personId);
  const canonical = JSON.stringify(fields);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Appends an event whose hash covers the previous event's hash: editing or removing any row breaks the chain. */
export function appendAudit(db: Db, entry: AuditEntry, at: number): void {
  const { actor, personId } = entry.personId != null ? { actor: entry.actor, personId: entry.personId } : actingAs(entry.actor);
  const base = {
    at,
    actor,
    personId,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId == null ? null : String(entry.entityId),
    data: JSON.stringify(entry.data ?? {}),
    prevHash: lastAuditHash(db) ?? GENESIS,
  };
  insertAuditRow(db, { ...base, hash: hashOf(base) });
}

export function verifyAudit(db: Db): AuditVerification {
  let prev = GENESIS;
  let checked = 0;
  for (const row of iterateAuditRows(db)) {
    if (row.prevHash !== prev) {
      return { ok: false, checked, firstBrokenId: row.id, reason: 'missing_previous' };
    }
    if (hashOf(row) !== row.hash) {
      return { ok: false, checked, firstBrokenId: row.id, reason: 'edited' };
    }
    prev = row.hash;
    checked++;
  }
  return { ok: true, checked, firstBrokenId: null, reason: null };
}

/**
 * The same check as verifyAudit, a slice at a time with a pause between slices: a backup checks a chain of millions
 * of events while messages keep going out.
 */
export async function verifyAuditInSlices(db: Db, slice = 2_000): Promise<AuditVerification> {
  let prev = GENESIS;
  let checked = 0;
  let after = 0;
  for (;;) {
    const rows = auditRowsAfter(db, after, slice);
    for (const row of rows) {
      if (row.prevHash !== prev) return { ok: false, checked, firstBrokenId: row.id, reason: 'missing_previous' };
      if (hashOf(row) !== row.hash) return { ok: false, checked, firstBrokenId: row.id, reason: 'edited' };
      prev = row.hash;
      checked++;
      after = row.id;
    }
    if (rows.length < slice) return { ok: true, checked, firstBrokenId: null, reason: null };
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
