import type { ComposedCore } from './compose';

const RECONCILE_EVERY_MS = 60_000;
// How far the audit chain went is written beside the database this often (and at stop): rows removed from the end
// later than that are found by verify.
const ANCHOR_EVERY_MS = 2_000;

/** Starting and stopping the composed core, in the order that loses and repeats nothing. */
export function lifecycle(core: ComposedCore, stopReactions: () => void) {
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, fn: () => void): void => {
    const timer = setInterval(fn, ms);
    timer.unref();
    timers.push(timer);
  };

  return {
    async start(): Promise<void> {
      await core.channels.apply();
      // Before the first send: reminders missed while Avisa was off are sent once or expired, never in a burst.
      core.planner.planUpcoming();
      // The calendar jobs (hourly planning pass, nightly backup, certificate check, daily caps) on node-schedule.
      core.ops.start();
      core.reconcile();
      // Results a crash left approved but never enqueued go through now; then the folder is watched again.
      await core.resultsIntake.resume();
      await core.restartSources();
      await core.clinicDb.restart();
      every(RECONCILE_EVERY_MS, core.reconcile);
      // Sessions that ran out with nobody calling: what they kept open (a professional's token) closes within a minute.
      every(RECONCILE_EVERY_MS, () => core.access.people.endExpiredSessions());
      core.anchor();
      every(ANCHOR_EVERY_MS, core.anchor);
      core.dispatcher.wake();
    },

    async stop(): Promise<void> {
      for (const timer of timers.splice(0)) clearInterval(timer);
      await core.ops.stop();
      await core.closeSources();
      await core.clinicDb.stop();
      await core.resultsIntake.idle();
      core.ctx.tokenCredential.lock();
      core.ctx.professionals.lockAll();
      await core.dispatcher.stop();
      await core.channels.close();
      core.announceStatus.cancel();
      stopReactions();
      core.anchor();
      core.db.close();
    },
  };
}
