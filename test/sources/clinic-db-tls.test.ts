import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateTlsCertificate } from '../../src/main/core/api/tls-certificate';
import { clinicDbSourceSchema, testQuery } from '../../src/main/core/sources/clinic-db';
import { tempDir } from '../helpers/temp';

// Someone on the path between Avisa and the clinic's PostgreSQL answers the TLS handshake with a certificate of their
// own: with checks off, Avisa would then hand them the password. Here a server speaks PostgreSQL's SSLRequest and
// TLS with a self-signed certificate, and notes whether a TLS session was ever established.

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(() => r(undefined)));
});

async function impostor(tls: { key: string; cert: string }) {
  const state = { handshakes: 0, bytesAfterHandshake: 0 };
  const server = createServer((raw: Socket) => {
    raw.once('data', () => {
      // SSLRequest: answer 'S' and switch to TLS, as PostgreSQL does.
      raw.write('S');
      const secure = new TLSSocket(raw, { isServer: true, key: tls.key, cert: tls.cert });
      secure.on('secure', () => state.handshakes++);
      secure.on('data', (c: Buffer) => {
        state.bytesAfterHandshake += c.length;
        secure.destroy();
      });
      secure.on('error', () => undefined);
    });
    raw.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  servers.push(server);
  return { port: (server.address() as AddressInfo).port, state };
}

describe('TLS to the clinic database', () => {
  it('verifies the server certificate by default, and trusts a private CA only when its file is given', async () => {
    const dir = tempDir();
    const tls = loadOrCreateTlsCertificate(dir, { names: ['127.0.0.1'] });
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, tls.cert);
    const fake = await impostor(tls);
    const config = (sslCaFile?: string) =>
      clinicDbSourceSchema.parse({
        kind: 'results',
        connection: { driver: 'postgres', host: '127.0.0.1', port: fake.port, database: 'x', user: 'avisa', password: 'clave-secreta', ssl: true, sslCaFile },
        query: 'SELECT 1 AS result_id',
        cursorColumn: 'result_id',
        timeoutSeconds: 3,
      });

    const refused = await testQuery(config());
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.detail).toMatch(/self[- ]signed|certificate/i);
    // Nothing went over the connection once the certificate was refused: no startup message, no password.
    expect(fake.state.bytesAfterHandshake).toBe(0);

    await testQuery(config(caFile));
    await expect.poll(() => fake.state.bytesAfterHandshake).toBeGreaterThan(0);
  });
});
