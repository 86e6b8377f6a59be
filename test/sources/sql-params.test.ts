import { describe, expect, it } from 'vitest';
import { bindNamed, hasSeveralStatements } from '../../src/main/core/sources/clinic-db/sql-params';

// Named parameters become placeholders only where they are parameters: never inside literals, identifiers, comments
// or casts. The administrator's UPDATE may assign the one configured column and nothing else.

describe('named parameters', () => {
  const sql = `SELECT id, '10:30 :cursor' AS t, "a:b" AS "x:y", created::date -- :cursor in a comment
    /* :cursor */ , $tag$ :cursor $tag$ FROM r WHERE id > :cursor OR id = :cursor;`;

  it('binds PostgreSQL as $n, reusing the number for a repeated name', () => {
    expect(bindNamed(sql, 'postgres', { cursor: 5 })).toEqual({
      ok: true,
      text: sql.replace('id > :cursor OR id = :cursor;', 'id > $1 OR id = $1'),
      values: [5],
    });
  });

  it('binds SQLite and MySQL as ?, one value per occurrence', () => {
    const bound = bindNamed("SELECT * FROM r WHERE a > :cursor AND b = 'it''s :cursor' AND c < :cursor", 'sqlite', { cursor: 'x' });
    expect(bound).toEqual({ ok: true, text: "SELECT * FROM r WHERE a > ? AND b = 'it''s :cursor' AND c < ?", values: ['x', 'x'] });
    // MySQL: a backslash-escaped quote does not end the literal.
    const my = bindNamed("SELECT * FROM r WHERE b = 'it\\'s :cursor' AND a > :cursor", 'mysql', { cursor: 1 });
    expect(my).toEqual({ ok: true, text: "SELECT * FROM r WHERE b = 'it\\'s :cursor' AND a > ?", values: [1] });
  });

  it('drops what trails the statement, and sees a second statement after a semicolon', () => {
    expect(bindNamed('SELECT 1 FROM r WHERE a > :cursor; -- fin\n', 'sqlite', { cursor: 1 })).toEqual({
      ok: true,
      text: 'SELECT 1 FROM r WHERE a > ?',
      values: [1],
    });
    expect(hasSeveralStatements('SELECT 1; /* c */ ;\n-- x')).toBe(false);
    expect(hasSeveralStatements("SELECT ';' FROM r; SELECT 2")).toBe(true);
  });

  it('names unknown parameters instead of sending them to the database', () => {
    expect(bindNamed('SELECT * FROM r WHERE a > :since AND b = :cursor', 'postgres', { cursor: 1 })).toEqual({
      ok: false,
      unknown: ['since'],
    });
  });
});
