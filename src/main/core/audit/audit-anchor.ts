import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditVerification } from '../../../shared/api';
import type { Db } from '../store/db';
import { auditCount, auditHashAt, auditHead, auditLast } from '../store/audit-repo';
import { verifyAudit, verifyAuditInSlices } from './audit-log';

/**
 * The hash chain proves no row in the middle was edited or removed, but deleting the newest rows leaves a shorter,
 * still valid chain. The anchor — the last event's id and hash and the count, kept in a file beside the database —
 * remembers how far the chain went, so `verify` can tell that rows are missing at the end.
 */
export const AUDIT_ANCHOR_FILE = 'audit-anchor.json';

export interface AuditAnchor {
  lastId: number;
  headHash: string;
  count: number;
  writtenAt: number;
}

export function readAnchor(dataDir: string): AuditAnchor | null {
  try {
    const a = JSON.parse(readFileSync(join(dataDir, AUDIT_ANCHOR_FILE), 'utf8')) as Partial<AuditAnchor>;
    return typeof a.lastId === 'number' && typeof a.headHash === 'string' && typeof a.count === 'number'
      ? { lastId: a.lastId, headHash: a.headHash, count: a.count, writtenAt: a.writtenAt ?? 0 }
      : null;
  } catch {
    return null;
  }
}

/** Whether the chain still holds the event the anchor remembers, and no fewer events. */
const stillHolds = (db: Db, a: AuditAnchor): boolean => auditHashAt(db, a.lastId) === a.headHash && auditCount(db) >= a.count;

/**
 * Moves the anchor forward when the chain grew from where it was; a rename keeps the file whole even if the power
 * goes mid-write. It never moves back: after rows were removed it keeps pointing at what is missing, so every later
 * verify still says so.
 */
export function writeAnchor(db: Db, dataDir: string, at: number): AuditAnchor | null {
  const previous = readAnchor(dataDir);
  const last = auditLast(db);
  // Nothing new (the common case every few seconds): no count over the whole table.
  if (previous && last && previous.lastId === last.id && previous.headHash === last.hash) return previous;
  if (previous && !stillHolds(db, previous)) return previous;
  const head = auditHead(db);
  if (!head) return null;
  const anchor: AuditAnchor = { ...head, writtenAt: at };
  const file = join(dataDir, AUDIT_ANCHOR_FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify(anchor), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return anchor;
}

export type AnchoredReason = 'edited' | 'missing_previous' | 'truncated' | 'rewritten';

/**
 * The chain first (an edited or missing row in the middle), then the anchor: the event it remembers must still be
 * there with the same hash, and no fewer events than it counted.
 */
export function verifyAnchoredAudit(
  db: Db,
  dataDir: string,
): Omit<AuditVerification, 'reason'> & { reason: AnchoredReason | null; anchored: boolean } {
  const chain = verifyAudit(db);
  const anchor = readAnchor(dataDir);
  const reason = chain.reason as AnchoredReason | null;
  if (!chain.ok || !anchor) return { ...chain, reason, anchored: anchor !== null };
  const hash = auditHashAt(db, anchor.lastId);
  if (hash === null || auditCount(db) < anchor.count) {
    return { ok: false, checked: chain.checked, firstBrokenId: anchor.lastId, reason: 'truncated', anchored: true };
  }
  if (hash !== anchor.headHash) {
    return { ok: false, checked: chain.checked, firstBrokenId: anchor.lastId, reason: 'rewritten', anchored: true };
  }
  return { ...chain, reason: null, anchored: true };
}

/**
 * verifyAnchoredAudit for a copy (a backup being checked): the chain a slice at a time, then the anchor that was copied
 * with it. Without an anchor the copy cannot prove its newest events are all there: that is a failure here.
 */
export async function verifyCopiedAudit(db: Db, anchor: AuditAnchor | null): Promise<{ ok: boolean; checked: number; reason: AnchoredReason | 'no_anchor' | null }> {
  const chain = await verifyAuditInSlices(db);
  if (!chain.ok) return { ok: false, checked: chain.checked, reason: chain.reason as AnchoredReason };
  if (!anchor) return { ok: chain.checked === 0, checked: chain.checked, reason: chain.checked === 0 ? null : 'no_anchor' };
  const hash = auditHashAt(db, anchor.lastId);
  if (hash === null || auditCount(db) < anchor.count) return { ok: false, checked: chain.checked, reason: 'truncated' };
  if (hash !== anchor.headHash) return { ok: false, checked: chain.checked, reason: 'rewritten' };
  return { ok: true, checked: chain.checked, reason: null };
}
