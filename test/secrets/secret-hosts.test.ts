import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AvisaCore } from '../../src/main/core/app';
import { startFakeSmtp } from '../fakes/smtp-server';
import { clinicDbSource } from '../helpers/clinic-agenda';
import { startCore } from '../helpers/core';

// Whoever reaches the settings screen can change a server's address and press "Probar": the stored password or token
// must not follow it to their server. A secret is bound to the server it was entered for.

const closers: (() => Promise<void>)[] = [];
const cores: AvisaCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
  for (const close of closers.splice(0)) await close();
});

async function app() {
  const started = await startCore();
  cores.push(started.core);
  return started;
}

/** An HTTP server that writes down every request's headers, as an attacker's would. */
async function listeningHttp(): Promise<{ url: string; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"data":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

/** A TCP listener that keeps every byte sent to it (a fake "PostgreSQL" collecting the startup and password). */
async function listeningTcp(): Promise<{ port: number; bytes: () => string }> {
  const chunks: Buffer[] = [];
  const server: TcpServer = createTcpServer((socket) => {
    socket.on('data', (c) => {
      chunks.push(c);
      // Ask for a clear-text password, as PostgreSQL's AuthenticationCleartextPassword does.
      if (chunks.length === 1) socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]));
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { port: (server.address() as AddressInfo).port, bytes: () => Buffer.concat(chunks).toString('latin1') };
}

describe('secrets bound to the server they were entered for', () => {
  it('SMTP: changing only the server sends the stored password nowhere; it must be entered again', async () => {
    const { call } = await app();
    const real = await startFakeSmtp({ users: { avisos: 'clave-smtp' } });
    const attacker = await startFakeSmtp({ users: { avisos: 'anything' } });
    closers.push(real.close, attacker.close);
    const email = { fallback: true, host: '127.0.0.1', security: 'none' as const, user: 'avisos', fromAddress: 'a@clinica.test' };
    await call('settings.update', { email: { ...email, port: real.port } });
    await call('secrets.set', { name: 'email.password', value: 'clave-smtp' });
    expect(await call('email.sendTest', { to: 'r@clinica.test' })).toMatchObject({ ok: true });
    expect((await call('settings.get', {})).secrets['email.password']).toBe(true);

    await call('settings.update', { email: { ...email, port: attacker.port } });
    expect((await call('settings.get', {})).secrets['email.password']).toBe(false);
    await call('email.sendTest', { to: 'r@clinica.test' });
    expect(attacker.authAttempts.map((a) => a.user)).not.toContain('avisos');
    expect(JSON.stringify(attacker.received.map((m) => m.raw.toString()))).not.toContain('clave-smtp');

    // Back on the real server, the password works again without being re-entered; a new one binds to the new server.
    await call('settings.update', { email: { ...email, port: real.port } });
    expect(await call('email.sendTest', { to: 'r@clinica.test' })).toMatchObject({ ok: true });
  }, 30_000);

  it('Cloud API: a changed base URL never receives the access token', async () => {
    const { call } = await app();
    const real = await listeningHttp();
    const attacker = await listeningHttp();
    await call('settings.update', { cloudApi: { baseUrl: real.url, phoneNumberId: '1055', wabaId: '2001' } });
    await call('secrets.set', { name: 'cloudApi.accessToken', value: 'EAAG-token-secreto' });
    await call('cloudApi.check', {}).catch(() => undefined);
    expect(real.seen.some((h) => h.authorization === 'Bearer EAAG-token-secreto')).toBe(true);

    await call('settings.update', { cloudApi: { baseUrl: attacker.url } });
    await call('cloudApi.check', {}).catch(() => undefined);
    await call('cloudApi.syncTemplates', {}).catch(() => undefined);
    expect(JSON.stringify(attacker.seen)).not.toContain('EAAG-token-secreto');
  }, 30_000);

  it('clinic database: a changed host or port never receives the password', async () => {
    const { call } = await app();
    const attacker = await listeningTcp();
    const source = (port: number) =>
      clinicDbSource(
        'appointments',
        { driver: 'postgres', host: '127.0.0.1', port, database: 'clinica', user: 'avisa', ssl: false },
        'SELECT 1 AS appointment_id WHERE 1 > :cursor',
        { enabled: false, pollSeconds: 60, timeoutSeconds: 2 },
      );
    // Entered for the clinic's server (port 1: nothing listens there).
    await call('sources.clinicDb.set', { kind: 'appointments', config: source(1), password: 'clave-bd-secreta' });
    await call('sources.clinicDb.set', { kind: 'appointments', config: source(attacker.port) });
    await call('sources.clinicDb.test', { kind: 'appointments' });
    expect(attacker.bytes()).toContain('avisa');
    expect(attacker.bytes()).not.toContain('clave-bd-secreta');
  }, 30_000);
});
