import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addressReader, findCloudflared } from '../../src/main/core/webhooks/cloudflared';
import { cloudRig, TOKEN, VERIFY_TOKEN } from '../helpers/cloud';
import { startCore } from '../helpers/core';
import { quietPort } from '../helpers/ports';
import { tempDir } from '../helpers/temp';

// The stand-in prints what the real CLI prints and forwards HTTP like the tunnel does; see test/fakes.
const STANDIN_DIR = resolve(__dirname, '../fakes/cloudflared-bin');
const STANDIN = join(STANDIN_DIR, 'cloudflared');

type Rig = Awaited<ReturnType<typeof cloudRig>>;
const rigs: Rig[] = [];
const servers: Server[] = [];
let pidFile = '';
beforeEach(() => {
  pidFile = join(tempDir(), 'cloudflared.pid');
  process.env.CLOUDFLARED_STANDIN_PIDFILE = pidFile;
});
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
  for (const s of servers.splice(0)) await new Promise((done) => s.close(done));
  delete process.env.CLOUDFLARED_STANDIN_PIDFILE;
  delete process.env.CLOUDFLARED_STANDIN_ORIGIN;
});
async function rig(...args: Parameters<typeof cloudRig>) {
  const r = await cloudRig(...args);
  rigs.push(r);
  // Meta's app-level callback points nowhere: whatever arrives came through the override Avisa registered.
  r.fake.setWebhookUrl('http://127.0.0.1:9/nowhere');
  return r;
}
const view = (r: Rig) => r.call('reception.view', {});
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const standinPid = () => Number(readFileSync(pidFile, 'utf8'));

describe('cloudflared supervision', () => {
  it('reads the quick tunnel address from the box the CLI prints, and a named tunnel from its registration line', () => {
    const quick = addressReader({ kind: 'quick' });
    expect(quick('2026-01-01T00:00:00Z INF Requesting new quick Tunnel on trycloudflare.com...')).toBeNull();
    expect(quick('2026-01-01T00:00:00Z INF +------------------------------------------------+')).toBeNull();
    expect(quick('2026-01-01T00:00:00Z INF |  Your quick Tunnel has been created! Visit it at (it may take some time to be reachable):  |')).toBeNull();
    expect(quick('2026-01-01T00:00:00Z INF |  https://gentle-river-1234.trycloudflare.com                                 |')).toBe(
      'https://gentle-river-1234.trycloudflare.com',
    );
    const named = addressReader({ kind: 'named', token: 't', hostname: 'https://avisa.clinica.pe' });
    expect(named('INF Starting tunnel tunnelID=abc')).toBeNull();
    expect(named('INF Registered tunnel connection connIndex=0 connection=x event=0 ip=1.2.3.4 location=lim01 protocol=quic')).toBe(
      'https://avisa.clinica.pe',
    );
  });

  it('finds the binary on PATH or at the configured path, never elsewhere', () => {
    expect(findCloudflared('', { PATH: STANDIN_DIR })).toBe(STANDIN);
    expect(findCloudflared('', { PATH: tempDir() })).toBeNull();
    expect(findCloudflared(STANDIN, { PATH: '' })).toBe(STANDIN);
    expect(findCloudflared(join(tempDir(), 'cloudflared'), { PATH: STANDIN_DIR })).toBeNull();
  });
});

