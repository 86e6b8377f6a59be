// Server mode: the same core under plain Node, the UI served to a browser on 127.0.0.1. Used where Electron is not
// available (servers, CI) and by the end-to-end tests.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { homedir, hostname, networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRestartableApp } from './core/restartable-app';
import { isLoopback, startHttpServer } from './core/api/http-server';
import { loadOrCreateTlsCertificate, type TlsMaterial } from './core/api/tls-certificate';
import { keyFileBox } from './core/secrets/key-file-box';
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
      // Names the clinic reaches this server by (besides its address), comma-separated.
      'allowed-host': { type: 'string', default: process.env.AVISA_ALLOWED_HOSTS ?? '' },
      // The clinic's own certificate for HTTPS; without it, a self-signed one is made in the data folder.
      'tls-cert': { type: 'string', default: process.env.AVISA_TLS_CERT ?? '' },
      'tls-key': { type: 'string', default: process.env.AVISA_TLS_KEY ?? '' },
    },
  });
  const clock = chooseClock(process.env.AVISA_FAKE_NOW, values.demo);
  if (!clock.ok) throw new Error(clock.reason);
  if (clock.note) console.log(clock.note);
  const dataDir = resolve(values['data-dir']);
  const port = Number(values.port);
  const host = values.host;
  const allowedHosts = values['allowed-host'].split(',').map((h) => h.trim()).filter(Boolean);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Beyond loopback only HTTPS: passwords and every patient record would otherwise cross the LAN in clear text.
  const tls: TlsMaterial | undefined = isLoopback(host)
    ? undefined
    : loadOrCreateTlsCertificate(dataDir, {
        certPath: values['tls-cert'] || undefined,
        keyPath: values['tls-key'] || undefined,
        names: [...certificateNames(host), ...allowedHosts],
      });

  const secretBox = keyFileBox(dataDir);
  if (process.env.AVISA_SERVER_PASSWORD) {
    console.warn(
      'AVISA_SERVER_PASSWORD ya no se usa: cada persona inicia sesión con su contraseña o PIN. / ' +
        'AVISA_SERVER_PASSWORD is no longer used: each person signs in with their own password or PIN.',
    );
  }
  const servedCertificate = tls && { fingerprint: tls.fingerprint, selfSigned: tls.selfSigned, certFile: tls.certFile };
  const core = createRestartableApp({ dataDir, secretBox, mode: 'server', now: clock.now, ...(servedCertificate ? { servedCertificate } : {}) });
  const token = readOrCreateToken(dataDir);
  await core.start();
  const server = await startHttpServer({
    core,
    token,
    rendererDir: fileURLToPath(new URL('../renderer', import.meta.url)),
    host,
    port,
    allowedHosts,
    tls,
  }).catch(async (error: unknown) => {
    await core.stop();
    throw error;
  });

  const address = server.address() as AddressInfo;
  const shownHost = isLoopback(host) ? '127.0.0.1' : host;
  const scheme = tls ? 'https' : 'http';
  console.log(`Avisa (modo servidor) lista en / ready at: ${scheme}://${shownHost}:${address.port}/`);
  if (tls) {
    console.log(
      `Certificado HTTPS${tls.generated ? ' (autofirmado, creado ahora)' : ''} / HTTPS certificate${tls.generated ? ' (self-signed, made now)' : ''} ` +
        `SHA-256: ${tls.fingerprint}`,
    );
  }
  console.log(`Datos / data: ${dataDir}`);
  // The server's own token is for scripts on this machine (Authorization: Bearer …), never for a browser.
  console.log(`Token para scripts locales / token for local scripts: ${join(dataDir, TOKEN_FILE)}`);

  const shutdown = async (): Promise<void> => {
    server.close();
    server.closeAllConnections();
    await core.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});

/** The names a browser may use for this server: its address, or every address of this machine when it listens on all. */
function certificateNames(host: string): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [host];
  const addresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address));
  return [hostname(), ...addresses];
}
