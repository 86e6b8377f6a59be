import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHttpServer } from '../../src/main/core/api/http-server';
import { handlerAccess } from '../../src/main/core/api/permissions';
import type { AvisaCore } from '../../src/main/core/app-types';
import { registerIpc } from '../../src/main/desktop/ipc';
import { rendererIndexPath } from '../../src/main/desktop/window';
import type { ApiResponse, HandlerName } from '../../src/shared/api';
import type { Role } from '../../src/shared/people';
import { startCore } from '../helpers/core';
import { fakeElectron, resetFakeElectron } from '../desktop/fake-electron';

vi.mock('electron', async () => (await import('../desktop/fake-electron')).fakeElectron());

// Every handler, for a person of each role, through both transports. The arguments are deliberately not an object:
// a call the person may make is refused only for its arguments (invalid_args) and never runs; a call they may not
// make is refused before that, with 403 and the reason.
const NOT_ARGS = 42;
const names = Object.keys(handlerAccess) as HandlerName[];
const people: Record<Role, { id: number; document: string; secret: string }> = {
  admin: { id: 0, document: '10000001', secret: '123456' },
  reception: { id: 0, document: '10000002', secret: '234567' },
  professional: { id: 0, document: '10000003', secret: '345678' },
};
const roles = Object.keys(people) as Role[];

// Ajustes → Personas: "Recepción puede lanzar campañas", off unless a test turns it on.
const sendsToMany = (name: HandlerName) => {
  const access = handlerAccess[name];
  return typeof access === 'object' && 'toMany' in access;
};
let receptionLaunchesCampaigns = false;

function expected(name: HandlerName, role: Role | null): 'allowed' | 'forbidden' | 'sign_in_required' {
  const access = handlerAccess[name];
  if (access === 'public') return 'allowed';
  if (role === null) return 'sign_in_required';
  if (access === 'signedIn') return 'allowed';
  // Sending to many at once: reception only when the clinic allows it.
  if (sendsToMany(name) && role === 'reception' && !receptionLaunchesCampaigns) return 'forbidden';
  return (access.roles as readonly Role[]).includes(role) ? 'allowed' : 'forbidden';
}
const outcome = (r: ApiResponse<unknown>) =>
  r.ok ? 'ran' : r.error.code === 'invalid_args' ? 'allowed' : r.error.code;

let core: AvisaCore;
// Shared by every test of the file (the helper's temp dirs go after each test).
const dataDir = mkdtempSync(join(tmpdir(), 'avisa-matrix-'));
let server: Server;
let base: string;
const cookies: Partial<Record<Role, string>> = {};

