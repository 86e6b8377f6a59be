import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { DATABASE_FILE, openDatabase } from '../../src/main/core/store/db';
import { migrations } from '../../src/main/core/store/migrations';
import { consentHistory } from '../../src/main/core/store/consent-repo';
import { tempDir } from '../helpers/temp';

describe('schema 5 on a clinic that already has data', () => {
  it('keeps reply intents, records attendance times and starts each patient’s consent history from its current state', () => {
    const dir = tempDir();
    // A database as schema 4 left it, with a patient who opted in, an attended appointment and a handled reply.
    const old = new Database(join(dir, DATABASE_FILE));
    old.exec('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    for (const m of migrations.filter((x) => x.version <= 4)) {
      old.exec(m.sql);
      old.prepare('INSERT INTO schema_version VALUES (?, 0)').run(m.version);
    }
    old.exec(`
      INSERT INTO sites (id, name, country, time_zone, created_at) VALUES (1, 'Sede', 'PE', 'America/Lima', 0);
      INSERT INTO services (id, name, created_at) VALUES (1, 'Laboratorio', 0);
      INSERT INTO patients (id, first_names, last_names, document_type, document_number, consent_status, consent_source,
        consent_at, created_at, updated_at) VALUES (1, 'Rosa', 'Mamani', 'DNI', '1', 'opted_in', 'import', 111, 0, 5);
      INSERT INTO patients (id, first_names, last_names, document_type, document_number, created_at, updated_at)
        VALUES (2, 'Luis', 'Quispe', 'DNI', '2', 0, 0);
      INSERT INTO appointments (id, site_id, service_id, patient_id, starts_at, status, source, source_key, created_at,
        updated_at) VALUES (1, 1, 1, 1, 1000, 'attended', 'hl7', 'hl7:1', 0, 999);
      INSERT INTO replies (id, provider_message_id, from_phone, body, received_at) VALUES (1, 'w1', '+51987654321', 'sí', 0);
      INSERT INTO reply_intents (reply_id, intent, outcome, at) VALUES (1, 'confirm', 'applied', 0);
    `);
    old.close();

    const db = openDatabase(dir);
    expect(db.prepare('SELECT reply_id, intent, outcome FROM reply_intents').all()).toEqual([
      { reply_id: 1, intent: 'confirm', outcome: 'applied' },
    ]);
    // The new intent is accepted now.
    db.prepare("INSERT INTO replies (id, provider_message_id, from_phone, body, received_at) VALUES (2, 'w2', '+1', 'ALTA', 0)").run();
    db.prepare("INSERT INTO reply_intents (reply_id, intent, outcome, at) VALUES (2, 'opt_in', 'applied', 0)").run();
    expect(db.prepare('SELECT attendance_at FROM appointments WHERE id = 1').get()).toEqual({ attendance_at: 999 });
    expect(consentHistory(db, 1).map((h) => [h.status, h.source, h.at])).toEqual([['opted_in', 'import', 111]]);
    expect(consentHistory(db, 2)).toEqual([]);
    db.close();
  });
});
