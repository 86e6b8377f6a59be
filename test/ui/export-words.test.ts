import { describe, expect, it } from 'vitest';
import { humanize, labelOf } from '../../src/main/core/audit/export-words';

describe('exports name codes in the clinic’s words', () => {
  it('kinds, channels and states', () => {
    expect(labelOf.kind('reminder', 'es')).toBe('Recordatorio');
    expect(labelOf.kind('followup', 'en')).toBe('Follow-up');
    expect(labelOf.channel('linked-device', 'es')).toBe('WhatsApp (dispositivo vinculado)');
    expect(labelOf.event('read', 'es')).toBe('Leído');
  });

  it('audit actions Avisa knows, and any other one as words rather than a dotted code', () => {
    expect(labelOf.event('message.bulk_send', 'es')).toBe('Enviado en lote');
    expect(labelOf.event('message.some_new_action', 'es')).toBe('Some new action');
    expect(labelOf.event('message.some_new_action', 'es')).not.toContain('.');
  });

  it('default templates by name, a clinic’s own template humanized', () => {
    expect(labelOf.template('recordatorio_cita', 'es')).toBe('Recordatorio de cita');
    expect(labelOf.template('resultado_listo', 'en')).toBe('Result ready');
    expect(labelOf.template('control_prenatal_v2', 'es')).toBe('Control prenatal v2');
    expect(humanize('aviso-vacunas.2026')).toBe('Aviso vacunas 2026');
  });
});
