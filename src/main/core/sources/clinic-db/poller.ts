import type { ClinicDbSourceConfig } from '../../settings/clinic-db-settings';
import type { CursorValue } from './cursor';
import type { ClinicDbError } from './errors';
import { readBatch, type ReadBatch } from './read';

/** Where the cursor lives between runs: the lead wires it to the settings table, so the module never touches a store. */
export interface CursorStore {
  get(): CursorValue | null | Promise<CursorValue | null>;
  set(value: CursorValue): void | Promise<void>;
}

export type PollFailure = { stage: 'read'; error: ClinicDbError } | { stage: 'intake'; error: unknown };

export type PollOutcome =
  | { ok: true; rowCount: number; recordCount: number; problemCount: number; cursor: CursorValue; advanced: boolean }
  | { ok: false; failure: PollFailure };

export interface PollerStatus {
  running: boolean;
  lastPollAt: number | null;
  lastOutcome: PollOutcome | null;
}

export interface ClinicDbPollerOptions {
  config: ClinicDbSourceConfig;
  cursor: CursorStore;
  /**
   * Hands a batch to intake. The cursor is stored only after this resolves: a crash or a throw before then means the
   * same rows are read again next time, which intake absorbs by source key — rows are never skipped.
   */
  onBatch(batch: ReadBatch): void | Promise<void>;
  onFailure?(failure: PollFailure): void;
  now?: () => number;
}

export interface ClinicDbPoller {
  /** Polls at once, then every `pollSeconds` (at once again while rows keep coming, to drain a LIMITed backlog). */
  start(): void;
  /** Stops the timer and waits for a poll in flight to finish, so the cursor is never written after stop. */
  stop(): Promise<void>;
  /** One poll now; joins the one in flight instead of running two at once. */
  pollNow(): Promise<PollOutcome>;
  status(): PollerStatus;
}

export function createClinicDbPoller(options: ClinicDbPollerOptions): ClinicDbPoller {
  const { config } = options;
  const now = options.now ?? Date.now;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let inFlight: Promise<PollOutcome> | undefined;
  let lastPollAt: number | null = null;
  let lastOutcome: PollOutcome | null = null;

  async function pollOnce(): Promise<PollOutcome> {
    const stored = await options.cursor.get();
    const read = await readBatch(config, stored);
    if (!read.ok) return fail({ stage: 'read', error: read.error });
    const { batch } = read;
    if (batch.rowCount > 0) {
      try {
        await options.onBatch(batch);
      } catch (error) {
        return fail({ stage: 'intake', error });
      }
    }
    const advanced = stored === null || String(stored) !== String(batch.cursor);
    if (advanced) await options.cursor.set(batch.cursor);
    return {
      ok: true,
      rowCount: batch.rowCount,
      recordCount: batch.records.length,
      problemCount: batch.problems.length,
      cursor: batch.cursor,
      advanced,
    };
  }

  function fail(failure: PollFailure): PollOutcome {
    options.onFailure?.(failure);
    return { ok: false, failure };
  }

  function pollNow(): Promise<PollOutcome> {
    if (!inFlight) {
      inFlight = pollOnce()
        .catch((error: unknown): PollOutcome => fail({ stage: 'intake', error }))
        .then((outcome) => {
          lastPollAt = now();
          lastOutcome = outcome;
          return outcome;
        })
        .finally(() => {
          inFlight = undefined;
        });
    }
    return inFlight;
  }

  function schedule(delayMs: number): void {
    if (!running) return;
    timer = setTimeout(() => {
      void pollNow().then((outcome) => {
        // Only while the cursor moves: rows whose cursor cell is NULL must not spin the loop.
        const more = outcome.ok && outcome.rowCount > 0 && outcome.advanced;
        schedule(more ? 0 : config.pollSeconds * 1000);
      });
    }, delayMs);
    // A poll timer alone must not keep a test or a quitting app alive.
    timer.unref();
  }

  return {
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
    pollNow,
    status: () => ({ running, lastPollAt, lastOutcome }),
  };
}
