import schedule from 'node-schedule';
import type { JobView } from '../../../shared/operations';
import type { Db } from '../store/db';
import { jobRuns, recordJobRun } from '../store/job-runs-repo';
import { describeRule, nextRun, type JobRule } from './job-rules';

export interface JobSpec {
  name: string;
  rule: JobRule;
  zone: string;
  run: () => void | Promise<void>;
}

export interface JobRegistry {
  /** Adds or replaces a job by name (settings changed: new time, new zone). */
  set(spec: JobSpec): void;
  remove(name: string): void;
  names(): string[];
  list(): JobView[];
  /** Runs a job now, as its timer would (tests, "run now" buttons); records its outcome the same way. */
  runNow(name: string): Promise<void>;
  stop(): void;
}

/**
 * Every calendar job on node-schedule: each run is one node-schedule job at the next moment job-rules computes, and
 * the next is set when it fires. Last run and last error are kept in the database, so they survive a restart.
 */
export function createJobRegistry(o: {
  db: Db;
  now: () => number;
  /** A job ran, or jobs were set or removed (the name, or null for several): Estado lists them again. */
  onChange?: (name: string | null) => void;
}): JobRegistry {
  const jobs = new Map<string, { spec: JobSpec; next: number; timer: schedule.Job | null; running: boolean }>();
  // Setting the whole calendar again touches every job: told once, after the loop, not once per job.
  const touched = new Set<string>();
  const changed = (name: string): void => {
    if (touched.size === 0) {
      queueMicrotask(() => {
        const [only] = touched;
        o.onChange?.(touched.size === 1 && only !== undefined ? only : null);
        touched.clear();
      });
    }
    touched.add(name);
  };

  const fire = async (name: string): Promise<void> => {
    const job = jobs.get(name);
    if (!job || job.running) return;
    job.running = true;
    let error: string | null = null;
    try {
      await job.spec.run();
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      console.warn(`[avisa] tarea ${name}:`, error);
    } finally {
      job.running = false;
    }
    try {
      recordJobRun(o.db, name, o.now(), error);
    } catch {
      // The database may be the thing that failed (disk full): the job still runs again at its next time.
    }
    changed(name);
  };

  const arm = (name: string): void => {
    const job = jobs.get(name);
    if (!job) return;
    job.next = nextRun(job.spec.rule, job.spec.zone, Math.max(o.now(), Date.now()));
    job.timer = schedule.scheduleJob(new Date(job.next), () => {
      void fire(name).finally(() => {
        if (jobs.get(name) === job) arm(name);
      });
    });
  };

  const remove = (name: string): void => {
    jobs.get(name)?.timer?.cancel();
    if (jobs.delete(name)) changed(name);
  };

  return {
    set(spec) {
      remove(spec.name);
      jobs.set(spec.name, { spec, next: 0, timer: null, running: false });
      arm(spec.name);
      changed(spec.name);
    },
    remove,
    names: () => [...jobs.keys()],
    list() {
      const runs = jobRuns(o.db);
      return [...jobs.values()].map(({ spec }) => ({
        name: spec.name,
        rule: describeRule(spec.rule),
        zone: spec.zone,
        nextRun: nextRun(spec.rule, spec.zone, o.now()),
        lastRun: runs.get(spec.name)?.lastRunAt ?? null,
        lastError: runs.get(spec.name)?.lastError ?? null,
      }));
    },
    runNow: fire,
    stop() {
      // Nobody to tell: the core is stopping.
      for (const job of jobs.values()) job.timer?.cancel();
      jobs.clear();
    },
  };
}
