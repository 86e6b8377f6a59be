import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { appendAudit } from '../../src/main/core/audit/audit-log';
import { writeAnchor } from '../../src/main/core/audit/audit-anchor';
import { openDatabase } from '../../src/main/core/store/db';
import { tempDir } from '../helpers/temp';
import { oneSiteClinic } from '../helpers/fixtures';

const run = (dataDir: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', resolve(__dirname, '../../scripts/audit.ts'), 'verify', '--data-dir', dataDir], {
    encoding: 'utf8',
  });

describe('npm run audit -- verify', () => {
  it('reports an intact chain with exit 0, and the first broken event with exit 1', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    for (let i = 1; i <= 4; i++) appendAudit(db, { actor: 'system', action: 'message.sent', entity: 'message', entityId: i }, i);
    const ok = run(dir);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('4 eventos');
    db.prepare(`UPDATE audit_events SET action = 'message.read' WHERE id = 2`).run();
    db.close();
    const broken = run(dir);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/event 2 \(edited\)/);
  });
});

describe('the anchor beside the database', () => {
  it('finds the newest events deleted, or the whole chain rebuilt, which the chain alone cannot', async () => {
    const { startCore } = await import('../helpers/core');
    const { readAnchor } = await import('../../src/main/core/audit/audit-anchor');
    const dir = tempDir();
    const { core, call } = await startCore(dir);
    await call('setup.complete', oneSiteClinic());
    await call('settings.update', { dailyCap: 5 });
    expect((await call('audit.verify', {})).ok).toBe(true);
    await core.stop();
    const anchor = readAnchor(dir)!;
    expect(anchor.count).toBeGreaterThanOrEqual(2);
    expect(run(dir).status).toBe(0);

    // The newest event removed: the chain that is left is still valid, the anchor says it is short.
    const db = openDatabase(dir);
    db.prepare('DELETE FROM audit_events WHERE id = ?').run(anchor.lastId);
    db.close();
    const cut = run(dir);
    expect(cut.status).toBe(1);
    expect(cut.stderr).toContain(`event ${anchor.lastId} (truncated)`);

    // The app reports it too, in Ajustes → Verificar integridad.
    const again = await startCore(dir);
    const seen = await again.call('audit.verify', {});
    await again.core.stop();
    expect(seen).toMatchObject({ ok: false, firstBrokenId: anchor.lastId, reason: expect.stringContaining('Faltan los eventos más recientes') });
  }, 30_000);

  it('finds a chain rebuilt from scratch after an edit', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    for (let i = 1; i <= 3; i++) appendAudit(db, { actor: 'system', action: 'message.sent', entity: 'message', entityId: i }, i);
    writeAnchor(db, dir, 10);
    // Everything deleted and written again with a different story: a valid chain of the same length.
    db.prepare('DELETE FROM audit_events').run();
    for (let i = 1; i <= 3; i++) appendAudit(db, { actor: 'otro', action: 'message.sent', entity: 'message', entityId: i }, i);
    db.close();
    const result = run(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('(rewritten)');
  });
});
