import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/main/core/people/caller';
import { startCore } from '../helpers/core';

// Ajustes → Personas, as an administrator: a professional's registry number and document number corrected, roles
// changed, a forgotten PIN reset. Each change is audited with the administrator's name; nobody else may do it.

async function clinic() {
  const started = await startCore();
  const person = (name: string, documentNumber: string, roles: ('admin' | 'reception' | 'professional')[], secret: string) =>
    started.call('people.create', {
      name,
      documentNumber,
      roles,
      registryNumber: roles.includes('professional') ? 'CMP 045821' : null,
      secretKind: 'pin',
      secret,
    });
  const admin = await person('Jorge Salas', '42424242', ['admin'], '909090');
  const doctor = await person('Dra. Lucía Paredes', '70000002', ['professional'], '222222');
  const desk = await person('Carmen Rojas', '70000001', ['reception'], '111111');
  const as = async (document: string, secret: string): Promise<Caller> => {
    const signedIn = await started.core.auth.signIn(document, secret, '192.0.2.30');
    if (!signedIn.ok) throw new Error(signedIn.message);
    return { via: 'http', address: '192.0.2.30', credential: { kind: 'session', token: signedIn.token } };
  };
  const audit = () => {
    const db = new Database(join(started.dataDir, 'avisa.sqlite'), { readonly: true });
    try {
      return db.prepare('SELECT action, actor, person_id AS personId, entity_id AS entityId, data FROM audit_events ORDER BY id').all() as {
        action: string;
        actor: string;
        personId: number | null;
        entityId: string | null;
        data: string;
      }[];
    } finally {
      db.close();
    }
  };
  return { ...started, admin, doctor, desk, as, audit };
}

describe('an administrator edits people', () => {
  it('corrects a registry number and a document number, audited with the administrator', async () => {
    const c = await clinic();
    const admin = await c.as('42424242', '909090');
    const edited = await c.core.invoke('people.update', { id: c.doctor.id, registryNumber: 'CMP 099999', documentNumber: '70000022' }, admin);
    expect(edited).toMatchObject({ ok: true, result: { registryNumber: 'CMP 099999', documentNumber: '70000022' } });
    // She signs in with her new document number; the old one is nobody's.
    await c.as('70000022', '222222');
    expect(await c.core.auth.signIn('70000002', '222222', '192.0.2.31')).toMatchObject({ ok: false, code: 'wrong_secret' });
    const row = c.audit().findLast((r) => r.action === 'person.updated');
    expect(row).toMatchObject({ actor: 'Jorge Salas', personId: c.admin.id, entityId: String(c.doctor.id) });
    expect(JSON.parse(row!.data)).toMatchObject({ registryNumber: 'CMP 099999', documentNumber: '70000022', changed: expect.arrayContaining(['registryNumber', 'documentNumber']) });

    // Someone else's document number, or a professional without a registry number, is refused with the reason.
    expect(await c.core.invoke('people.update', { id: c.doctor.id, documentNumber: '70000001' }, admin)).toMatchObject({
      ok: false,
      error: { code: 'duplicate_document', message: expect.stringMatching(/Ya existe una persona con ese número de documento/) },
    });
    expect(await c.core.invoke('people.update', { id: c.doctor.id, registryNumber: null }, admin)).toMatchObject({
      ok: false,
      error: { code: 'registry_required' },
    });
    // Giving the receptionist the professional role needs her registry number too.
    expect(await c.core.invoke('people.update', { id: c.desk.id, roles: ['reception', 'professional'] }, admin)).toMatchObject({
      ok: false,
      error: { code: 'registry_required' },
    });
    expect(
      await c.core.invoke('people.update', { id: c.desk.id, roles: ['reception', 'professional'], registryNumber: 'CTMP 1234' }, admin),
    ).toMatchObject({ ok: true, result: { roles: ['reception', 'professional'], registryNumber: 'CTMP 1234' } });
    await c.core.stop();
  });

  it('resets a forgotten PIN: the old one stops working, her sessions end, and the trail says who reset whose', async () => {
    const c = await clinic();
    const admin = await c.as('42424242', '909090');
    const before = await c.as('70000001', '111111');
    expect(await c.core.invoke('messages.list', {}, before)).toMatchObject({ ok: true });

    // A switch from PIN to password needs the new password itself.
    expect(await c.core.invoke('people.update', { id: c.desk.id, secretKind: 'password' }, admin)).toMatchObject({
      ok: false,
      error: { code: 'secret_required' },
    });
    expect(await c.core.invoke('people.update', { id: c.desk.id, secretKind: 'pin', secret: '12' }, admin)).toMatchObject({
      ok: false,
      error: { code: 'pin_format' },
    });
    expect(await c.core.invoke('people.update', { id: c.desk.id, secretKind: 'pin', secret: '424242' }, admin)).toMatchObject({ ok: true });

    expect(await c.core.invoke('messages.list', {}, before)).toMatchObject({ ok: false, error: { code: 'sign_in_required' } });
    expect(await c.core.auth.signIn('70000001', '111111', '192.0.2.32')).toMatchObject({ ok: false, code: 'wrong_secret' });
    await c.as('70000001', '424242');
    const reset = c.audit().find((r) => r.action === 'person.secret_reset');
    expect(reset).toMatchObject({ actor: 'Jorge Salas', personId: c.admin.id, entityId: String(c.desk.id) });
    expect(JSON.parse(reset!.data)).toEqual({ name: 'Carmen Rojas', secretKind: 'pin' });
    expect(JSON.stringify(c.audit())).not.toContain('424242');
    await c.core.stop();
  });

  it('nobody but an administrator may, not even for themselves', async () => {
    const c = await clinic();
    const desk = await c.as('70000001', '111111');
    const doctor = await c.as('70000002', '222222');
    for (const caller of [desk, doctor]) {
      expect(await c.core.invoke('people.update', { id: c.desk.id, secret: '000000' }, caller)).toMatchObject({
        ok: false,
        error: { code: 'forbidden', message: expect.stringMatching(/requiere el rol Administración/) },
      });
      expect(await c.core.invoke('people.update', { id: c.doctor.id, registryNumber: 'CMP 1' }, caller)).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
    expect(c.audit().some((r) => r.action === 'person.secret_reset')).toBe(false);
    await c.core.stop();
  });
});
