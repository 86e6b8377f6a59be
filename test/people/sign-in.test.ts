import { describe, expect, it } from 'vitest';
import { loginLimiter } from '../../src/main/core/people/login-limiter';
import type { Caller } from '../../src/main/core/people/caller';
import { startCore } from '../helpers/core';
import { tempDir } from '../helpers/temp';
import { idleLock } from '../../src/renderer/src/idle-lock';

const MIN = 60_000;
const at = (token: string): Caller => ({ via: 'http', address: '192.0.2.10', credential: { kind: 'session', token } });

async function clinic() {
  let clock = Date.UTC(2026, 2, 2, 14, 0);
  const started = await startCore(tempDir(), { now: () => clock });
  const reception = await started.call('people.create', {
    name: 'Rosa Quispe',
    documentNumber: '40111222',
    roles: ['reception'],
    secretKind: 'pin',
    secret: '246810',
  });
  return {
    ...started,
    reception,
    tick: (ms: number) => (clock += ms),
    signIn: (secret: string, address = '192.0.2.10') => started.core.auth.signIn('40111222', secret, address),
  };
}

describe('sign-in attempts are limited per account and per address', () => {
  it('backs off after a few failures and locks the account, with a fixed clock', () => {
    let now = 0;
    const limiter = loginLimiter({ now: () => now, accountLimit: 5, freeFailures: 2, backoffBaseMs: 1_000, lockoutMs: 15 * MIN });
    expect(limiter.check('ana', 'a')).toEqual({ ok: true });
    limiter.failed('ana', 'a');
    limiter.failed('ana', 'a');
    expect(limiter.check('ana', 'a')).toEqual({ ok: true });
    limiter.failed('ana', 'a');
    // Third failure: wait 1 s, then 2 s after the fourth.
    expect(limiter.check('ana', 'a')).toEqual({ ok: false, code: 'slow_down', on: 'account', retryAt: 1_000 });
    now = 1_000;
    expect(limiter.check('ana', 'a')).toEqual({ ok: true });
    limiter.failed('ana', 'a');
    expect(limiter.check('ana', 'a')).toMatchObject({ ok: false, code: 'slow_down', retryAt: 3_000 });
    now = 3_000;
    expect(limiter.failed('ana', 'a')).toEqual({ locked: ['account'] });
    expect(limiter.check('ana', 'a')).toEqual({ ok: false, code: 'locked', on: 'account', retryAt: 3_000 + 15 * MIN });
    // Another account from elsewhere is not affected; the locked one is again after the lockout.
    expect(limiter.check('luis', 'b')).toEqual({ ok: true });
    now = 3_000 + 15 * MIN;
    expect(limiter.check('ana', 'a')).toEqual({ ok: true });
  });

  it('locks an address that tries many accounts', () => {
    let now = 0;
    const limiter = loginLimiter({ now: () => now, addressLimit: 4, freeFailures: 10 });
    const results = ['u1', 'u2', 'u3', 'u4'].map((user) => limiter.failed(user, '198.51.100.7'));
    expect(results.at(-1)).toEqual({ locked: ['address'] });
    expect(limiter.check('u5', '198.51.100.7')).toMatchObject({ ok: false, code: 'locked', on: 'address' });
    expect(limiter.check('u5', '198.51.100.8')).toEqual({ ok: true });
    now += 16 * MIN;
    expect(limiter.check('u5', '198.51.100.7')).toEqual({ ok: true });
  });

  it('audits each sign-in, failure and lockout, and refuses the right PIN while locked', async () => {
    const c = await clinic();
    expect(await c.signIn('000000')).toMatchObject({ ok: false, code: 'wrong_secret' });
    for (let i = 0; i < 4; i++) {
      c.tick(MIN); // past any backoff
      await c.signIn('111111');
    }
    c.tick(MIN);
    const locked = await c.signIn('246810');
    expect(locked).toMatchObject({ ok: false, code: 'locked' });
    expect(!locked.ok && locked.message).toMatch(/bloqueado durante \d+ min/);
    c.tick(15 * MIN);
    expect(await c.signIn('246810')).toMatchObject({ ok: true, person: { name: 'Rosa Quispe' } });
    expect(await c.core.invoke('audit.verify', {})).toMatchObject({ ok: true, result: { ok: true } });
    const rows = await auditRows(c.dataDir);
    const mine = rows.filter((r) => r.action.startsWith('auth.'));
    expect(mine.map((r) => r.action)).toEqual([
      ...Array(5).fill('auth.sign_in_failed'),
      'auth.locked_out',
      'auth.sign_in_refused',
      'auth.signed_in',
    ]);
    expect(mine.every((r) => r.actor === 'Rosa Quispe' && r.personId === c.reception.id)).toBe(true);
    await c.core.stop();
  });
});

