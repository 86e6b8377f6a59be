import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE, migrate, openDatabase, schemaVersion, type Db } from '../../src/main/core/store/db';
import { insertMessage, listMessages, messageSearchPlan, type MessageRecord } from '../../src/main/core/store/messages-repo';
import { migrations } from '../../src/main/core/store/migrations';
import { insertPatient, listPatients, updatePatientRow, type PatientRecord } from '../../src/main/core/store/patients-repo';
import { tempDir } from '../helpers/temp';

// Searching Mensajes and Pacientes reads folded copies the store keeps (migration 23): every way a row is written must
// leave it findable exactly as before, accents, case, spaces and the country prefix aside.

const patient = (over: Partial<PatientRecord> = {}): PatientRecord => ({
  firstNames: 'José',
  lastNames: 'Huamán Quispe',
  documentType: 'DNI',
  documentNumber: '45871236',
  birthDate: null,
  phoneRaw: '987 654 321',
  phoneE164: '+51987654321',
  phoneError: null,
  email: null,
  language: 'es',
  consent: 'opted_in',
  consentSource: 'import',
  consentAt: 0,
  siteId: null,
  ...over,
});

const message = (key: string, patientId: number | null, toPhone: string): MessageRecord => ({
  kind: 'result',
  idempotencyKey: key,
  patientId,
  siteId: null,
  serviceId: null,
  appointmentId: null,
  resultId: null,
  resendOf: null,
  channel: 'cloud-api',
  toPhone,
  templateName: null,
  templateParams: [],
  body: 'Hola',
  priority: 2,
  notBefore: 0,
});

const keysFound = (db: Db, search: string) =>
  listMessages(db, { search, limit: 50, offset: 0 }).rows.map((m) => m.idempotencyKey).sort();
const namesFound = (db: Db, search: string) => listPatients(db, { search, limit: 50, offset: 0 }).rows.map((p) => p.lastNames);

describe('search columns kept by the store', () => {
  it('follow a patient renamed or given a new phone, and old messages stay findable by the number they went to', () => {
    const db = openDatabase(tempDir());
    const p = insertPatient(db, patient(), 0);
    insertPatient(db, patient({ firstNames: 'Lucía', lastNames: 'Chávez Rojas', documentNumber: '40112233', phoneRaw: null, phoneE164: '+51912345678' }), 0);
    insertMessage(db, message('m1', p.id, '+51987654321'), 1);

    updatePatientRow(db, p.id, { lastNames: 'Cárdenas Ñique', phoneRaw: '955-000-111', phoneE164: '+51955000111' }, 2);
    insertMessage(db, message('m2', p.id, '+51955000111'), 3);

    expect(namesFound(db, 'cardenas nique')).toEqual(['Cárdenas Ñique']);
    expect(namesFound(db, 'huaman')).toEqual([]);
    expect(namesFound(db, '955 000 111')).toEqual(['Cárdenas Ñique']);
    expect(namesFound(db, '987654321')).toEqual([]);
    // The patient's messages by their name now; the first one also by the number it went to.
    expect(keysFound(db, 'CÁRDENAS jose')).toEqual(['m1', 'm2']);
    expect(keysFound(db, '+51 987 654 321')).toEqual(['m1']);
    expect(keysFound(db, '955000111')).toEqual(['m1', 'm2']);
    expect(keysFound(db, '45 871 236')).toEqual(['m1', 'm2']);
    expect(keysFound(db, 'chavez')).toEqual([]);
    expect(listMessages(db, { search: 'jose', limit: 1, offset: 0 }).total).toBe(2);
    db.close();
  });

  it('find a message written by a bulk load straight into the table, and one moved to another number', () => {
    const db = openDatabase(tempDir());
    db.prepare(
      `INSERT INTO messages (kind, idempotency_key, channel, to_phone, body, not_before, state, queued_at, created_at, updated_at)
       VALUES ('campaign', 'bulk', 'cloud-api', '+56 9 8765 4321', 'Hola', 0, 'queued', 0, 0, 0)`,
    ).run();
    insertMessage(db, message('moved', null, '+51900000000'), 0);
    db.prepare(`UPDATE messages SET to_phone = '+51911222333' WHERE idempotency_key = 'moved'`).run();
    expect(keysFound(db, '987654321')).toEqual(['bulk']);
    expect(keysFound(db, '56987654321')).toEqual(['bulk']);
    expect(keysFound(db, '911 222 333')).toEqual(['moved']);
    expect(keysFound(db, '%')).toEqual([]);
    db.close();
  });

  it('are filled for the rows a database held before it had them', () => {
    const dir = tempDir();
    const db = new Database(join(dir, DATABASE_FILE));
    db.exec('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    for (const m of migrations.filter((x) => x.version < 23)) {
      db.transaction(() => {
        m.rebuild?.(db);
        db.exec(m.sql);
        db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, 0)').run(m.version);
      })();
    }
    db.prepare(
      `INSERT INTO patients (first_names, last_names, document_type, document_number, phone_raw, phone_e164, created_at, updated_at)
       VALUES ('Ángel', 'Cárdenas Ñique', 'DNI', '70990011', '955-000-111', '+51955000111', 0, 0)`,
    ).run();
    db.prepare(
      `INSERT INTO messages (kind, idempotency_key, patient_id, channel, to_phone, body, not_before, state, queued_at, created_at, updated_at)
       VALUES ('result', 'old', 1, 'cloud-api', '+51955000111', 'Hola', 0, 'sent', 0, 0, 0),
              ('result', 'other', NULL, 'cloud-api', '+51944000222', 'Hola', 0, 'sent', 0, 0, 0)`,
    ).run();
    expect(migrate(db)).toBe(schemaVersion(db));
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(23);
    expect(namesFound(db, 'angel cardenas')).toEqual(['Cárdenas Ñique']);
    expect(namesFound(db, '70 990 011')).toEqual(['Cárdenas Ñique']);
    expect(keysFound(db, 'ñique')).toEqual(['old']);
    expect(keysFound(db, '944-000-222')).toEqual(['other']);
    db.close();
  });

  it('find the messages of a few patients through indexes, and of very many by reading newest first', () => {
    const db = openDatabase(tempDir());
    const p = insertPatient(db, patient(), 0);
    insertMessage(db, message('one', p.id, '+51987654321'), 0);
    const plan = messageSearchPlan(db, 'huaman');
    expect(plan.some((d) => /SEARCH m USING INDEX messages_patient/.test(d))).toBe(true);
    expect(plan.some((d) => /SEARCH m USING INDEX messages_to_phone/.test(d))).toBe(true);
    expect(plan.some((d) => /^SCAN m\b/.test(d))).toBe(false);

    // 2,500 patients called Ana: every one matches "ana", so the page is read from the newest message down.
    db.transaction(() => {
      for (let i = 0; i < 2500; i++) {
        const ana = insertPatient(db, patient({ firstNames: 'Ana', lastNames: 'Quispe', documentNumber: String(50_000_000 + i) }), 0);
        if (i % 100 === 0) insertMessage(db, message(`ana${i}`, ana.id, '+51900000000'), 0);
      }
    })();
    expect(messageSearchPlan(db, 'ana').some((d) => /^SCAN m\b/.test(d))).toBe(true);
    const found = listMessages(db, { search: 'ANA', limit: 3, offset: 0 });
    expect(found.total).toBe(25);
    expect(found.rows.map((m) => m.idempotencyKey)).toEqual(['ana2400', 'ana2300', 'ana2200']);
    expect(keysFound(db, 'huaman')).toEqual(['one']);
    db.close();
  });
});
