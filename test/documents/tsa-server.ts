import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Party } from '../helpers/pki';

// A local RFC 3161 Time Stamping Authority: the HTTP transport around `openssl ts -reply`, so B-T is tested without
// the internet and against a TSA implementation that is not ours.

export interface LocalTsa {
  url: string;
  requests: number;
  close: () => Promise<void>;
}

/** Lives for a whole suite, so it keeps its own directory (the per-test temp dirs are removed after each test). */
export async function startLocalTsa(tsa: Party, ca: Party): Promise<LocalTsa> {
  const home = mkdtempSync(join(tmpdir(), 'avisa-tsa-'));
  writeFileSync(join(home, 'tsa.pem'), tsa.certPem);
  writeFileSync(join(home, 'tsa.key'), tsa.keyPem);
  writeFileSync(join(home, 'ca.pem'), ca.certPem);
  writeFileSync(join(home, 'serial'), '01\n');
  writeFileSync(
    join(home, 'ts.cnf'),
    [
      '[ tsa ]',
      'default_tsa = tsa_config',
      '[ tsa_config ]',
      `serial = ${join(home, 'serial')}`,
      'crypto_device = builtin',
      'signer_digest = sha256',
      'default_policy = 1.3.6.1.4.1.99999.1',
      'digests = sha256, sha384, sha512',
      'accuracy = secs:1',
      'ordering = no',
      'tsa_name = yes',
      'ess_cert_id_chain = no',
      'ess_cert_id_alg = sha256',
      '',
    ].join('\n'),
  );
  const state = { requests: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests += 1;
      const query = join(home, `q${state.requests}.tsq`);
      const reply = join(home, `r${state.requests}.tsr`);
      try {
        writeFileSync(query, Buffer.concat(chunks));
        execFileSync('openssl', [
          'ts', '-reply', '-config', join(home, 'ts.cnf'), '-queryfile', query,
          '-signer', join(home, 'tsa.pem'), '-inkey', join(home, 'tsa.key'), '-chain', join(home, 'ca.pem'),
          '-out', reply,
        ], { stdio: 'pipe' });
        res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' });
        res.end(readFileSync(reply));
      } catch (err) {
        res.writeHead(500);
        res.end(String(err));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          rmSync(home, { recursive: true, force: true });
          resolve();
        }),
      ),
  };
}
