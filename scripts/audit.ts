// `npm run audit -- verify [--data-dir DIR]`: checks the audit trail's hash chain and reports the first broken link.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { verifyAudit } from '../src/main/core/audit/audit-log';
import { openDatabase } from '../src/main/core/store/db';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'data-dir': { type: 'string', default: process.env.AVISA_DATA_DIR ?? join(homedir(), '.avisa') } },
});
if (positionals[0] !== 'verify') {
  console.error('Uso / usage: npm run audit -- verify [--data-dir DIR]');
  process.exit(2);
}
const db = openDatabase(resolve(values['data-dir']));
const result = verifyAudit(db);
db.close();
if (result.ok) {
  console.log(`Auditoría íntegra / audit intact: ${result.checked} eventos / events.`);
} else {
  console.error(
    `Auditoría alterada / audit broken at event ${result.firstBrokenId} (${result.reason}) after ${result.checked} valid events.`,
  );
  process.exit(1);
}
