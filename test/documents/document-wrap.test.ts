import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { renderDocumentPdf, wrap } from '../../src/main/core/documents/document-layout';

// A typed document is rendered on the same thread that answers every request: its text wrap must stay linear.

describe('text wrap', () => {
  it('renders a document with a 5,000-character word in well under a second', async () => {
    const started = process.hrtime.bigint();
    const pdf = await renderDocumentPdf({
      kind: 'certificate',
      title: 'Certificado',
      body: `Inicio ${'A'.repeat(5000)} fin.\n${'palabra '.repeat(1000)}`,
      clinicName: 'Clínica',
      patient: { fullName: 'Ana Quispe', documentType: 'DNI', documentNumber: '45678912' },
      issuedAt: Date.UTC(2026, 0, 5),
      timeZone: 'America/Lima',
      language: 'es',
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // The bound the brief sets; before, this took about 17 s.
    expect(seconds).toBeLessThan(1);
  });

  it('never makes a line wider than the page, and keeps every character in order', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const text = `Hemograma ${'W'.repeat(700)} con AV, Te y To juntos; ${'x'.repeat(90)} ñandú.`;
    const lines = wrap(font, text, 11, 300);
    for (const line of lines) expect(font.widthOfTextAtSize(line, 11)).toBeLessThanOrEqual(300);
    expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
    expect(lines.length).toBeGreaterThan(5);
  });
});
