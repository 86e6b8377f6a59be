// `npm run restore -- --from BACKUP [--data-dir DIR] [--passphrase-file F]`: checks a backup in full, moves the current
// data aside (never overwritten) and puts the copy in its place; Avisa then starts on it with sending paused.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BackupError } from '../src/main/core/backup/backup-error';
import { bothTexts } from '../src/main/core/backup/backup-texts';
import { restoreBackup } from '../src/main/core/backup/restore';
import { databaseInUse } from '../src/main/core/store/backup-repo';
import { DATABASE_FILE } from '../src/main/core/store/db';

const usage = 'Uso / usage: npm run restore -- --from BACKUP [--data-dir DIR] [--passphrase-file FILE]';
const { values } = parseArgs({
  options: {
    from: { type: 'string' },
    'data-dir': { type: 'string', default: process.env.AVISA_DATA_DIR ?? join(homedir(), '.avisa') },
    'passphrase-file': { type: 'string' },
  },
});
if (!values.from) {
  console.error(usage);
  process.exit(2);
}
const dataDir = resolve(values['data-dir']);
if (existsSync(join(dataDir, DATABASE_FILE)) && databaseInUse(join(dataDir, DATABASE_FILE))) {
  console.error('Avisa está abierto sobre esta carpeta: ciérrelo antes de restaurar. / Avisa is running on this folder: close it before restoring.');
  process.exit(1);
}
// The passphrase from a file (first line), never from the command line, where other users could read it.
const passphrase = values['passphrase-file'] ? (readFileSync(values['passphrase-file'], 'utf8').split(/\r?\n/)[0] ?? '') : null;

try {
  const outcome = await restoreBackup({ from: resolve(values.from), dataDir, passphrase, now: Date.now, actor: 'restore-cli' });
  const taken = new Date(outcome.manifest.takenAt).toISOString();
  console.log(`Copia restaurada / backup restored: ${values.from} (${taken}, Avisa ${outcome.manifest.avisaVersion}).`);
  console.log(`Mensajes / messages: ${outcome.counts.messages ?? 0}; eventos de auditoría / audit events: ${outcome.counts.audit_events ?? 0}.`);
  if (outcome.asideDir) console.log(`Datos anteriores / previous data: ${outcome.asideDir}`);
  if (outcome.sending > 0) {
    console.log(`${outcome.sending} mensajes estaban enviándose: se concilian al iniciar, no se reenvían solos. / were being sent: reconciled at start, never resent blindly.`);
  }
  console.log('Los envíos quedan en pausa hasta que una persona revise la cola. / Sending stays paused until a person reviews the queue.');
  if (outcome.manifest.contents?.secrets === 'reenter' || outcome.manifest.mode === 'desktop') console.log(bothTexts('secrets_reenter').es);
} catch (error) {
  if (error instanceof BackupError) {
    const words = bothTexts(error.code, error.detail);
    console.error(`${words.es}\n${words.en}\n(${error.code}: ${error.detail})`);
    process.exit(1);
  }
  throw error;
}
