import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import type { Party } from './pki';

// SoftHSM2 as the token or smart card: a real PKCS#11 module, with its own token directory in a temp folder. Tokens are
// made with Debian's softhsm2-util and filled with OpenSC's pkcs11-tool, the tools a clinic's IT would use.

export const SOFTHSM_MODULE = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so'].find((p) =>
  existsSync(p),
);

export interface SoftToken {
  modulePath: string;
  label: string;
  serial: string;
  pin: string;
  /** CKA_ID of the signer's key and certificate, hex. */
  certificateId: string;
  /** Takes the token away, as pulling out the USB stick does. */
  remove(): void;
}

let home: string | null = null;

/**
 * The configuration SoftHSM reads, in a directory that lives for the whole test file (per-test temp dirs are removed
 * after each test); set before the module is first loaded in this process. removeSoftHsm() deletes it.
 */
export function useSoftHsm(): string {
  if (!home) {
    home = mkdtempSync(join(tmpdir(), 'avisa-softhsm-'));
    mkdirSync(join(home, 'tokens'));
    writeFileSync(join(home, 'softhsm2.conf'), `directories.tokendir = ${join(home, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
    process.env.SOFTHSM2_CONF = join(home, 'softhsm2.conf');
  }
  return join(home, 'softhsm2.conf');
}

export function removeSoftHsm(): void {
  if (home) rmSync(home, { recursive: true, force: true });
  home = null;
}

/** A new token holding the signer's key and certificate (id 01) and the CA's certificate, protected by `pin`. */
export function makeSoftToken(label: string, signer: Party, ca: Party, pin = '123456'): SoftToken {
  const conf = useSoftHsm();
  if (!SOFTHSM_MODULE) throw new Error('SoftHSM2 is not installed (Debian package softhsm2)');
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  const work = mkdtempSync(join(tmpdir(), 'avisa-token-'));
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', '87654321'], { env, stdio: 'pipe' });
  writeFileSync(join(work, 'key.pem'), signer.keyPem);
  execFileSync('softhsm2-util', ['--import', join(work, 'key.pem'), '--token', label, '--label', 'firma', '--id', '01', '--pin', pin], {
    env,
    stdio: 'pipe',
  });
  const write = (party: Party, id: string, name: string) => {
    const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(party.cert)).getBytes(), 'binary');
    writeFileSync(join(work, `${name}.der`), der);
    execFileSync(
      'pkcs11-tool',
      ['--module', SOFTHSM_MODULE ?? '', '--token-label', label, '--login', '--pin', pin, '--write-object', join(work, `${name}.der`),
        '--type', 'cert', '--id', id, '--label', name],
      { env, stdio: 'pipe' },
    );
  };
  write(signer, '01', 'firma');
  write(ca, 'ca', 'ac-raiz');
  rmSync(work, { recursive: true, force: true });
  const listing = execFileSync('softhsm2-util', ['--show-slots'], { env, encoding: 'utf8' });
  const block = listing.split(/^Slot /m).find((b) => new RegExp(`Label:\\s+${label}\\s*$`, 'm').test(b)) ?? '';
  const serial = /Serial number:\s+(\S+)/.exec(block)?.[1] ?? '';
  return {
    modulePath: SOFTHSM_MODULE,
    label,
    serial,
    pin,
    certificateId: '01',
    remove: () => execFileSync('softhsm2-util', ['--delete-token', '--serial', serial], { env, stdio: 'pipe' }),
  };
}
