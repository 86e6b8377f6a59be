import { createOutbox } from '../src/main/core/outbox/outbox';
import { eventBus } from '../src/main/core/events';
import { openDatabase } from '../src/main/core/store/db';
import { insertMessage } from '../src/main/core/store/messages-repo';
import { createApp } from '../src/main/core/app';
import { elapsedMs, percentile, plainBox, withTempDir } from './util';
import { messageRecord } from '../test/helpers/fixtures';

const BATCH = 500;
const record = (i: number) => messageRecord({ idempotencyKey: `bench:${i}` });

/** Enqueue cost (with its audit entry) and the Panel summary over a large store. */
export async function store(): Promise<Record<string, number>> {
  return withTempDir(async (dir) => {
    const db = openDatabase(dir);
    // The same 10,000 enqueues on a store without the Panel's triggers on messages: what the roll-ups cost each write.
    // Both stores are written in turns, 500 messages at a time, after the same warm-up: measured one after the other,
    // the first would also pay for compiling the JavaScript path and for a cold disk cache. Each figure is the median
    // batch times 20, so that a burst of other work on the machine during a few batches does not decide the comparison.
    const [enqueueMs, bareMs] = await withTempDir(async (bareDir) => {
      const bare = openDatabase(bareDir);
      const triggers = bare
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'messages' AND name LIKE 'panel_%'`)
        .all() as { name: string }[];
      for (const t of triggers) bare.exec(`DROP TRIGGER ${t.name}`);
      const outboxes = [db, bare].map((store) => createOutbox(store, eventBus(), Date.now, () => 'es'));
      for (let i = 0; i < 1_000; i++) for (const o of outboxes) o.enqueue(record(-1 - i));
      const batches: [number[], number[]] = [[], []];
      for (let from = 0; from < 10_000; from += BATCH) {
        outboxes.forEach((o, which) => {
          batches[which]?.push(
            elapsedMs(() => {
              for (let i = from; i < from + BATCH; i++) o.enqueue(record(i));
            }),
          );
        });
      }
      bare.close();
      return batches.map((times) => percentile(times, 50) * (10_000 / BATCH)) as [number, number];
    });
    const extra = (enqueueMs / bareMs - 1) * 100;
    console.log(`  enqueue 10k: ${enqueueMs.toFixed(0)} ms with the Panel triggers, ${bareMs.toFixed(0)} ms without (${extra >= 0 ? '+' : ''}${extra.toFixed(0)} %)`);
    const now = Date.now();
    db.transaction(() => {
      // 100,000 in all with the 1,000 warm-up messages and the 10,000 measured.
      for (let i = 11_000; i < 100_000; i++) insertMessage(db, record(i), now - (i % 7) * 86_400_000);
    })();
    db.close();

    const app = createApp({ dataDir: dir, secretBox: plainBox, mode: 'server' });
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      await app.invoke('panel.summary', {});
      runs.push(performance.now() - start);
    }
    await app.stop();
    return {
      'store.enqueue_10k_ms': enqueueMs,
      'store.enqueue_10k_no_triggers_ms': bareMs,
      'store.panel_summary_100k_ms': Math.min(...runs),
    };
  });
}
