import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AvisaCore } from '../../src/main/core/app';
import { renderDocumentPdf } from '../../src/main/core/documents/document-layout';
import { startCore } from '../helpers/core';
import { tempDir } from '../helpers/temp';
import { makePki, PASSWORD, type Pki } from '../results/harness';
import { pdfsig, pdftotext, samplePdf } from './pdf-tools';

// "Nuevo documento": a certificate, attestation or receipt issued at the front desk, typed (rendered from its kind's
// layout) or uploaded, then the same signing → outbox path as a lab result. pdfsig checks every signature.

let pki: Pki;
const cores: AvisaCore[] = [];
beforeAll(() => {
  pki = makePki();
});
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
});

async function clinic(withCertificate: boolean) {
  const { core, call } = await startCore();
  cores.push(core);
  await call('setup.complete', {
    clinicName: 'Clínica San José',
    sites: [{ name: 'Sede Centro', country: 'PE', timeZone: 'America/Lima' }],
    services: [{ name: 'Consulta' }],
    channel: 'cloud-api', // not configured: messages wait in the queue
  });
  if (withCertificate) await call('certificate.install', { base64: pki.valid.toString('base64'), password: PASSWORD });
  const patient = await call('patients.create', {
    firstNames: 'Ana María',
    lastNames: 'Quispe Huamán',
    documentType: 'DNI',
    documentNumber: '41234567',
    phone: '987 654 321',
    consent: true,
  });
  return { call, patient };
}

function saved(base64: string, name = 'doc.pdf'): string {
  const file = join(tempDir('avisa-issued-'), name);
  writeFileSync(file, Buffer.from(base64, 'base64'));
  return file;
}

describe('issuing a document from Resultados', () => {
  it('renders a typed medical certificate, signs it, and queues it with the kind’s template', async () => {
    const { call, patient } = await clinic(true);
    const requestId = randomUUID();
    const input = {
      requestId,
      patientId: patient.id,
      kind: 'certificate' as const,
      title: 'Descanso médico',
      content: { type: 'text' as const, body: 'Requiere descanso médico por tres (3) días, del 2 al 4 de diciembre.\n\nDiagnóstico: faringitis aguda.' },
    };
    const issued = await call('documents.issue', input);
    expect(issued).toMatchObject({ state: 'queued', code: null, reason: null });
    // Submitting the same form again issues nothing new.
    expect(await call('documents.issue', input)).toMatchObject({ state: 'duplicate', resultId: issued.resultId });

    const messages = (await call('messages.list', {})).rows.filter((m) => m.kind === 'document');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ templateName: 'certificado_listo', patientId: patient.id, state: 'queued' });
    const [result] = (await call('results.list', { filter: 'signed' })).rows;
    expect(result).toMatchObject({ id: issued.resultId, kind: 'certificate', signed: true, status: 'queued' });

    const document = await call('results.document', { id: issued.resultId! });
    expect(document.signed).toBe(true);
    expect(document.filename).toMatch(/^Certificado_Descanso_medico_\d{4}-\d{2}-\d{2}\.pdf$/);
    const file = saved(document.base64);
    const check = pdfsig(file);
    expect(check.signatures).toHaveLength(1);
    expect(check.signatures[0]).toMatchObject({ valid: true, totalDocumentSigned: true, commonName: 'Clínica San José' });
    const text = pdftotext(file);
    expect(text).toContain('CERTIFICADO MÉDICO');
    expect(text).toContain('Ana María Quispe Huamán (DNI 41234567)');
    expect(text).toContain('Diagnóstico: faringitis aguda.');
    expect(text).toContain('Clínica San José');
  }, 60_000);

  it('signs an uploaded receipt the same way', async () => {
    const { call, patient } = await clinic(true);
    const issued = await call('documents.issue', {
      requestId: randomUUID(),
      patientId: patient.id,
      kind: 'receipt',
      title: 'Recibo 001-2345',
      content: { type: 'pdf', base64: (await samplePdf()).toString('base64'), filename: 'recibo.pdf' },
    });
    expect(issued.state).toBe('queued');
    const document = await call('results.document', { id: issued.resultId! });
    expect(pdfsig(saved(document.base64)).signatures[0]?.valid).toBe(true);
    expect((await call('messages.list', {})).rows[0]).toMatchObject({ templateName: 'recibo_listo' });
  }, 60_000);

  it('never queues a certificate unsigned: without a certificate it waits in "por revisar" until one is installed', async () => {
    const { call, patient } = await clinic(false);
    const issued = await call('documents.issue', {
      requestId: randomUUID(),
      patientId: patient.id,
      kind: 'attestation',
      title: 'Constancia de atención',
      content: { type: 'text', body: 'Fue atendida en consulta externa el día de hoy.' },
    });
    expect(issued).toMatchObject({ state: 'review', code: 'no_certificate' });
    expect(issued.reason).toBeTruthy();
    expect((await call('messages.list', {})).rows).toHaveLength(0);
    expect((await call('results.review', {})).rows[0]).toMatchObject({ id: issued.intakeId, code: 'no_certificate' });

    await call('certificate.install', { base64: pki.valid.toString('base64'), password: PASSWORD });
    await call('results.retry', { id: issued.intakeId });
    const document = await call('results.document', { id: issued.resultId! });
    expect(pdfsig(saved(document.base64)).signatures[0]?.valid).toBe(true);
    expect((await call('messages.list', {})).rows).toHaveLength(1);
  }, 60_000);

  it('keeps an upload that is not a PDF in "por revisar" with the reason, and refuses an unknown patient', async () => {
    const { call, patient } = await clinic(true);
    const issued = await call('documents.issue', {
      requestId: randomUUID(),
      patientId: patient.id,
      kind: 'certificate',
      title: 'Certificado',
      content: { type: 'pdf', base64: Buffer.from('esto no es un PDF, es una foto').toString('base64'), filename: 'foto.jpg' },
    });
    expect(issued).toMatchObject({ state: 'review', code: 'invalid_pdf' });
    expect(issued.reason).toBeTruthy();
    expect((await call('messages.list', {})).rows).toHaveLength(0);
    await expect(
      call('documents.issue', { requestId: randomUUID(), patientId: 9999, kind: 'receipt', title: 'R', content: { type: 'text', body: 'x' } }),
    ).rejects.toThrow(/unknown_patient: El paciente indicado no existe/);
  }, 60_000);

  it('lays out long text on further pages, keeps room for the stamp, and prints what the fonts cannot as ?', async () => {
    const body = Array.from({ length: 120 }, (_, i) => `Línea ${i + 1}: reposo, hidratación y control en 7 días.`).join('\n');
    const pdf = await renderDocumentPdf({
      kind: 'certificate',
      title: 'Certificado',
      body: `${body}\nPaciente tranquila 🙂`,
      clinicName: 'Clínica San José',
      patient: { fullName: 'Ana Quispe', documentType: 'DNI', documentNumber: '41234567' },
      issuedAt: Date.UTC(2026, 11, 1, 15),
      timeZone: 'America/Lima',
      language: 'es',
    });
    const file = join(tempDir('avisa-layout-'), 'largo.pdf');
    writeFileSync(file, pdf);
    const text = pdftotext(file);
    expect(text).toContain('Línea 120');
    expect(text).toContain('Fecha: 1 de diciembre de 2026');
    expect(text).toContain('Paciente tranquila ?');
    expect(text.split('\f').filter((p) => p.trim()).length).toBeGreaterThanOrEqual(3);
  });
});
