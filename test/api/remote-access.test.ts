import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AvisaCore } from '../../src/main/core/app';
import { loadOrCreateTlsCertificate, TLS_CERT_FILE } from '../../src/main/core/api/tls-certificate';
import { startCore } from '../helpers/core';
import { tempDir } from '../helpers/temp';

// The clinic's IT compares the browser's warning with the fingerprint Avisa shows: it must be the certificate's real
// SHA-256, as an independent tool (openssl) computes it from the file Avisa names.

const cores: AvisaCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
});

const opensslFingerprint = (file: string) =>
  execFileSync('openssl', ['x509', '-in', file, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' }).trim().split('=')[1];

describe('remote access certificate', () => {
  it('shows the self-signed certificate’s SHA-256 fingerprint, its file and the names it is valid for', async () => {
    const dataDir = tempDir();
    const tls = loadOrCreateTlsCertificate(dataDir, { names: ['127.0.0.2', 'avisa.clinica.lan'] });
    expect(tls).toMatchObject({ generated: true, selfSigned: true, certFile: join(dataDir, TLS_CERT_FILE) });
    const { core, call } = await startCore(dataDir, { servedCertificate: tls });
    cores.push(core);
    const view = await call('remoteAccess.certificate', {});
    expect(view).toMatchObject({ https: true, selfSigned: true, certFile: join(dataDir, TLS_CERT_FILE) });
    if (!view.https) return;
    expect(view.fingerprintSha256).toBe(opensslFingerprint(view.certFile));
    expect(view.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(view.names.sort()).toEqual(['127.0.0.2', 'avisa.clinica.lan']);
    expect(Date.parse(view.validTo)).toBeGreaterThan(Date.now() + 365 * 86_400_000);

    // Loaded again at the next start: the same certificate, still Avisa's own, no longer "made now".
    expect(loadOrCreateTlsCertificate(dataDir, { names: ['127.0.0.2'] })).toMatchObject({
      generated: false,
      selfSigned: true,
      fingerprint: view.fingerprintSha256,
    });
  });

  it('says there is nothing to check on the desktop or on loopback, and names the clinic’s own certificate', async () => {
    const { core, call } = await startCore();
    cores.push(core);
    expect(await call('remoteAccess.certificate', {})).toEqual({ https: false });

    const own = tempDir();
    const made = loadOrCreateTlsCertificate(own, { names: ['clinica.pe'] });
    const given = loadOrCreateTlsCertificate(tempDir(), { certPath: made.certFile, keyPath: join(own, 'tls-key.pem'), names: [] });
    const second = await startCore(tempDir(), { servedCertificate: given });
    cores.push(second.core);
    expect(await second.call('remoteAccess.certificate', {})).toMatchObject({
      https: true,
      selfSigned: false,
      certFile: made.certFile,
      fingerprintSha256: opensslFingerprint(made.certFile),
    });
  });
});
