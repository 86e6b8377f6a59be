// `npm run audit -- verify [--data-dir DIR]`: checks the audit trail's hash chain and reports the first broken link.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { verifyAnchoredAudit } from '../src/main/core/audit/audit-anchor';
import { openDatabase } from '../src/main/core/store/db';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'data-dir': { type: 'string', default: process.env.AVISA_DATA_DIR ?? join(homedir(), '.avisa') } },
});
if (positionals[0] !== 'verify') {
  console.error('Uso / usage: npm run audit -- verify [--data-dir DIR]');
  process.exit(2);
}
const dataDir = resolve(values['data-dir']);
const db = openDatabase(dataDir);
const result = verifyAnchoredAudit(db, dataDir);
db.close();
if (result.ok) {
  console.log(`Auditoría íntegra / audit intact: ${result.checked} eventos / events.`);
  if (!result.anchored) console.log('Sin ancla todavía / no anchor yet: the end of the chain cannot be checked.');
} else if (result.reason === 'truncated' || result.reason === 'rewritten') {
  const es = result.reason === 'truncated' ? 'faltan los eventos más recientes' : 'la cadena fue rehecha';
  console.error(
    `Auditoría alterada / audit broken at event ${result.firstBrokenId} (${result.reason}): ${es}; ${result.checked} eventos en la base / events in the database.`,
  );
  process.exit(1);
} else {
  console.error(
    `Auditoría alterada / audit broken at event ${result.firstBrokenId} (${result.reason}) after ${result.checked} valid events.`,
  );
  process.exit(1);
}