describe('reception through a Cloudflare quick tunnel', () => {
  it('starts cloudflared, registers the address at Meta after its handshake, receives a status through it, and survives a kill', async () => {
    const r = await rig({ appSubscribed: false });
    await r.call('reception.configure', { mode: 'tunnel', tunnel: 'quick', cloudflaredPath: STANDIN });
    await expect.poll(async () => (await view(r)).registered?.address ?? null, { timeout: 15_000 }).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook$/);
    const first = (await view(r)).publicAddress!;
    expect(r.fake.overrides).toMatchObject({ phoneNumber: first, subscribed: true });
    expect(r.fake.verifications).toEqual([{ url: first, status: 200, ok: true }]);

    const p = await r.patient();
    const m = await r.call('messages.send', { patientId: p.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['Hola'] });
    await expect.poll(async () => (await r.call('messages.timeline', { id: m.id })).message.state, { timeout: 10_000 }).toBe('sent');
    await r.fake.status(r.fake.accepted[0]!.wamid, 'delivered');
    await expect.poll(async () => (await r.call('messages.timeline', { id: m.id })).message.state, { timeout: 10_000 }).toBe('delivered');
    expect((await view(r)).lastWebhookAt).not.toBeNull();

    const test = await r.call('reception.test', {});
    expect(test).toMatchObject({ ok: true, reason: null });

    // The tunnel dies: Avisa restarts it; a quick tunnel has a new address, registered again.
    const pid = standinPid();
    process.kill(pid, 'SIGKILL');
    await expect.poll(async () => (await view(r)).registered?.address ?? first, { timeout: 15_000 }).not.toBe(first);
    const second = (await view(r)).publicAddress!;
    expect(r.fake.overrides.phoneNumber).toBe(second);
    expect(standinPid()).not.toBe(pid);

    // Quitting stops the child.
    const last = standinPid();
    rigs.splice(rigs.indexOf(r), 1);
    await r.close();
    expect(alive(last)).toBe(false);
  });

  it('shows Meta’s refusal with its code when the address does not answer the handshake', async () => {
    const r = await rig();
    // A named tunnel whose ingress leads to something that is not Avisa: Meta's verification gets a 403.
    const other = createServer((_req, res) => res.writeHead(403).end('Forbidden'));
    servers.push(other);
    await new Promise<void>((done) => other.listen(0, '127.0.0.1', done));
    process.env.CLOUDFLARED_STANDIN_ORIGIN = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    await r.call('secrets.set', { name: 'cloudApi.tunnelToken', value: 'eyJhIjoidGVzdCJ9' });
    // The stand-in is told its port before it starts (the named tunnel's address): one no other socket is given meanwhile.
    const hostPort = await quietPort();
    process.env.CLOUDFLARED_STANDIN_PORT = String(hostPort);
    await r.call('reception.configure', {
      mode: 'tunnel',
      tunnel: 'named',
      tunnelHostname: `http://127.0.0.1:${hostPort}`,
      cloudflaredPath: STANDIN,
      overrideScope: 'waba',
    });
    delete process.env.CLOUDFLARED_STANDIN_PORT;
    await expect.poll(async () => (await view(r)).registrationError?.code ?? null, { timeout: 15_000 }).toBe('2200');
    const v = await view(r);
    expect(v.registrationError?.reason).toMatch(/Meta no pudo verificar la dirección pública/);
    expect(v.registered).toBeNull();
    expect(r.fake.overrides.waba).toBeNull();
    expect(r.fake.verifications[0]).toMatchObject({ status: 403, ok: false });
  });

  it('says why when cloudflared is not installed', async () => {
    const r = await rig();
    await r.call('reception.configure', { mode: 'tunnel', tunnel: 'quick', cloudflaredPath: join(tempDir(), 'cloudflared') });
    await expect.poll(async () => (await view(r)).tunnel?.state, { timeout: 5_000 }).toBe('not_found');
    expect((await view(r)).publicAddress).toBeNull();
  });
});

