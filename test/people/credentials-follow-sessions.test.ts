import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTokenModules } from '../../src/main/core/documents/pkcs11-token';
import { professionalCredentials } from '../../src/main/core/documents/professional-credentials';
import type { Caller } from '../../src/main/core/people/caller';
import { closeCredentialsWhenSessionsEnd } from '../../src/main/core/people/credentials-follow-sessions';
import { createPeopleService } from '../../src/main/core/people/people-service';
import { peopleSettingsSchema } from '../../src/main/core/settings/people-settings';
import { DATABASE_FILE, openDatabase } from '../../src/main/core/store/db';
import { putProfessionalCredential } from '../../src/main/core/store/professional-credentials-repo';
import { startCore } from '../helpers/core';
import { days, issue, makeCa } from '../helpers/pki';
import { type SoftToken, makeSoftToken, removeSoftHsm, useSoftHsm } from '../helpers/softhsm';
import { tempDir } from '../helpers/temp';
import { testDoctor } from '../helpers/people';

// A professional's token kept unlocked "for the session" (Ajustes → Certificado: mantener abierta) must not outlive
// her last session: whoever sits at the desktop after her lock, a switch of person, the idle lock or a browser session
// running out would otherwise sign with her certificate. While she is still signed in elsewhere it stays open for her.
// SoftHSM2 plays her USB token; the clock is fixed.

const NOW = Math.floor(Date.now() / 1000) * 1000;
const PIN = '481516';
let token: SoftToken;

beforeAll(() => {
  useSoftHsm();
  const ca = makeCa('Avisa Test Root CA', new Date(NOW));
  const cert = issue(ca, { cn: 'PAREDES VEGA LUCIA FIRMA', notBefore: days(new Date(NOW), -10), notAfter: days(new Date(NOW), 365) });
  token = makeSoftToken('token-sesion', cert, ca, PIN);
});

afterAll(() => {
  closeTokenModules();
  removeSoftHsm();
});

const desktop: Caller = { via: 'desktop' };

/** Each `signing.professional_closed` in the audit trail of a stopped core's data folder: [person, reason], in order. */
function closingsIn(dataDir: string): [number, string][] {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  const closed = db
    .prepare("SELECT person_id AS personId, data FROM audit_events WHERE action = 'signing.professional_closed' ORDER BY id")
    .all() as { personId: number; data: string }[];
  db.close();
  return closed.map((e) => [e.personId, (JSON.parse(e.data) as { reason: string }).reason]);
}

/** The app with her token linked and kept open for her session, a receptionist, and the clock in the test's hands. */
async function herCore() {
  const clock = { at: NOW };
  const { core, call, dataDir } = await startCore(tempDir(), { now: () => clock.at });
  await call('settings.update', {
    signing: { keepProfessionalSession: true },
    people: { autoLockMinutes: 10, sessionIdleMinutes: 30 },
  });
  const doctor = await call('people.create', testDoctor);
  const desk = await call('people.create', {
    name: 'Rosa Quispe',
    documentNumber: '70000005',
    roles: ['reception'],
    secretKind: 'pin',
    secret: '905544',
  });
  await call('professional.linkToken', {
    personId: doctor.id,
    modulePath: token.modulePath,
    tokenSerial: token.serial,
    certificateId: token.certificateId,
  });
  const invoke = async <T,>(name: Parameters<typeof core.invoke>[0], args: unknown, caller: Caller): Promise<T> => {
    const response = await core.invoke(name, args as never, caller);
    if (!response.ok) throw new Error(`${response.error.code}: ${response.error.message}`);
    return response.result as T;
  };
  const isOpen = async () => (await call('professional.credentials', {})).find((c) => c.personId === doctor.id)?.open;
  const mine = (caller: Caller) => invoke<{ open: boolean }>('professional.mine', {}, caller);
  /** She types her token's PIN once ("Firmar mis pendientes"): kept open for her session. */
  const openHerToken = async (caller: Caller) => {
    expect(await invoke('professional.signMine', { secret: PIN }, caller)).toMatchObject({ ok: true });
    expect(await isOpen()).toBe(true);
  };
  const unlockDesktop = (personId: number, secret: string) => invoke('session.unlock', { personId, secret }, desktop);
  /** She signs in from a browser (server mode). */
  const browser = async (): Promise<{ caller: Caller; token: string }> => {
    const signedIn = await core.auth.signIn(testDoctor.documentNumber, testDoctor.secret, '127.0.0.1');
    if (!signedIn.ok) throw new Error(signedIn.message);
    return { caller: { via: 'http', address: '127.0.0.1', credential: { kind: 'session', token: signedIn.token } }, token: signedIn.token };
  };
  return { clock, core, call, dataDir, doctor, desk, invoke, isOpen, mine, openHerToken, unlockDesktop, browser };
}

