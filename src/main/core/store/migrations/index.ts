import { initial } from './001-initial';

export interface Migration {
  version: number;
  sql: string;
}

/** Numbered, append-only: never edit a migration that has shipped, add the next number instead. */
export const migrations: Migration[] = [{ version: 1, sql: initial }];
