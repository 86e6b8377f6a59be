import { openSync, statSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendAudit } from '../../src/main/core/audit/audit-log';
import { readAnchor, verifyCopiedAudit, writeAnchor } from '../../src/main/core/audit/audit-anchor';
import { BackupError } from '../../src/main/core/backup/backup-error';
import { checkCopy } from '../../src/main/core/backup/take-backup';
import { openCopy } from '../../src/main/core/store/backup-repo';
import { openDatabase } from '../../src/main/core/store/db';
import { tempDir } from '../helpers/temp';

// The copy's two checks, integrity_check (in a worker) and the audit chain against the copied anchor: a damaged file is
// reported as damaged, not as whatever the chain walk trips over in it.

function copyWithEvents(n: number): { dir: string; file: string } {
  const dir = tempDir('avisa-copy-');
  const db = openDatabase(dir);
  db.transaction(() => {
    for (let i = 0; i < n; i++) appendAudit(db, { actor: 'system', action: `e${i}`, entity: 'x', data: { pad: 'x'.repeat(200) } }, 1000 + i);
  })();
  writeAnchor(db, dir, 5000);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { dir, file: join(dir, 'avisa.sqlite') };
}

describe('checking a copy', () => {
  it('answers what the copy holds when both checks pass', async () => {
    const { dir, file } = copyWithEvents(3000);
    const contents = await checkCopy(file, readAnchor(dir), 'server');
    expect(contents.audit.checked).toBe(3000);
    expect(contents.counts.audit_events).toBe(3000);
  });

  it('a damaged file is reported as such, even though the chain walk fails on it too', async () => {
    const { dir, file } = copyWithEvents(3000);
    // Garbage over pages in the middle of the audit table: both checks trip on them.
    const fd = openSync(file, 'r+');
    const middle = Math.floor(statSync(file).size / 4096 / 2) * 4096;
    writeSync(fd, Buffer.alloc(4096 * 4, 0x5a), 0, 4096 * 4, middle);
    closeSync(fd);
    const copy = openCopy(file);
    const walked = await verifyCopiedAudit(copy, readAnchor(dir)).then((r) => r.ok, () => false);
    copy.close();
    expect(walked).toBe(false);
    const error = await checkCopy(file, readAnchor(dir), 'server').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupError);
    expect((error as BackupError).code).toBe('check_failed');
    expect((error as BackupError).detail).toMatch(/^integrity_check: /);
  });
});