/** The core's people and credentials without the app around them: her token linked and opened in a browser session, the session sweep run by hand. */
async function sweptDoctor() {
  const clock = { at: NOW };
  const db = openDatabase(tempDir());
  const people = createPeopleService({ db, now: () => clock.at, settings: () => peopleSettingsSchema.parse({ sessionIdleMinutes: 30 }) });
  const professionals = professionalCredentials({
    db,
    sealP12: (p12) => Buffer.from(p12),
    unsealP12: (sealed) => sealed,
    keepSession: () => true,
    now: () => clock.at,
  });
  closeCredentialsWhenSessionsEnd({ db, now: () => clock.at, people, professionals });
  const doctor = await people.create(testDoctor);
  putProfessionalCredential(db, {
    personId: doctor.id,
    kind: 'token',
    modulePath: token.modulePath,
    tokenSerial: token.serial,
    certificateId: token.certificateId,
    p12Sealed: null,
    subject: 'PAREDES VEGA LUCIA FIRMA',
    notAfter: new Date(NOW + 365 * 86_400_000).toISOString(),
    updatedAt: clock.at,
  });
  const closings = () =>
    db.prepare("SELECT actor, data FROM audit_events WHERE action = 'signing.professional_closed'").all() as { actor: string; data: string }[];
  // She signs in from a browser and opens her token there.
  const signedIn = await people.signIn({ documentNumber: testDoctor.documentNumber }, testDoctor.secret, 'browser', '192.168.1.20');
  expect(signedIn.ok).toBe(true);
  expect(await professionals.unlock(doctor.id, PIN)).toEqual({ ok: true });
  return { clock, db, people, professionals, doctor, closings };
}

