import { createOutbox } from '../src/main/core/outbox/outbox';
import { eventBus } from '../src/main/core/events';
import { openDatabase } from '../src/main/core/store/db';
import { insertMessage } from '../src/main/core/store/messages-repo';
import { createApp } from '../src/main/core/app';
import { elapsedMs, plainBox, withTempDir } from './util';
import { messageRecord } from '../test/helpers/fixtures';

const record = (i: number) => messageRecord({ idempotencyKey: `bench:${i}` });

/** Enqueue cost (with its audit entry) and the Panel summary over a large store. */
export async function store(): Promise<Record<string, number>> {
  return withTempDir(async (dir) => {
    const db = openDatabase(dir);
    const outbox = createOutbox(db, eventBus(), Date.now, () => 'es');
    const enqueueMs = elapsedMs(() => {
      for (let i = 0; i < 10_000; i++) outbox.enqueue(record(i));
    });
    const now = Date.now();
    db.transaction(() => {
      for (let i = 10_000; i < 100_000; i++) insertMessage(db, record(i), now - (i % 7) * 86_400_000);
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
      'store.panel_summary_100k_ms': Math.min(...runs),
    };
  });
}
