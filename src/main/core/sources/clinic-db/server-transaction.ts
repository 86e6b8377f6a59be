// PostgreSQL and MySQL/MariaDB sessions wrap every call in a transaction of its own, the same way: a read always ends
// in ROLLBACK (it had nothing to keep), an update commits only what its caller accepts. Only the words that open a
// transaction differ between the two servers.

/** How one server connection opens a transaction. */
export interface ServerTransactions {
  /** Sends one statement without values on the connection. */
  run(statement: string): Promise<unknown>;
  /** Opens a read-write transaction. */
  begin: string;
  /** Opens a read-only one, statement by statement; a later statement that fails still rolls the first one back. */
  beginReadOnly: readonly [string, ...string[]];
}

export async function readOnlyTransaction<T>(tx: ServerTransactions, work: () => Promise<T>): Promise<T> {
  const [open, ...rest] = tx.beginReadOnly;
  await tx.run(open);
  try {
    for (const statement of rest) await tx.run(statement);
    return await work();
  } finally {
    await tx.run('ROLLBACK').catch(() => undefined);
  }
}

/** Runs `work` (one statement, returning the rows it touched) and commits only if `accept` says so. */
export async function acceptedUpdate(
  tx: ServerTransactions,
  work: () => Promise<number>,
  accept: (affected: number) => boolean,
): Promise<number> {
  await tx.run(tx.begin);
  try {
    const affected = await work();
    await tx.run(accept(affected) ? 'COMMIT' : 'ROLLBACK');
    return affected;
  } catch (error) {
    await tx.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