describe('what the reception screen counts', () => {
  it('counts refused webhooks of the last 24 hours', async () => {
    const r = await rig();
    const direct = `http://127.0.0.1:${(await r.call('app.status', {})).webhook?.port}/webhook`;
    r.fake.setWebhookUrl(direct);
    expect(await r.fake.postWebhook({ object: 'whatsapp_business_account', entry: [] }, 'forged')).toBe(401);
    expect(await r.fake.postWebhook({ object: 'whatsapp_business_account', entry: [] }, 'missing')).toBe(401);
    expect((await view(r)).refusedLast24h).toBe(2);
  });

  it('does not listen for webhooks before the Cloud API is set up (the wizard cannot take the port)', async () => {
    const { core, call } = await startCore(tempDir());
    try {
      await call('setup.complete', {
        clinicName: 'Clínica',
        sites: [{ name: 'Sede', country: 'PE', timeZone: 'America/Lima' }],
        services: [{ name: 'Laboratorio' }],
        channel: 'cloud-api',
      });
      expect(core.status().webhook).toBeNull();
      await call('settings.update', { cloudApi: { phoneNumberId: '1055', wabaId: '2001' } });
      await call('secrets.set', { name: 'cloudApi.accessToken', value: TOKEN });
      await call('secrets.set', { name: 'cloudApi.verifyToken', value: VERIFY_TOKEN });
      expect(core.status().webhook?.listening).toBe(true);
    } finally {
      await core.stop();
    }
  });
});

describe('silence alarm', () => {
  it('raises "no statuses" after the threshold without webhooks, with a fixed clock, and clears when one arrives', async () => {
    let now = Date.UTC(2026, 2, 2, 15, 0, 0);
    const r = await rig({}, { now: () => now });
    const direct = `http://127.0.0.1:${(await r.call('app.status', {})).webhook?.port}/webhook`;
    r.fake.setWebhookUrl(direct);
    const p = await r.patient();
    const m = await r.call('messages.send', { patientId: p.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['Hola'] });
    await expect.poll(async () => (await r.call('messages.timeline', { id: m.id })).message.state, { timeout: 10_000 }).toBe('sent');
    const sentAt = (await r.call('messages.timeline', { id: m.id })).message.sentAt;
    now += 14 * 60_000;
    expect((await r.call('app.status', {})).webhookSilentSince).toBeNull();
    now += 2 * 60_000;
    expect((await r.call('app.status', {})).webhookSilentSince).toBe(sentAt);
    expect((await view(r)).silentSince).toBe(sentAt);
    // The Panel does not show a 0 % delivered for that stretch: it marks it incomplete.
    const silent = await r.call('panel.summary', { from: '2026-03-02', to: '2026-03-02' });
    expect(silent.statusGaps).toEqual([{ from: sentAt, to: now }]);
    expect(silent.series.map((row) => [row.key, row.statusesIncomplete])).toEqual([['2026-03-02', true]]);

    await r.fake.status(r.fake.accepted[0]!.wamid, 'delivered');
    await expect.poll(async () => (await r.call('app.status', {})).webhookSilentSince, { timeout: 10_000 }).toBeNull();
    // The gap stays in the record: the webhook came 16 minutes after the send, past the threshold.
    const later = await r.call('panel.summary', { from: '2026-03-02', to: '2026-03-02' });
    expect(later.statusGaps).toEqual([{ from: sentAt, to: now }]);
    expect(later.totals.delivered).toBe(1);
  });
});

describe('reception through the clinic’s own address', () => {
  it('registers the address entered and shows why Meta could not reach it', async () => {
    const r = await rig();
    const closed = await quietPort();
    const address = `https://127.0.0.1:${closed}/whatsapp/webhook`;
    await r.call('reception.configure', { mode: 'own', publicUrl: address });
    const v = await view(r);
    expect(v.publicAddress).toBe(address);
    expect(v.tunnel).toBeNull();
    expect(v.registrationError).toMatchObject({ code: '2200' });
    expect(r.fake.verifications).toEqual([{ url: address, status: 0, ok: false }]);
    await expect(r.call('reception.configure', { publicUrl: 'http://clinica.pe/webhook' })).rejects.toThrow();
    // None: nothing registered, no tunnel, sending still works.
    await r.call('reception.configure', { mode: 'none' });
    expect((await view(r)).publicAddress).toBeNull();
  });
});
