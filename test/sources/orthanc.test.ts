import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imagingLink } from '../../src/main/core/documents/imaging-link';
import { sha256Hex } from '../../src/main/core/hash';
import { findStudyUid, orthancLookup } from '../../src/main/core/sources/orthanc';
import { makeStudy, orthancBinary, startOrthanc, type RunningOrthanc } from '../helpers/orthanc';
import { harness, makePki, reportPdf } from '../results/harness';

// The lookup against a real Orthanc (Debian's package) holding small studies made by dcmtk's dump2dcm.

const STUDY_UID = '1.2.826.0.1.3680043.9.7777.77';

if (!orthancBinary) {
  console.warn('Orthanc lookup: skipped, /usr/sbin/Orthanc is not installed (apt-get install orthanc orthanc-dicomweb dcmtk)');
}

describe.skipIf(!orthancBinary)('Orthanc lookup against a real Orthanc', () => {
  let dir: string;
  let pacs: RunningOrthanc;
  const options = () => ({ url: `${pacs.url}/`, username: pacs.username, password: pacs.password });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'avisa-orthanc-'));
    pacs = await startOrthanc(dir);
    await pacs.upload(makeStudy(dir, { accessionNumber: 'ACC-77', studyUid: STUDY_UID, patientId: 'HC-1001', patientName: 'Quispe^Ana' }));
    // Two studies under one accession number: the lookup must refuse to choose.
    await pacs.upload(makeStudy(dir, { accessionNumber: 'DUP-1', studyUid: '1.2.826.0.1.3680043.9.7777.81', patientId: 'HC-2', patientName: 'Rojas^Luis' }));
    await pacs.upload(makeStudy(dir, { accessionNumber: 'DUP-1', studyUid: '1.2.826.0.1.3680043.9.7777.82', patientId: 'HC-3', patientName: 'Soto^Eva' }));
  }, 60_000);

  afterAll(async () => {
    await pacs?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds the StudyInstanceUID of an accession number, and the viewer link opens that study', async () => {
    expect(await findStudyUid('ACC-77', options())).toEqual({ ok: true, studyUid: STUDY_UID });
    // Orthanc's own DICOMweb root as the viewer: the link Avisa builds must name the study that was uploaded.
    const link = imagingLink(`${pacs.url}/dicom-web/studies/{studyUid}/metadata`, { studyUid: STUDY_UID, accessionNumber: 'ACC-77' });
    expect(link).toBe(`${pacs.url}/dicom-web/studies/${STUDY_UID}/metadata`);
    if (pacs.dicomWeb && link) {
      const auth = `Basic ${Buffer.from(`${pacs.username}:${pacs.password}`).toString('base64')}`;
      const r = await fetch(link, { headers: { authorization: auth, accept: 'application/dicom+json' } });
      expect(r.status).toBe(200);
      const [instance] = (await r.json()) as Array<Record<string, { Value?: unknown[] }>>;
      expect(instance?.['0020000D']?.Value).toEqual([STUDY_UID]);
      expect(instance?.['00080050']?.Value).toEqual(['ACC-77']);
    }
  });

  it('says why it found nothing', async () => {
    expect(await findStudyUid('NOPE', options())).toMatchObject({ ok: false, code: 'not_found' });
    expect(await findStudyUid('DUP-1', options())).toMatchObject({ ok: false, code: 'ambiguous' });
    // A wildcard would match ACC-77 in Orthanc: refused before asking.
    expect(await findStudyUid('ACC*', options())).toMatchObject({ ok: false, code: 'not_found' });
    expect(await findStudyUid('ACC-77', { url: pacs.url })).toMatchObject({ ok: false, code: 'unreachable' });
    expect(await findStudyUid('ACC-77', { ...options(), password: 'otra' })).toMatchObject({ ok: false, code: 'unreachable' });
  });

  it('gives the pipeline a UID or null, never an error', async () => {
    expect(await orthancLookup(options)('ACC-77')).toBe(STUDY_UID);
    expect(await orthancLookup(options)('NOPE')).toBeNull();
    expect(await orthancLookup(() => null)('ACC-77')).toBeNull();
  });

  it('puts the link of the study found in Orthanc into the result message', async () => {
    const h = harness(makePki(), {
      results: { viewerUrlTemplate: 'https://pacs.clinica.pe/viewer?StudyInstanceUIDs={studyUid}' },
      lookupStudyUid: orthancLookup(options),
    });
    try {
      h.patient({ documentNumber: '45678912' });
      const pdf = await reportPdf();
      await h.intake.receive({
        source: 'test',
        sourceKey: `test:${sha256Hex(pdf)}`,
        kind: 'result',
        title: 'Tomografía de tórax',
        pdf,
        accessionNumber: 'ACC-77',
        patient: { documentNumber: '45678912' },
      });
      expect(h.resultRows()[0]?.studyUid).toBe(STUDY_UID);
      expect(h.messages()[0]?.body).toContain(`https://pacs.clinica.pe/viewer?StudyInstanceUIDs=${STUDY_UID}`);
    } finally {
      await h.close();
    }
  }, 60_000);
});

describe('Orthanc lookup without a PACS', () => {
  it('answers unreachable when nothing listens', async () => {
    expect(await findStudyUid('ACC-77', { url: 'http://127.0.0.1:1', timeoutMs: 500 })).toMatchObject({
      ok: false,
      code: 'unreachable',
    });
  });
});
