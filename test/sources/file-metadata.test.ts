import { describe, expect, it } from 'vitest';
import {
  compilePattern,
  kindOf,
  mergeMetadata,
  parseFileName,
  parseSidecar,
} from '../../src/main/core/sources/file-metadata';

describe('file-name pattern', () => {
  const standard = compilePattern('{documentNumber}_{accession}_{kind}.pdf');

  it('reads the default pattern, without regard to case or accents in the kind', () => {
    expect(parseFileName('45678912_ACC-2025-77_resultado.pdf', standard)).toEqual({
      patient: { documentNumber: '45678912' },
      kind: 'result',
      accessionNumber: 'ACC-2025-77',
    });
    expect(parseFileName('45678912_A1_CERTIFICADO.PDF', standard)?.kind).toBe('certificate');
    expect(parseFileName('45678912_A1_Constancia.pdf', standard)?.kind).toBe('attestation');
    expect(parseFileName('45678912_A1_recibo.pdf', standard)?.kind).toBe('receipt');
  });

  it('lets an accession hold the separator, since a kind is letters only', () => {
    expect(parseFileName('45678912_ACC_7_resultado.pdf', standard)?.accessionNumber).toBe('ACC_7');
  });

  it('keeps an unknown kind word for the reason, and rejects names that do not follow the pattern', () => {
    expect(parseFileName('45678912_A1_informe.pdf', standard)).toMatchObject({ unknownKind: 'informe' });
    expect(parseFileName('escaneo.pdf', standard)).toBeNull();
    expect(parseFileName('45678912_A1_resultado.pdf.tmp', standard)).toBeNull();
  });

  it('supports the other tokens', () => {
    const p = compilePattern('{documentType}-{documentNumber} {title} [{studyUid}].pdf');
    expect(parseFileName('CE-001234567 Rayos_X_de_tórax [1.2.840.113619.2.55].pdf', p)).toEqual({
      patient: { documentType: 'CE', documentNumber: '001234567' },
      title: 'Rayos X de tórax',
      studyUid: '1.2.840.113619.2.55',
    });
  });

  it('refuses patterns it cannot read', () => {
    expect(compilePattern('{dni}_{kind}.pdf')).toMatchObject({ ok: false });
    expect(compilePattern('{kind}_{kind}.pdf')).toMatchObject({ ok: false });
    expect(compilePattern('resultado.pdf')).toMatchObject({ ok: false });
  });

  it('knows the kind words in Spanish and English', () => {
    expect(['resultado', 'Result', 'certificado', 'constancia', 'recibo', 'boleta'].map(kindOf)).toEqual([
      'result',
      'result',
      'certificate',
      'attestation',
      'receipt',
      undefined,
    ]);
  });
});

describe('JSON sidecar', () => {
  it('reads the lab export, numbers as text, with a byte-order mark', () => {
    const parsed = parseSidecar(
      '\uFEFF' +
        JSON.stringify({
          documentNumber: 70112233,
          documentType: 'dni',
          firstNames: ' Rosa ',
          lastNames: 'Mamani',
          phone: 912345678,
          consent: true,
          kind: 'constancia',
          accession: 'A-1',
          approvedAt: '2025-03-05T10:30:00-05:00',
          extra: 'ignored',
        }),
    );
    expect(parsed).toEqual({
      ok: true,
      meta: {
        patient: {
          documentNumber: '70112233',
          documentType: 'DNI',
          firstNames: 'Rosa',
          lastNames: 'Mamani',
          phone: '912345678',
          consent: true,
        },
        kind: 'attestation',
        accessionNumber: 'A-1',
        approvedAt: Date.parse('2025-03-05T15:30:00Z'),
      },
    });
  });

  it('explains what is wrong with a bad sidecar', () => {
    expect(parseSidecar('{ "documentNumber": ')).toMatchObject({ ok: false, detail: expect.stringMatching(/JSON inválido/) });
    expect(parseSidecar('{"consent": "sí"}')).toMatchObject({ ok: false, detail: expect.stringMatching(/consent/) });
    expect(parseSidecar('{"approvedAt": "ayer"}')).toMatchObject({ ok: false, detail: expect.stringMatching(/approvedAt/) });
    expect(parseSidecar('{"documentType": "RUC"}')).toMatchObject({ ok: false, detail: expect.stringMatching(/RUC/) });
  });

  it('overrides and completes what the name said', () => {
    const fromName = parseFileName('45678912_A1_informe.pdf', compilePattern('{documentNumber}_{accession}_{kind}.pdf'));
    const parsed = parseSidecar(JSON.stringify({ kind: 'resultado', firstNames: 'Ana' }));
    if (!parsed.ok) throw new Error(parsed.detail);
    expect(mergeMetadata(fromName, parsed.meta)).toEqual({
      patient: { documentNumber: '45678912', firstNames: 'Ana' },
      kind: 'result',
      accessionNumber: 'A1',
    });
  });
});
