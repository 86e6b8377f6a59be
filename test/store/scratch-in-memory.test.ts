import { describe, expect, it } from 'vitest';
import { openDatabase, withScratchInMemory } from '../../src/main/core/store/db';
import { tempDir } from '../helpers/temp';

const tempStore = (db: ReturnType<typeof openDatabase>): number => db.pragma('temp_store', { simple: true }) as number;

describe('withScratchInMemory', () => {
  it('keeps scratch storage in memory for the transactions it runs, and puts the setting back after', () => {
    const db = openDatabase(tempDir());
    expect(tempStore(db)).toBe(0);
    const seen = withScratchInMemory(db, db.transaction(() => tempStore(db)));
    expect(seen).toBe(2);
    expect(tempStore(db)).toBe(0);
  });

  it('puts the setting back when the work fails', () => {
    const db = openDatabase(tempDir());
    expect(() =>
      withScratchInMemory(db, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(tempStore(db)).toBe(0);
  });

  it("inside a caller's transaction it leaves the setting alone (SQLite refuses to change it there)", () => {
    const db = openDatabase(tempDir());
    db.exec('CREATE TEMP TABLE t (x)'); // a temporary table open: changing temp_store would be refused mid-transaction
    const seen = db.transaction(() => {
      db.exec('INSERT INTO t VALUES (1)');
      return withScratchInMemory(db, () => tempStore(db));
    })();
    expect(seen).toBe(0);
    expect(tempStore(db)).toBe(0);
  });
});
