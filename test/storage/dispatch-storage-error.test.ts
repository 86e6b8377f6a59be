import { afterEach, describe, expect, it } from 'vitest';
import { countByState } from '../../src/main/core/store/messages-repo';
import { storageFaultCode } from '../../src/main/core/store/storage-errors';
import { tempDir } from '../helpers/temp';
import { dispatchRig, type DispatchRig } from '../backup/dispatch-harness';

let rig: DispatchRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

describe('the dispatcher when the database cannot grow', () => {
  it('reports SQLITE_FULL instead of throwing into a timer, stops, and loses no message; all go once there is room', async () => {
    const errors: unknown[] = [];
    let paused = false;
    rig = await dispatchRig(tempDir(), 300, {
      isPaused: () => paused,
      onError: (error) => {
        errors.push(error);
        paused = storageFaultCode(error) !== null;
      },
    });
    const { db } = rig;
    // SQLite's own page limit: the next write that needs a new page fails with SQLITE_FULL, as on a full disk.
    const pages = (db.pragma('page_count', { simple: true }) as number) + 0;
    db.pragma(`max_page_count = ${pages}`);
    rig.dispatcher.wake();
    const end = Date.now() + 15_000;
    while (!paused && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(paused).toBe(true);
    expect((errors[0] as { code?: string }).code).toBe('SQLITE_FULL');
    const states = countByState(db);
    // Every message is still there, each in a state the crash rules know: queued, sent, or sending (reconciled).
    expect((states.queued ?? 0) + (states.sending ?? 0) + (states.sent ?? 0)).toBe(300);
    expect(states.queued ?? 0).toBeGreaterThan(0);

    db.pragma('max_page_count = 1073741823');
    paused = false;
    rig.dispatcher.wake();
    const done = Date.now() + 30_000;
    while ((countByState(db).queued ?? 0) > 0 && Date.now() < done) await new Promise((r) => setTimeout(r, 20));
    const after = countByState(db);
    expect(after.queued ?? 0).toBe(0);
    expect((after.sent ?? 0) + (after.sending ?? 0)).toBe(300);
    // Never two sends of one message: the fake saw each idempotency key's message at most once.
    const bodies = rig.fake.accepted.map((m) => JSON.stringify(m));
    expect(new Set(bodies).size).toBe(bodies.length);
  });
});
