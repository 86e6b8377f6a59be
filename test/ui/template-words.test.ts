import { createInstance, type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { labelOf } from '../../src/main/core/audit/export-words';
import en from '../../src/renderer/src/i18n/en.json';
import es from '../../src/renderer/src/i18n/es.json';
import { templateLabel } from '../../src/renderer/src/pages/messages/templateLabel';

// A template has one name in words wherever a person reads it: the screens (Ajustes → Recordatorios, Mensajes) take it
// from the UI's texts, the CSV and PDF exports from the core's word table. The two must say the same thing.

let esT: TFunction;
let enT: TFunction;
// The real i18next over the app's own texts, as the renderer loads them.
beforeAll(async () => {
  const i18n = createInstance();
  await i18n.init({ lng: 'es', resources: { es: { translation: es }, en: { translation: en } } });
  esT = i18n.getFixedT('es');
  enT = i18n.getFixedT('en');
});

describe('template names in words, the same on screen and in exports', () => {
  it('every default template the UI names reads the same as in the exports, in Spanish and English', () => {
    const names = Object.keys(es.templateName);
    expect(names).toContain('recordatorio_cita');
    expect(Object.keys(en.templateName).sort()).toEqual([...names].sort());
    for (const name of names) {
      expect(templateLabel(name, esT), name).toBe(labelOf.template(name, 'es'));
      expect(templateLabel(name, enT), name).toBe(labelOf.template(name, 'en'));
    }
    expect(templateLabel('recordatorio_cita', esT)).toBe('Recordatorio de cita');
  });

  it('a clinic’s own template reads as words, the same way in both', () => {
    for (const name of ['control_prenatal_v2', 'aviso-vacunas.2026']) {
      expect(templateLabel(name, esT)).toBe(labelOf.template(name, 'es'));
    }
    expect(templateLabel('control_prenatal_v2', esT)).toBe('Control prenatal v2');
  });
});
