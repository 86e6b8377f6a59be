import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/main/core/people/caller';
import { DATABASE_FILE, migrate } from '../../src/main/core/store/db';
import { setPatientConsent } from '../../src/main/core/store/consent-repo';
import { samplePdf } from '../documents/pdf-tools';
import { startCore } from '../helpers/core';
import { databaseBefore } from '../helpers/older-database';
import { tempDir } from '../helpers/temp';

// Every table that says who did something names the person (id and name), as the audit trail does: consent changes,
// campaigns, a manual approval, a dismissed result, an attended reply. Rows from before people keep "usuario".

async function frontDesk() {
  const started = await startCore();
  const rosa = await started.call('people.create', {
    name: 'Rosa Quispe',
    documentNumber: '40111222',
    roles: ['reception'],
    secretKind: 'pin',
    secret: '246810',
  });
  const signedIn = await started.core.auth.signIn('40111222', '246810', '192.0.2.10');
  if (!signedIn.ok) throw new Error(signedIn.message);
  const desk: Caller = { via: 'http', address: '192.0.2.10', credential: { kind: 'session', token: signedIn.token } };
  const as = async (name: string, args: unknown) => {
    const r = await started.core.invoke(name, args, desk);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.result;
  };
  const db = () => new Database(join(started.dataDir, DATABASE_FILE));
  return { ...started, rosa, as, db };
}

describe('who did it is a person, in every table that records it', () => {
  it('the consent history names the receptionist; a patient’s own BAJA afterwards names no person', async () => {
    const c = await frontDesk();
    const patient = (await c.as('patients.create', {
      firstNames: 'Luis',
      lastNames: 'Huamán',
      documentType: 'DNI',
      documentNumber: '41234567',
      phone: '987 654 321',
      consent: true,
    })) as { id: number };
    await c.as('patients.update', { id: patient.id, consent: false });
    // The app itself (no person: the tray, a script on this computer) keeps the generic word.
    await c.call('patients.update', { id: patient.id, consent: true });
    // The patient writes BAJA: the change is the patient's, and no person's id is carried over from before.
    const db = c.db();
    setPatientConsent(db, patient.id, { status: 'opted_out', source: 'patient_message', actor: 'patient' }, Date.now());
    db.close();

    const history = await c.call('patients.consentHistory', { patientId: patient.id });
    expect(history.map((h) => [h.status, h.actor, h.personId])).toEqual([
      ['opted_out', 'patient', null],
      ['opted_in', 'usuario', null],
      ['opted_out', 'Rosa Quispe', c.rosa.id],
      ['opted_in', 'Rosa Quispe', c.rosa.id],
    ]);
    await c.core.stop();
  });

  it('a campaign records who created it, shown in the list', async () => {
    const c = await frontDesk();
    const created = (await c.as('campaigns.create', {
      name: 'Vacunación de invierno',
      segment: {},
      templateName: null,
      templateParams: [],
      body: 'Hola {nombre}, ya puede vacunarse contra la influenza.',
    })) as { id: number; createdBy: string; createdByPersonId: number | null };
    expect(created).toMatchObject({ createdBy: 'Rosa Quispe', createdByPersonId: c.rosa.id });
    const list = await c.call('campaigns.list', {});
    expect(list.find((x) => x.id === created.id)).toMatchObject({ createdBy: 'Rosa Quispe', createdByPersonId: c.rosa.id });
    await c.core.stop();
  });

  it('dismissing a result and attending a reply record the person', async () => {
    const c = await frontDesk();
    const folder = tempDir('avisa-share-');
    await c.call('settings.update', { folderSource: { enabled: true, path: folder, pollIntervalMs: 100, stabilityMs: 200 } });
    // Nobody with this document: the file waits in Por revisar.
    writeFileSync(join(folder, '99999999_ACC1_resultado.pdf'), await samplePdf());
    await expect.poll(async () => (await c.call('results.review', {})).rows.length, { timeout: 20_000 }).toBe(1);
    const [item] = (await c.call('results.review', {})).rows;
    await c.as('results.dismiss', { id: item!.id });

    // A reply that needs a person (as the reply reader leaves it when it cannot tell what the patient wants).
    const db = c.db();
    const replyId = Number(
      db
        .prepare(`INSERT INTO replies (provider_message_id, from_phone, body, received_at) VALUES ('wamid.X1', '+51987654321', '¿?', 1)`)
        .run().lastInsertRowid,
    );
    db.prepare(`INSERT INTO reply_intents (reply_id, intent, outcome, at) VALUES (?, 'unknown', 'attention', 1)`).run(replyId);
    db.close();
    await c.as('replies.attend', { replyId });

    const check = c.db();
    expect(
      check.prepare('SELECT dismissed_by AS name, dismissed_person_id AS personId FROM result_intake WHERE id = ?').get(item!.id),
    ).toEqual({ name: 'Rosa Quispe', personId: c.rosa.id });
    expect(
      check.prepare('SELECT attended_by AS name, attended_person_id AS personId FROM reply_intents WHERE reply_id = ?').get(replyId),
    ).toEqual({ name: 'Rosa Quispe', personId: c.rosa.id });
    check.close();
    await c.core.stop();
  }, 60_000);

  it('rows written before people keep "usuario" and no person after the update', () => {
    const db = databaseBefore(22);
    db.exec(`
      INSERT INTO patients (id, first_names, last_names, document_type, document_number, consent_status, consent_source,
        consent_at, consent_actor, created_at, updated_at)
        VALUES (1, 'Ana', 'Quispe', 'DNI', '41234567', 'opted_in', 'reception_form', 5, 'usuario', 0, 5);
      INSERT INTO campaigns (id, name, created_by, created_at, updated_at) VALUES (1, 'Chequeo anual', 'usuario', 0, 0);
    `);
    migrate(db);
    expect(db.prepare('SELECT actor, person_id AS personId FROM consent_history WHERE patient_id = 1').all()).toEqual([
      { actor: 'usuario', personId: null },
    ]);
    expect(db.prepare('SELECT created_by AS name, created_by_person_id AS personId FROM campaigns').get()).toEqual({
      name: 'usuario',
      personId: null,
    });
    // The history keeps being written by the triggers after the update.
    db.prepare(`UPDATE patients SET consent_status = 'opted_out', consent_actor = 'patient', updated_at = 6 WHERE id = 1`).run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM consent_history').get()).toEqual({ n: 2 });
    db.close();
  });
});
