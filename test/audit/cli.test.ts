import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { appendAudit } from '../../src/main/core/audit/audit-log';
import { openDatabase } from '../../src/main/core/store/db';
import { tempDir } from '../helpers/temp';

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
