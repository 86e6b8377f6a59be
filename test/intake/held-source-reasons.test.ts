import { describe, expect, it } from 'vitest';
import { labClinic, registerAna, resultsDatabase, resultsShare, resultsSource } from '../helpers/clinic-results';
import { sendHl7 } from '../helpers/mllp';
import { makePdf, oruR01 } from '../sources/hl7-fixtures';

// A result held because the clinic has not marked its source as trusted says where it came from, in that source's own
// words: the HL7 feed's sender, the clinic's database. Before, a result from the clinic's database said what an HL7
// message would ("El origen indica que este resultado aún no está aprobado"), which sent people looking at the lab.

/** An HL7 ORU and a clinic-database row for the same patient, neither source trusted: the reasons they wait with. */
async function heldReasons(language: 'es' | 'en'): Promise<Record<string, string>> {
  const clinic = await labClinic();
  const { call } = clinic;
  await call('settings.update', { language });
  // The HL7 fixture's patient, with consent: what holds her results is only the source's trust.
  await registerAna(clinic);

  await call('settings.update', { hl7: { enabled: true, port: 0 } });
  const port = (await call('app.status', {})).hl7Port ?? 0;
  expect(await sendHl7(port, oruR01(await makePdf()))).toMatch(/MSA\|AA\|/);

  const share = await resultsShare();
  const file = resultsDatabase([[1, '45678912', '2026-11-20 10:00:00', 'hemograma.pdf']]);
  await call('sources.clinicDb.set', { kind: 'results', config: resultsSource({ driver: 'sqlite', file }, share) });

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
