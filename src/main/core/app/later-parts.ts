import type { Operations } from '../operations';
import type { Planner } from '../scheduler/planner';
import type { ClinicDbRunner } from '../sources/clinic-db-runner';

/**
 * What an early stage calls at run time but a later stage builds: the message path loops back on itself (a reply goes
 * from the outbox to the planner and the clinic's database; a storage fault seen by the jobs pauses the channels and
 * the dispatcher; every stage tells the header that totals changed).
 */
export interface LaterParts {
  planner: Planner;
  clinicDb: ClinicDbRunner;
  ops: Operations;
  announceStatus: () => void;
}

/** Reads the later parts; called only from callbacks, never while a stage is being built. */
export type Later = () => LaterParts;

export function laterParts(): { get: Later; fill(parts: LaterParts): void } {
  let parts: LaterParts | null = null;
  return {
    get() {
      if (!parts) throw new Error('a stage called a part of the core that is built after it, before composition ended');
      return parts;
    },
    fill(value) {
      parts = value;
    },
  };
}