describe('failed sign-ins are counted in the database', () => {
  it('60 wrong passwords lock the account, and restarting the core does not lift the lockout', async () => {
    let clock = Date.UTC(2026, 2, 2, 14, 0);
    const dataDir = tempDir();
    const first = await startCore(dataDir, { now: () => clock });
    await first.call('people.create', {
      name: 'Rosa Quispe',
      documentNumber: '40111222',
      roles: ['reception'],
      secretKind: 'password',
      secret: 'la-clave-correcta',
    });
    const outcomes: string[] = [];
    for (let i = 0; i < 60; i++) {
      clock += 10_000; // each attempt 10 s after the last: past the first backoffs, well inside the lockout
      const r = await first.core.auth.signIn('40111222', `equivocada-${i}`, '192.0.2.10');
      outcomes.push(r.ok ? 'ok' : r.code);
    }
    expect(outcomes.slice(0, 5)).toEqual(Array(5).fill('wrong_secret'));
    expect(new Set(outcomes.slice(5))).toEqual(new Set(['locked']));
    const lockedAt = Date.UTC(2026, 2, 2, 14, 0) + 5 * 10_000;
    await first.core.stop();
    // Kept in the database file, under hashed keys: no document number or address in clear.
    const stored = await storedAttempts(dataDir);
    expect(stored.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(stored)).not.toMatch(/40111222|192\.0\.2\.10|person:/);

    // A new core on the same file, as after closing and opening the app.
    const second = await startCore(dataDir, { now: () => clock });
    const refused = await second.core.auth.signIn('40111222', 'la-clave-correcta', '192.0.2.10');
    expect(refused).toMatchObject({ ok: false, code: 'locked' });
    // From another address too: the lockout is the account's.
    expect(await second.core.auth.signIn('40111222', 'la-clave-correcta', '192.0.2.99')).toMatchObject({ ok: false, code: 'locked' });
    clock = lockedAt + 15 * MIN - 1;
    expect(await second.core.auth.signIn('40111222', 'la-clave-correcta', '192.0.2.99')).toMatchObject({ ok: false, code: 'locked' });
    clock = lockedAt + 15 * MIN;
    expect(await second.core.auth.signIn('40111222', 'la-clave-correcta', '192.0.2.10')).toMatchObject({
      ok: true,
      person: { name: 'Rosa Quispe' },
    });
    await second.core.stop();
  });
});

describe('sessions', () => {
  it('end after idle time and after the absolute limit, and can be revoked', async () => {
    const c = await clinic();
    const first = await c.signIn('246810');
    if (!first.ok) throw new Error('sign-in failed');
    const status = (token: string) => c.core.invoke('app.status', {}, at(token));
    expect(await status(first.token)).toMatchObject({ ok: true });
    // Idle: 30 minutes by default.
    c.tick(29 * MIN);
    expect(await status(first.token)).toMatchObject({ ok: true });
    c.tick(30 * MIN);
    expect(await status(first.token)).toMatchObject({ ok: false, error: { code: 'sign_in_required' } });

    // Absolute: 12 hours even when used all along.
    const second = await c.signIn('246810');
    if (!second.ok) throw new Error('sign-in failed');
    for (let i = 0; i < 28; i++) {
      c.tick(25 * MIN); // 28 × 25 min = 11 h 40 min, never idle for 30
      expect(await status(second.token)).toMatchObject({ ok: true });
    }
    c.tick(25 * MIN);
    expect(await status(second.token)).toMatchObject({ ok: false, error: { code: 'sign_in_required' } });

    // Revoked by an administrator, or by a new PIN.
    const third = await c.signIn('246810');
    if (!third.ok) throw new Error('sign-in failed');
    expect(await c.call('people.revokeSessions', { id: c.reception.id })).toEqual({ revoked: 1 });
    expect(await status(third.token)).toMatchObject({ ok: false, error: { code: 'sign_in_required' } });
    const fourth = await c.signIn('246810');
    if (!fourth.ok) throw new Error('sign-in failed');
    await c.call('people.update', { id: c.reception.id, secret: '13579135' });
    expect(await status(fourth.token)).toMatchObject({ ok: false, error: { code: 'sign_in_required' } });
    expect(await c.signIn('13579135')).toMatchObject({ ok: true });
    await c.core.stop();
  });

  it('the desktop lock screen: the idle rule locks once per idle stretch', () => {
    let now = 0;
    let locks = 0;
    const lock = idleLock({ now: () => now, timeoutMs: 10 * MIN, onLock: () => (locks += 1) });
    now = 9 * MIN;
    lock.check();
    expect(locks).toBe(0);
    lock.activity();
    now = 18 * MIN;
    lock.check();
    expect(locks).toBe(0);
    now = 19 * MIN;
    lock.check();
    lock.check();
    expect(locks).toBe(1);
    lock.activity();
    now = 40 * MIN;
    lock.check();
    expect(locks).toBe(2);
  });

  it('the desktop seat locks after the auto-lock minutes without use, and sending goes on', async () => {
    const c = await clinic();
    await c.call('settings.update', { people: { autoLockMinutes: 5, sessionIdleMinutes: 30, sessionMaxHours: 12 } });
    const desktop: Caller = { via: 'desktop' };
    expect(await c.core.invoke('session.unlock', { personId: c.reception.id, secret: '246810' }, desktop)).toMatchObject({
      ok: true,
      result: { person: { name: 'Rosa Quispe' }, autoLockMinutes: 5 },
    });
    c.tick(4 * MIN);
    expect(await c.core.invoke('messages.list', {}, desktop)).toMatchObject({ ok: true });
    c.tick(5 * MIN);
    expect(await c.core.invoke('messages.list', {}, desktop)).toMatchObject({ ok: false, error: { code: 'sign_in_required' } });
    expect(await c.core.invoke('session.current', {}, desktop)).toMatchObject({ ok: true, result: { person: null } });
    // The core itself (dispatcher, tray) is not signed out: in-process calls still run.
    expect(await c.core.invoke('app.status', {})).toMatchObject({ ok: true });
    await c.core.stop();
  });
});

