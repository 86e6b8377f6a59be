import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { certificateView, inspectCertificate } from '../../src/main/core/documents/certificate-cache';
import { sha256Hex } from '../../src/main/core/hash';
import { imagingLink } from '../../src/main/core/documents/imaging-link';
import { documentFilename } from '../../src/main/core/documents/result-message';
import type { IncomingResult } from '../../src/main/core/intake/incoming-result';
import { resultsSettingsSchema } from '../../src/main/core/settings/results-settings';
import { PASSWORD, harness, makePki, reportPdf, type Harness, type Pki } from './harness';

let pki: Pki;
const open: Harness[] = [];

beforeAll(() => {
  pki = makePki();
});

afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

function start(o: Parameters<typeof harness>[1] = {}): Harness {
  const h = harness(pki, o);
  open.push(h);
  return h;
}

async function record(over: Partial<IncomingResult>): Promise<IncomingResult> {
  const pdf = await reportPdf();
  return { source: 'test', sourceKey: `test:${sha256Hex(pdf)}`, kind: 'result', title: 'Tomografía de tórax', pdf, patient: {}, ...over };
}

const viewer = 'https://pacs.clinica.pe/viewer?StudyInstanceUIDs={studyUid}';

describe('document pipeline', () => {
  it('adds the imaging link to the message when the result names a study', async () => {
    const h = start({ results: { viewerUrlTemplate: viewer } });
    h.patient({ documentNumber: '45678912' });
    await h.intake.receive(await record({ studyUid: '1.2.840.113619.2.55.3.77', patient: { documentNumber: '45678912' } }));
    const [message] = h.messages();
    expect(message?.body).toContain('Vea sus imágenes: https://pacs.clinica.pe/viewer?StudyInstanceUIDs=1.2.840.113619.2.55.3.77');
    expect(message?.body).toMatch(/firmado digitalmente; código de verificación [0-9A-F-]+/i);
    // The template's parameters stay [first name, title] unless an imaging template is configured.
    expect(message?.templateName).toBe('resultado_listo');
    expect(JSON.parse(message?.templateParams ?? '[]')).toHaveLength(2);
  });

  it('looks the study up by accession number when only that is known, and uses the imaging template', async () => {
    const asked: string[] = [];
    const h = start({
      results: {
        viewerUrlTemplate: viewer,
        kinds: {
          ...harnessDefaults().kinds,
          result: { ...harnessDefaults().kinds.result, imagingTemplate: 'resultado_imagenes' },
        },
      },
      lookupStudyUid: async (accession) => {
        asked.push(accession);
        return accession === 'ACC-77' ? '1.2.3.77' : null;
      },
    });
    h.patient({ documentNumber: '45678912' });
    await h.intake.receive(await record({ accessionNumber: 'ACC-77', patient: { documentNumber: '45678912' } }));
    await h.intake.receive(await record({ accessionNumber: 'ACC-00', patient: { documentNumber: '45678912' } }));
    expect(asked).toEqual(['ACC-77', 'ACC-00']);
    const [found, missing] = h.messages();
    expect(found?.templateName).toBe('resultado_imagenes');
    expect(JSON.parse(found?.templateParams ?? '[]')).toEqual([
      'María',
      'Tomografía de tórax',
      'https://pacs.clinica.pe/viewer?StudyInstanceUIDs=1.2.3.77',
    ]);
    expect(h.resultRows()[0]?.studyUid).toBe('1.2.3.77');
    // No study found: the result still goes, without a link.
    expect(missing?.templateName).toBe('resultado_listo');
    expect(missing?.body).not.toContain('imágenes');
  });

  it('keeps the loaded certificate until the settings change, and shows Ajustes no private key', async () => {
    const h = start();
    const status = h.pipeline.certificateStatus();
    expect(status).toMatchObject({ configured: true, ok: true, info: { subject: { commonName: 'Clínica San José' } } });
    const view = certificateView(status);
    expect(JSON.stringify(view)).not.toMatch(/privateKey|identity/);
    expect(view).toMatchObject({ ok: true, info: { expiringSoon: false } });
    if (!status.configured || !status.ok) throw new Error('expected a valid certificate');
    // Same settings: the same loaded identity, not a new decryption.
    const again = h.pipeline.certificateStatus();
    expect(again.configured && again.ok && again.identity.privateKey).toBe(status.identity.privateKey);

    h.config.certificate = { p12: pki.expired, password: PASSWORD };
    expect(h.pipeline.certificateStatus()).toMatchObject({ configured: true, ok: false, code: 'expired' });
    h.config.certificate = null;
    expect(h.pipeline.certificateStatus()).toEqual({ configured: false });
  });

  it('checks a certificate before it is installed', () => {
    expect(inspectCertificate({ p12: pki.valid, password: 'mala' }, Date.now())).toMatchObject({ ok: false, code: 'wrong_password' });
    expect(inspectCertificate({ p12: pki.expired, password: PASSWORD }, Date.now())).toMatchObject({
      ok: false,
      code: 'expired',
      info: { expiresInDays: expect.any(Number) },
    });
    expect(inspectCertificate({ p12: pki.valid, password: PASSWORD }, Date.now())).toMatchObject({ ok: true });
  });
});

describe('message details', () => {
  it('builds imaging links only when the study has what the template needs', () => {
    expect(imagingLink(viewer, { studyUid: '1.2.3', accessionNumber: null })).toBe(
      'https://pacs.clinica.pe/viewer?StudyInstanceUIDs=1.2.3',
    );
    expect(imagingLink(viewer, { studyUid: null, accessionNumber: 'A1' })).toBeNull();
    expect(imagingLink('https://pacs/ver?acc={accession}', { studyUid: null, accessionNumber: 'A 1&x' })).toBe(
      'https://pacs/ver?acc=A%201%26x',
    );
    expect(imagingLink('', { studyUid: '1.2.3', accessionNumber: null })).toBeNull();
  });

  it('names the file the patient sees in plain ASCII with the local date', () => {
    const at = Date.parse('2025-03-06T02:00:00Z'); // still the 5th in Lima
    expect(documentFilename('Resultado', 'Perfil lipídico / control', at, 'America/Lima')).toBe(
      'Resultado_Perfil_lipidico_control_2025-03-05.pdf',
    );
  });
});

function harnessDefaults() {
  return resultsSettingsSchema.parse({});
}
