import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Party } from '../helpers/pki';
import { isAddressInUse, quietPort } from '../helpers/ports';

// The CA's revocation services on loopback, made of OpenSSL's own: `openssl ocsp -port` answering from the CA's
// index.txt, and a CRL from `openssl ca -gencrl` served over HTTP. Revoking a certificate writes it into the index.

export interface RevocationServices {
  ocspUrl: string;
  crlUrl: string;
  /** Known to the CA as valid (V) or revoked (R); the CRL is regenerated. Register before startOcsp. */
  register(party: Party, state: 'valid' | 'revoked'): void;
  /** A registered certificate is revoked from now on: the index and the CRL say so (restart the OCSP responder). */
  revoke(party: Party): void;
  /** Starts `openssl ocsp` on its port, answering from the index as it is now. */
  startOcsp(): Promise<void>;
  /** Stops the OCSP responder (the CRL keeps being served). */
  stopOcsp(): Promise<void>;
  crlRequests: number;
  close(): Promise<void>;
}

export async function startRevocationServices(ca: Party): Promise<RevocationServices> {
  const home = mkdtempSync(join(tmpdir(), 'avisa-ca-'));
  const f = (n: string): string => join(home, n);
  writeFileSync(f('ca.pem'), ca.certPem);
  writeFileSync(f('ca.key'), ca.keyPem);
  writeFileSync(f('index.txt'), '');
  writeFileSync(f('crlnumber'), '01\n');
  writeFileSync(
    f('ca.cnf'),
    [
      '[ ca ]',
      'default_ca = test_ca',
      '[ test_ca ]',
      `database = ${f('index.txt')}`,
      `crlnumber = ${f('crlnumber')}`,
      `certificate = ${f('ca.pem')}`,
      `private_key = ${f('ca.key')}`,
      'default_md = sha256',
      'default_crl_days = 7',
      '',
    ].join('\n'),
  );
  // The certificates carry this port before the responder starts, and it restarts on the same one: a port the kernel
  // never hands out by itself, so nothing else takes it while the responder is down.
  const ocspPort = await quietPort();
  const state = { crlRequests: 0, crl: Buffer.alloc(0) };

  const regenerateCrl = (): void => {
    execFileSync('openssl', ['ca', '-gencrl', '-config', f('ca.cnf'), '-out', f('ca.crl.pem')], { stdio: 'pipe' });
    execFileSync('openssl', ['crl', '-in', f('ca.crl.pem'), '-outform', 'DER', '-out', f('ca.crl')], { stdio: 'pipe' });
    state.crl = readFileSync(f('ca.crl'));
  };
  regenerateCrl();

  let ocsp: ChildProcess | null = null;
  const launchOcsp = async (): Promise<void> => {
    const child = spawn(
      'openssl',
      ['ocsp', '-index', f('index.txt'), '-port', String(ocspPort), '-rsigner', f('ca.pem'), '-rkey', f('ca.key'), '-CA', f('ca.pem'),
        '-nmin', '60', '-ignore_err'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    ocsp = child;
    // Ready when it says so (a probe connection would hold its single-threaded loop until that connection ends).
    await new Promise<void>((resolve, reject) => {
      let said = '';
      const timer = setTimeout(() => reject(new Error(`openssl ocsp did not start: ${said}`)), 10_000);
      child.stderr?.on('data', (chunk: Buffer) => {
        said += chunk.toString();
        if (said.includes('waiting for OCSP client connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`openssl ocsp exited (${code}): ${said}`)));
    });
  };

  // Only an explicit bind of the same number (a test probing for a quiet port) could hold it, and only for a moment.
  const startOcsp = async (): Promise<void> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await launchOcsp();
      } catch (error) {
        if (attempt >= 5 || !isAddressInUse(error)) throw error;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };

  const http: Server = createServer((req, res) => {
    state.crlRequests += 1;
    if (req.url === '/ca.crl') {
      res.writeHead(200, { 'Content-Type': 'application/pkix-crl' });
      res.end(state.crl);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  const httpPort = typeof address === 'object' && address ? address.port : 0;

  const stopOcsp = async (): Promise<void> => {
    if (!ocsp) return;
    const child = ocsp;
    ocsp = null;
    await new Promise<void>((resolve) => {
      // One that could not start has exited already.
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill();
    });
  };

  return {
    ocspUrl: `http://127.0.0.1:${ocspPort}/`,
    crlUrl: `http://127.0.0.1:${httpPort}/ca.crl`,
    register(party, status) {
      const serial = party.cert.serialNumber.toUpperCase();
      const expiry = asn1Time(party.cert.validity.notAfter);
      const dn = party.cert.subject.attributes.map((a) => `/${a.shortName}=${String(a.value)}`).join('');
      const line = status === 'valid' ? `V\t${expiry}\t\t${serial}\tunknown\t${dn}\n` : `R\t${expiry}\t${asn1Time(new Date(Date.now() - 3_600_000))}\t${serial}\tunknown\t${dn}\n`;
      writeFileSync(f('index.txt'), line, { flag: 'a' });
      regenerateCrl();
    },
    revoke(party) {
      const serial = party.cert.serialNumber.toUpperCase();
      const lines = readFileSync(f('index.txt'), 'utf8').split('\n');
      const revokedAt = asn1Time(new Date(Date.now() - 60_000));
      const changed = lines.map((line) => {
        const fields = line.split('\t');
        return fields[0] === 'V' && fields[3] === serial ? ['R', fields[1], revokedAt, ...fields.slice(3)].join('\t') : line;
      });
      writeFileSync(f('index.txt'), changed.join('\n'));
      regenerateCrl();
    },
    startOcsp,
    stopOcsp,
    get crlRequests() {
      return state.crlRequests;
    },
    async close() {
      await stopOcsp();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      rmSync(home, { recursive: true, force: true });
    },
  };
}

function asn1Time(d: Date): string {
  return `${d.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`;
}