describe('API keys', () => {
  it('are shown once, stored hashed, act only within their scopes, are audited by name and can be revoked', async () => {
    const c = await clinic();
    const { key, view } = await c.call('apiKeys.create', { name: 'HIS Clínica', scopes: ['read_statuses'] });
    expect(key).toMatch(/^avk_/);
    expect(JSON.stringify(await c.call('apiKeys.list', {}))).not.toContain(key);
    const withKey = (k: string): Caller => ({ via: 'http', address: '192.0.2.20', credential: { kind: 'apiKey', key: k } });
    expect(await c.core.invoke('messages.list', {}, withKey(key))).toMatchObject({ ok: true });
    const refused = await c.core.invoke('messages.send', { patientId: 1, mode: 'text', text: 'hola' }, withKey(key));
    expect(refused).toMatchObject({ ok: false, error: { code: 'scope_missing' } });
    expect(await c.core.invoke('settings.get', {}, withKey(key))).toMatchObject({ ok: false, error: { code: 'scope_missing' } });

    const sender = await c.call('apiKeys.create', { name: 'Script de envíos', scopes: ['send_messages'] });
    const patient = await c.call('patients.create', {
      firstNames: 'Luis',
      lastNames: 'Huamán',
      documentType: 'DNI',
      documentNumber: '41234567',
      phone: '987 654 321',
      consent: true,
    });
    await c.call('setup.complete', {
      clinicName: 'Clínica',
      sites: [{ name: 'Sede', country: 'PE', timeZone: 'America/Lima' }],
      services: [{ name: 'Laboratorio' }],
      channel: 'demo',
    }).catch(() => undefined);
    const sent = await c.core.invoke('messages.send', { patientId: patient.id, mode: 'text', text: 'Su resultado está listo' }, withKey(sender.key));
    expect(sent).toMatchObject({ ok: true });
    const rows = await auditRows(c.dataDir);
    expect(rows.find((r) => r.action === 'message.manual_send')?.actor).toBe('api:Script de envíos');
    expect(rows.find((r) => r.action === 'api_key.created')).toMatchObject({ entityId: String(view.id) });

    await c.call('apiKeys.revoke', { id: view.id });
    expect(await c.core.invoke('messages.list', {}, withKey(key))).toMatchObject({ ok: false, error: { code: 'sign_in_required' } });
    await c.core.stop();
  });
});

async function auditRows(dataDir: string) {
  const Database = (await import('better-sqlite3')).default;
  const db = new Database(`${dataDir}/avisa.sqlite`, { readonly: true });
  try {
    return db.prepare('SELECT action, actor, person_id AS personId, entity_id AS entityId FROM audit_events ORDER BY id').all() as {
      action: string;
      actor: string;
      personId: number | null;
      entityId: string | null;
    }[];
  } finally {
    db.close();
  }
}

async function storedAttempts(dataDir: string) {
  const Database = (await import('better-sqlite3')).default;
  const db = new Database(`${dataDir}/avisa.sqlite`, { readonly: true });
  try {
    return db.prepare('SELECT key, failures, locked_until AS lockedUntil FROM sign_in_attempts').all() as {
      key: string;
      failures: number;
      lockedUntil: number;
    }[];
  } finally {
    db.close();
  }
}
