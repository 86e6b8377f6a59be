import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { AvisaCore } from '../../src/main/core/app';
import { samplePdf } from '../documents/pdf-tools';
import { startCore } from '../helpers/core';
import { tempDir } from '../helpers/temp';
import { makePdf, oruR01 } from '../sources/hl7-fixtures';

// A result held because the clinic has not marked its source as trusted says where it came from, in that source's own
// words: the HL7 feed's sender, the clinic's database. Before, a result from the clinic's database said what an HL7
// message would ("El origen indica que este resultado aún no está aprobado"), which sent people looking at the lab.

const cores: AvisaCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
});

function sendHl7(port: number, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(Buffer.concat([Buffer.from([0x0b]), Buffer.from(message, 'latin1'), Buffer.from([0x1c, 0x0d])])),
    );
    let data = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (data.includes(0x1c)) {
        socket.end();
        resolve(data.subarray(1, data.indexOf(0x1c)).toString('latin1'));
      }
    });
    socket.on('error', reject);
  });
}

/** An HL7 ORU and a clinic-database row for the same patient, neither source trusted: the reasons they wait with. */
async function heldReasons(language: 'es' | 'en'): Promise<Record<string, string>> {
  const { core, call } = await startCore();
  cores.push(core);
  await call('setup.complete', {
    clinicName: 'Clínica San Pablo',
    sites: [{ name: 'Sede Miraflores', country: 'PE', timeZone: 'America/Lima' }],
    services: [{ name: 'Laboratorio' }],
    channel: 'cloud-api',
  });
  await call('settings.update', { language });
  // The HL7 fixture's patient, with consent: what holds her results is only the source's trust.
  await call('patients.create', {
    firstNames: 'Ana María',
    lastNames: 'Quispe Huamán',
    documentType: 'DNI',
    documentNumber: '45678912',
    phone: '987654321',
    consent: true,
  });

  await call('settings.update', { hl7: { enabled: true, port: 0 } });
  const port = (await call('app.status', {})).hl7Port ?? 0;
  expect(await sendHl7(port, oruR01(await makePdf()))).toMatch(/MSA\|AA\|/);

  const share = tempDir('avisa-share-');
  writeFileSync(join(share, 'hemograma.pdf'), await samplePdf());
  const file = join(tempDir('clinic-db-'), 'clinica.sqlite');
  const clinic = new Database(file);
  clinic.exec('CREATE TABLE resultados (id INTEGER PRIMARY KEY, dni TEXT, aprobado TEXT, ruta TEXT)');
  clinic.prepare('INSERT INTO resultados VALUES (1, ?, ?, ?)').run('45678912', '2026-11-20 10:00:00', 'hemograma.pdf');
  clinic.close();
  await call('sources.clinicDb.set', {
    kind: 'results',
    config: {
      enabled: true,
      kind: 'results',
      connection: { driver: 'sqlite', file },
      query: 'SELECT id AS result_id, dni AS document_number, aprobado AS approved_at, ruta AS file_path FROM resultados WHERE id > :cursor ORDER BY id',
      cursorColumn: 'result_id',
      initialCursor: 0,
      keyPrefix: 'clinic-db',
      timeZone: 'America/Lima',
      statusMap: {},
      fileBaseDir: share,
      pollSeconds: 5,
      timeoutSeconds: 10,
      writeBack: null,
    },
  });

  const held = async () => {
    const rows = (await call('results.review', {})).rows.filter((r) => r.code === 'awaiting_approval');
    return Object.fromEntries(rows.map((r) => [r.source, r.reason]));
  };
  await expect.poll(async () => Object.keys(await held()).sort(), { timeout: 20_000 }).toEqual(['clinic-db', 'hl7']);
  return held();
}

describe('why a result from an untrusted source waits', () => {
  it('names the HL7 sender or the clinic database, in Spanish and in English', async () => {
    const es = await heldReasons('es');
    expect(es['clinic-db']).toMatch(/base de datos de la clínica/);
    expect(es['clinic-db']).toMatch(/apruébelo/);
    expect(es['clinic-db']).not.toMatch(/HL7|El origen indica/);
    expect(es.hl7).toMatch(/HL7/);
    expect(es.hl7).toMatch(/remitente/);
    expect(es.hl7).not.toMatch(/base de datos/);

    const en = await heldReasons('en');
    expect(en['clinic-db']).toMatch(/clinic's database/);
    expect(en['clinic-db']).toMatch(/approve it/);
    expect(en.hl7).toMatch(/HL7 sender/);
  }, 60_000);
});
