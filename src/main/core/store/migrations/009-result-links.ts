// Result links and dismissal: the link a message's URL button opens, each synced template's URL button, and
// results.status 'dismissed' (a person took the item off the list; it is no longer waiting for review).
import type Database from 'better-sqlite3';

export const resultLinks = `
ALTER TABLE messages ADD COLUMN link_url TEXT;

-- The first URL button of a template as Meta holds it, e.g. https://portal.clinica.pe/r/{{1}}: Avisa fills the
-- dynamic suffix from the message's link.
ALTER TABLE templates ADD COLUMN url_button_index INTEGER;
ALTER TABLE templates ADD COLUMN url_button_url TEXT;

UPDATE results SET status = 'dismissed'
  WHERE status = 'pending_review' AND id IN (SELECT result_id FROM result_intake WHERE dismissed_at IS NOT NULL);
`;

const OLD_CHECK = "CHECK (status IN ('pending_review', 'approved', 'queued', 'sent'))";
const NEW_CHECK = "CHECK (status IN ('pending_review', 'approved', 'queued', 'sent', 'dismissed'))";

/**
 * results.status gains 'dismissed'. SQLite cannot change a CHECK constraint in place, so the table is rebuilt from
 * its own stored definition (whatever columns earlier migrations added, in their order), its rows copied, and its
 * indexes and triggers created again. Runs before `resultLinks`' UPDATE, in the same transaction, foreign keys off.
 */
export function allowDismissedResults(db: Database.Database): void {
  const table = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'results'`).get() as { sql: string };
  if (!table.sql.includes(OLD_CHECK)) throw new Error('results.status has an unexpected CHECK constraint');
  const extras = db
    .prepare(`SELECT sql FROM sqlite_master WHERE tbl_name = 'results' AND type IN ('index', 'trigger') AND sql IS NOT NULL`)
    .all() as { sql: string }[];
  const rebuilt = table.sql.replace(OLD_CHECK, NEW_CHECK).replace(/^CREATE TABLE "?results"?/, 'CREATE TABLE results_new');
  db.exec(rebuilt);
  db.exec('INSERT INTO results_new SELECT * FROM results');
  db.exec('DROP TABLE results');
  db.exec('ALTER TABLE results_new RENAME TO results');
  for (const extra of extras) db.exec(extra.sql);
}
