// Server mode: the same core under plain Node, the UI served to a browser on 127.0.0.1. Used where Electron is not
// available (servers, CI) and by the end-to-end tests.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createApp } from './core/app';
import { hashPassword, isLoopback, startHttpServer } from './core/api/http-server';
import { keyFileBox } from './core/secrets/key-file-box';
import type { SecretBox } from './core/secrets/secret-box';
import { openDatabase } from './core/store/db';
import { settingsService } from './core/settings/settings-service';
import { chooseClock } from './fake-clock';

const TOKEN_FILE = 'server-token';

function readOrCreateToken(dataDir: string): string {
  const path = join(dataDir, TOKEN_FILE);
  if (existsSync(path)) {
    chmodSync(path, 0o600);
    return readFileSync(path, 'utf8').trim();
  }
  const token = randomBytes(24).toString('base64url');
  writeFileSync(path, token, { mode: 0o600 });
  return token;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string', default: process.env.AVISA_DATA_DIR ?? join(homedir(), '.avisa') },
      port: { type: 'string', default: process.env.AVISA_PORT ?? '5190' },
      host: { type: 'string', default: process.env.AVISA_HOST ?? '127.0.0.1' },
      // A demonstration or test run: only then may AVISA_FAKE_NOW set the clock.
      demo: { type: 'boolean', default: false },
    },
  });
  const clock = chooseClock(process.env.AVISA_FAKE_NOW, values.demo);
  if (!clock.ok) throw new Error(clock.reason);
  if (clock.note) console.log(clock.note);
  const dataDir = resolve(values['data-dir']);
  const port = Number(values.port);
  const host = values.host;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  const secretBox = keyFileBox(dataDir);
  const passwordHash = serverPasswordHash(dataDir, secretBox, process.env.AVISA_SERVER_PASSWORD);
  const core = createApp({ dataDir, secretBox, mode: 'server', now: clock.now });
  const token = readOrCreateToken(dataDir);
  await core.start();
  const server = await startHttpServer({
    core,
    token,
    passwordHash,
    rendererDir: fileURLToPath(new URL('../renderer', import.meta.url)),
    host,
    port,
  }).catch(async (error: unknown) => {
    await core.stop();
    throw error;
  });

  const address = server.address() as AddressInfo;
  const shownHost = isLoopback(host) ? '127.0.0.1' : host;
  console.log(`Avisa (modo servidor) lista en / ready at: http://${shownHost}:${address.port}/#token=${token}`);
  console.log(`Datos / data: ${dataDir}`);

  const shutdown = async (): Promise<void> => {
    server.close();
    server.closeAllConnections();
    await core.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

/** Stores a newly given password (hashed, never as given) and returns the hash in force, if any. */
function serverPasswordHash(dataDir: string, secretBox: SecretBox, newPassword: string | undefined): string {
  const db = openDatabase(dataDir);
  try {
    const settings = settingsService(db, secretBox, Date.now);
    if (newPassword) settings.update({ serverPasswordHash: hashPassword(newPassword) });
    return settings.get().serverPasswordHash;
  } finally {
    db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