describe("a professional's token kept open for her session", () => {
  it('closes when she locks, when another person unlocks, when the desktop locks itself, when she signs out of a browser, and when her access is revoked — each audited', async () => {
    const { clock, core, call, dataDir, doctor, desk, invoke, isOpen, openHerToken, unlockDesktop, browser } = await herCore();
    // She locks the desktop by hand.
    await unlockDesktop(doctor.id, '902211');
    await openHerToken(desktop);
    await invoke('session.lock', {}, desktop);
    expect(await isOpen()).toBe(false);

    // The receptionist unlocks the desktop as herself (switch of person from the lock screen).
    await unlockDesktop(doctor.id, '902211');
    await openHerToken(desktop);
    await unlockDesktop(desk.id, '905544');
    expect(await isOpen()).toBe(false);

    // Nobody touches the desktop for the auto-lock's ten minutes: the seat is empty at the next look, the token closed.
    await unlockDesktop(doctor.id, '902211');
    await openHerToken(desktop);
    clock.at += 10 * 60_000 + 1;
    expect(await invoke('session.current', {}, desktop)).toMatchObject({ person: null });
    expect(await isOpen()).toBe(false);

    // In a browser (server mode): signing out closes it.
    const tab = await browser();
    await openHerToken(tab.caller);
    core.auth.signOut(tab.token);
    expect(await isOpen()).toBe(false);

    // An administrator ends her sessions (a lost badge, a dismissal).
    const other = await browser();
    await openHerToken(other.caller);
    await call('people.revokeSessions', { id: doctor.id });
    expect(await isOpen()).toBe(false);

    // While her session lives, it stays open: the point of keeping it.
    const kept = await browser();
    await openHerToken(kept.caller);
    clock.at += 60_000;
    expect(await invoke('professional.mine', {}, kept.caller)).toMatchObject({ open: true });
    await core.stop();

    expect(closingsIn(dataDir)).toEqual([
      [doctor.id, 'locked'],
      [doctor.id, 'switched'],
      [doctor.id, 'expired'],
      [doctor.id, 'signed_out'],
      [doctor.id, 'revoked'],
    ]);
  }, 60_000);

  it('stays open while another of her sessions lives, and closes when the last one ends — audited once, with its reason', async () => {
    const { clock, core, call, dataDir, doctor, desk, invoke, isOpen, mine, openHerToken, unlockDesktop, browser } = await herCore();
    // At the desktop and in a browser on the next room's computer: locking the desktop leaves her browser's token open.
    await unlockDesktop(doctor.id, '902211');
    await openHerToken(desktop);
    const tab = await browser();
    await invoke('session.lock', {}, desktop);
    expect(await isOpen()).toBe(true);
    expect(await mine(tab.caller)).toMatchObject({ open: true });
    // The receptionist unlocking the desktop next does not touch it either: the doctor's desktop session was over.
    await unlockDesktop(desk.id, '905544');
    expect(await isOpen()).toBe(true);
    // Her last session ends: closed.
    core.auth.signOut(tab.token);
    expect(await isOpen()).toBe(false);

    // Two browser tabs: one signed out, the other still hers; then the other runs out unused.
    const first = await browser();
    const second = await browser();
    await openHerToken(second.caller);
    core.auth.signOut(first.token);
    expect(await isOpen()).toBe(true);
    expect(await mine(second.caller)).toMatchObject({ open: true });
    clock.at += 30 * 60_000;
    expect(await invoke('session.current', {}, second.caller)).toMatchObject({ person: null });
    expect(await isOpen()).toBe(false);

    // The desktop and a browser; the receptionist switches the desktop to herself: the browser keeps it open, until
    // an administrator ends all of the doctor's sessions at once.
    await unlockDesktop(doctor.id, '902211');
    const kept = await browser();
    await openHerToken(kept.caller);
    await unlockDesktop(desk.id, '905544');
    expect(await isOpen()).toBe(true);
    await call('people.revokeSessions', { id: doctor.id });
    expect(await isOpen()).toBe(false);
    await core.stop();

    expect(closingsIn(dataDir)).toEqual([
      [doctor.id, 'signed_out'],
      [doctor.id, 'expired'],
      [doctor.id, 'revoked'],
    ]);
  }, 60_000);

  it('closes when a browser session runs out unused, found by the minute sweep without any request', async () => {
    const { clock, db, people, professionals, doctor, closings } = await sweptDoctor();

    // Twenty-nine minutes unused: still her session, still open.
    clock.at += 29 * 60_000;
    expect(people.endExpiredSessions()).toBe(0);
    expect(professionals.isOpen(doctor.id)).toBe(true);

    // Thirty: the sweep ends the session and the token closes, with the reason in the trail.
    clock.at += 60_000;
    expect(people.endExpiredSessions()).toBe(1);
    expect(professionals.isOpen(doctor.id)).toBe(false);
    expect(people.endExpiredSessions()).toBe(0);
    expect(closings()).toEqual([{ actor: 'Dra. Lucía Paredes', data: JSON.stringify({ reason: 'expired' }) }]);
    db.close();
  }, 30_000);

  it('stays open while her other browser session lives, and closes once when the sweep ends the last one', async () => {
    const { clock, db, people, professionals, doctor, closings } = await sweptDoctor();
    // Ten minutes later she opens a second tab (or another computer's browser).
    clock.at += 10 * 60_000;
    expect((await people.signIn({ documentNumber: testDoctor.documentNumber }, testDoctor.secret, 'browser', '192.168.1.21')).ok).toBe(true);

    // The first tab's thirty minutes pass: that session ends, the second is twenty minutes idle and still hers.
    clock.at += 20 * 60_000;
    expect(people.endExpiredSessions()).toBe(1);
    expect(professionals.isOpen(doctor.id)).toBe(true);
    expect(closings()).toEqual([]);

    // The second one's thirty minutes: her last session ends, the token closes, once in the trail.
    clock.at += 10 * 60_000;
    expect(people.endExpiredSessions()).toBe(1);
    expect(professionals.isOpen(doctor.id)).toBe(false);
    expect(closings()).toEqual([{ actor: 'Dra. Lucía Paredes', data: JSON.stringify({ reason: 'expired' }) }]);
    db.close();
  }, 30_000);
});
