import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/main/core/audit/audit-log';
import { DATABASE_FILE } from '../../src/main/core/store/db';
import { samplePdf } from '../documents/pdf-tools';
import { cloudRig } from '../helpers/cloud';
import { tempDir } from '../helpers/temp';
import { makePki, PASSWORD } from '../results/harness';

type Rig = Awaited<ReturnType<typeof cloudRig>>;
const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
});

interface Row {
  id: number;
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  data: Record<string, unknown>;
}

/** Reads the audit rows appended since the last look, from the database file itself. */
function auditReader(dataDir: string) {
  let seen = 0;
  return () => {
    const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
    const rows = (
      db.prepare('SELECT id, actor, action, entity, entity_id AS entityId, data FROM audit_events WHERE id > ? ORDER BY id').all(seen) as (Omit<Row, 'data'> & {
        data: string;
      })[]
    ).map((r) => ({ ...r, data: JSON.parse(r.data) as Record<string, unknown> }));
    db.close();
    seen = rows.at(-1)?.id ?? seen;
    return rows;
  };
}

describe('every action a person takes is in the audit trail, with who took it', () => {
  it('settings, secrets, certificate, patients, send, cancel, resend, resume, approve', async () => {
    const r = await cloudRig({ notOnWhatsApp: ['51900000009'] });
    rigs.push(r);
    const fresh = auditReader(r.dataDir);
    fresh();
    const byPerson = (rows: Row[], action: string) => rows.find((x) => x.action === action && x.actor === 'usuario');

    await r.call('settings.update', { dailyCap: 500, email: { host: 'smtp.clinica.test' } });
    let rows = fresh();
    expect(byPerson(rows, 'settings.updated')?.data).toEqual({
      changed: ['dailyCap', 'email'],
      values: { dailyCap: 500, email: { host: 'smtp.clinica.test' } },
    });

    await r.call('secrets.set', { name: 'email.password', value: 'no-debe-aparecer' });
    rows = fresh();
    expect(byPerson(rows, 'secret.updated')).toMatchObject({ entity: 'secret', entityId: 'email.password' });
    expect(JSON.stringify(rows)).not.toContain('no-debe-aparecer');

    const pki = makePki();
    await r.call('certificate.install', { base64: pki.valid.toString('base64'), password: 'otra' });
    expect(byPerson(fresh(), 'certificate.install_refused')?.data).toEqual({ code: 'wrong_password' });
    await r.call('certificate.install', { base64: pki.valid.toString('base64'), password: PASSWORD });
    rows = fresh();
    expect(byPerson(rows, 'certificate.installed')?.entityId).toMatch(/^[0-9a-f:]+$/i);
    expect(JSON.stringify(rows)).not.toContain(PASSWORD);

    const p = await r.patient('900000009');
    expect(byPerson(fresh(), 'patient.created')?.entityId).toBe(String(p.id));
    await r.call('patients.update', { id: p.id, email: 'ana@correo.test' });
    expect(byPerson(fresh(), 'patient.updated')?.data).toEqual({ changed: ['email'] });

    // Sent by a person, and undeliverable: the failure is the provider's, the resend is the person's.
    const m = await r.call('messages.send', { patientId: p.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['Hola'] });
    rows = fresh();
    expect(byPerson(rows, 'message.manual_send')?.entityId).toBe(String(m.id));
    expect(byPerson(rows, 'message.queued')?.entityId).toBe(String(m.id));
    await expect.poll(async () => (await r.call('messages.timeline', { id: m.id })).message.state, { timeout: 10_000 }).toBe('failed');
    expect(fresh().find((x) => x.action === 'message.failed')).toMatchObject({ actor: 'provider', entityId: String(m.id) });
    const again = await r.call('messages.resend', { id: m.id });
    rows = fresh();
    expect(byPerson(rows, 'message.resend_requested')?.data).toEqual({ newMessageId: again.id });
    expect(byPerson(rows, 'message.queued')?.entityId).toBe(String(again.id));

    // Paused, a message waits in the queue; a person cancels it, then resumes sending.
    await r.call('settings.update', { sendingPaused: true });
    fresh();
    const q = await r.patient();
    fresh();
    const waiting = await r.call('messages.send', { patientId: q.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['Luego'] });
    fresh();
    await r.call('messages.cancel', { id: waiting.id });
    expect(byPerson(fresh(), 'message.cancelled')?.entityId).toBe(String(waiting.id));
    await r.call('sending.resume', {});
    expect(byPerson(fresh(), 'sending.resumed')).toBeDefined();

    // A result that needs a person's approval.
    const folder = tempDir('avisa-share-');
    await r.call('settings.update', {
      results: { requireManualApproval: true },
      folderSource: { enabled: true, path: folder, pollIntervalMs: 100, stabilityMs: 200 },
    });
    fresh();
    writeFileSync(join(folder, `${p.documentNumber}_ACC300_resultado.pdf`), await samplePdf());
    await expect.poll(async () => (await r.call('results.review', {})).rows[0]?.code, { timeout: 15_000 }).toBe('awaiting_approval');
    const item = (await r.call('results.review', {})).rows[0]!;
    await r.call('results.approve', { id: item.id });
    expect(byPerson(fresh(), 'result.approved')).toMatchObject({ entity: 'result_intake', entityId: String(item.id) });

    const db = new Database(join(r.dataDir, DATABASE_FILE), { readonly: true });
    expect(verifyAudit(db).ok).toBe(true);
    db.close();
  }, 60_000);
});