beforeAll(async () => {
  ({ core } = await startCore(dataDir));
  const call = async (name: string, args: unknown) => {
    const r = await core.invoke(name, args);
    if (!r.ok) throw new Error(r.error.message);
    return r.result as { id: number };
  };
  for (const role of roles) {
    const p = people[role];
    p.id = (
      await call('people.create', {
        name: `Persona ${role}`,
        documentNumber: p.document,
        roles: [role],
        registryNumber: role === 'professional' ? 'CMP 12345' : null,
        secretKind: 'pin',
        secret: p.secret,
      })
    ).id;
  }
  server = await startHttpServer({ core, token: 'automation-token-0123456789', rendererDir: dataDir, host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const role of roles) {
    const login = await fetch(`${base}/api/login`, {
      method: 'POST',
      body: JSON.stringify({ documentNumber: people[role].document, secret: people[role].secret }),
    });
    expect(login.status).toBe(200);
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    cookies[role] = /avisa_session=([^;]+)/.exec(setCookie)?.[1];
  }
}, 60_000);

afterAll(async () => {
  server?.closeAllConnections();
  server?.close();
  await core?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const setReceptionLaunches = async (on: boolean) => {
  const r = await core.invoke('settings.update', { people: { receptionLaunchesCampaigns: on } });
  expect(r).toMatchObject({ ok: true });
  receptionLaunchesCampaigns = on;
};

describe.each([false, true])('roles × handlers over HTTP (Recepción launches campaigns: %s)', (on) => {
  beforeAll(() => setReceptionLaunches(on));
  afterAll(() => setReceptionLaunches(false));
  it.each([...roles, null])('as %s: every handler answers as the permission map says', async (role) => {
    const mismatches: string[] = [];
    for (const name of names) {
      const response = await fetch(`${base}/api/call/${name}`, {
        method: 'POST',
        headers: role ? { Cookie: `avisa_session=${cookies[role]}` } : {},
        body: JSON.stringify(NOT_ARGS),
      });
      const body = (await response.json()) as ApiResponse<unknown>;
      const want = expected(name, role);
      const got = outcome(body);
      if (got !== want) mismatches.push(`${name}: ${got} (wanted ${want})`);
      const status = want === 'forbidden' ? 403 : want === 'sign_in_required' ? 401 : 200;
      if (response.status !== status) mismatches.push(`${name}: HTTP ${response.status} (wanted ${status})`);
      if (want === 'forbidden' && !body.ok) expect(body.error.message).toMatch(/requiere el rol/);
      if (want === 'forbidden' && !body.ok && role === 'reception' && sendsToMany(name)) {
        expect(body.error.message).toMatch(/Ajustes → Personas/);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe.each([false, true])('roles × handlers through the IPC handler path (Recepción launches campaigns: %s)', (on) => {
  beforeAll(() => setReceptionLaunches(on));
  afterAll(() => setReceptionLaunches(false));
  it('as each person unlocked on the desktop, and locked, every handler answers as the map says', async () => {
    resetFakeElectron();
    const dispose = registerIpc(core);
    const handler = fakeElectron().ipcMain.handlers.get('avisa:call');
    const event = { senderFrame: { url: pathToFileURL(rendererIndexPath()).href } };
    const ipc = (name: string, args: unknown) => handler?.(event, name, args) as Promise<ApiResponse<unknown>>;
    const mismatches: string[] = [];
    const check = async (role: Role | null) => {
      for (const name of names) {
        const want = expected(name, role);
        const got = outcome(await ipc(name, NOT_ARGS));
        if (got !== want) mismatches.push(`${role ?? 'locked'} ${name}: ${got} (wanted ${want})`);
      }
    };
    await check(null);
    for (const role of roles) {
      const unlocked = await ipc('session.unlock', { personId: people[role].id, secret: people[role].secret });
      expect(unlocked).toMatchObject({ ok: true, result: { person: { id: people[role].id } } });
      await check(role);
    }
    expect(await ipc('session.lock', {})).toMatchObject({ ok: true, result: { person: null } });
    await check(null);
    dispose();
    expect(mismatches).toEqual([]);
  }, 60_000);
});

describe('"Recepción puede lanzar campañas"', () => {
  it('off by default: a receptionist cannot launch a campaign, is told why, and the UI is told not to offer it', async () => {
    const asReception = (name: string, args: unknown) =>
      fetch(`${base}/api/call/${name}`, { method: 'POST', headers: { Cookie: `avisa_session=${cookies.reception}` }, body: JSON.stringify(args) });
    // One patient who opted in, so the campaign reaches someone.
    await core.invoke('patients.create', {
      firstNames: 'Ana',
      lastNames: 'Quispe',
      documentType: 'DNI',
      documentNumber: '41234567',
      phone: '987 654 321',
      consent: true,
    });
    const created = await asReception('campaigns.create', { name: 'Chequeo anual', segment: {}, templateName: null, templateParams: [], body: 'Hola' });
    expect(created.status).toBe(200);
    const { result: campaign } = (await created.json()) as { result: { id: number } };

    const refused = await asReception('campaigns.schedule', { id: campaign.id });
    expect(refused.status).toBe(403);
    const body = (await refused.json()) as ApiResponse<unknown>;
    expect(body).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(!body.ok && body.error.message).toMatch(/requiere el rol Administración: Recepción puede hacerlo si Administración lo permite en Ajustes → Personas/);
    const session = (await (await asReception('session.current', {})).json()) as ApiResponse<{ allowed: string[] }>;
    expect(session.ok && session.result.allowed).not.toContain('campaigns.schedule');
    expect(session.ok && session.result.allowed).toContain('campaigns.create');

    // A professional is told only of the role that would do.
    const asProfessional = await fetch(`${base}/api/call/campaigns.schedule`, {
      method: 'POST',
      headers: { Cookie: `avisa_session=${cookies.professional}` },
      body: JSON.stringify({ id: campaign.id }),
    });
    expect(asProfessional.status).toBe(403);
    const professionalBody = (await asProfessional.json()) as ApiResponse<unknown>;
    expect(!professionalBody.ok && professionalBody.error.message).toBe(
      'No tiene permiso para esta acción: requiere el rol Administración.',
    );

    // The administrator turns it on: the same receptionist launches it, and the UI now offers it.
    await setReceptionLaunches(true);
    const launched = await asReception('campaigns.schedule', { id: campaign.id });
    expect(launched.status).toBe(200);
    expect(await launched.json()).toMatchObject({ ok: true, result: { id: campaign.id, state: 'sending' } });
    const after = (await (await asReception('session.current', {})).json()) as ApiResponse<{ allowed: string[] }>;
    expect(after.ok && after.result.allowed).toContain('campaigns.schedule');
    await setReceptionLaunches(false);
    expect(await core.invoke('settings.get', {})).toMatchObject({ ok: true, result: { people: { receptionLaunchesCampaigns: false, autoLockMinutes: 10 } } });
  });
});
