import { describe, expect, it } from 'vitest';
import { appendAudit, verifyAudit } from '../../src/main/core/audit/audit-log';
import { openDatabase } from '../../src/main/core/store/db';
import { tempDir } from '../helpers/temp';

function chain(n: number) {
  const db = openDatabase(tempDir());
  for (let i = 1; i <= n; i++) {
    appendAudit(db, { actor: 'system', action: 'message.sent', entity: 'message', entityId: i, data: { i } }, i);
  }
  return db;
}

describe('audit chain', () => {
  it('verifies an untouched chain', () => {
    expect(verifyAudit(chain(5))).toEqual({ ok: true, checked: 5, firstBrokenId: null, reason: null });
  });

  it('finds an edited row', () => {
    const db = chain(5);
    db.prepare(`UPDATE audit_events SET actor = 'intruso' WHERE id = 3`).run();
    expect(verifyAudit(db)).toMatchObject({ ok: false, firstBrokenId: 3, reason: 'edited' });
  });

  it('finds a deleted row', () => {
    const db = chain(5);
    db.prepare('DELETE FROM audit_events WHERE id = 2').run();
    expect(verifyAudit(db)).toMatchObject({ ok: false, firstBrokenId: 3, reason: 'missing_previous' });
  });
});
