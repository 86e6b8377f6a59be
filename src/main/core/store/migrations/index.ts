import { initial } from './001-initial';
import { linkedDevice } from './002-linked-device';
import { reminders } from './003-reminders';
import { results } from './004-results';
import { resultLinks } from './009-result-links';

export interface Migration {
  version: number;
  sql: string;
  /** The migration rebuilds a table other tables reference: run with foreign keys off, checked before commit. */
  rebuildsTables?: boolean;
}

/** Numbered, append-only: never edit a migration that has shipped, add the next number instead. */
export const migrations: Migration[] = [
  { version: 1, sql: initial },
  { version: 2, sql: linkedDevice },
  { version: 3, sql: reminders },
  { version: 4, sql: results },
  { version: 9, sql: resultLinks, rebuildsTables: true },
];
