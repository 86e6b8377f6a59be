import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppStatus } from '../../src/shared/api';
import type { Message } from '../../src/shared/domain';
import es from '../../src/renderer/src/i18n/es.json';
import en from '../../src/renderer/src/i18n/en.json';
import type { Formatters } from '../../src/renderer/src/format';
import { waitReason } from '../../src/renderer/src/pages/messages/waitReason';

const HOUR = 3_600_000;
// Thursday 3 December 2026, 10:00 in Lima.
const NOW = Date.UTC(2026, 11, 3, 15, 0);
const APPOINTMENT = Date.UTC(2026, 11, 5, 13, 45); // Saturday 5, 08:45 in Lima
// The app's own formatters need a browser (they read its i18n set-up); the same Intl call, for Lima in es-PE.
const f = {
  locale: 'es-PE',
  dayTime: (at: number) =>
    new Intl.DateTimeFormat('es-PE', { weekday: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: 'America/Lima' }).format(at),
} as Formatters;
const es18n = i18next.createInstance();
const en18n = i18next.createInstance();

beforeAll(async () => {
  await es18n.init({ lng: 'es', resources: { es: { translation: es } }, interpolation: { escapeValue: false } });
  await en18n.init({ lng: 'en', resources: { en: { translation: en } }, interpolation: { escapeValue: false } });
});

const ready = { sendingPaused: false, channel: 'cloud-api', channelHealth: { state: 'ready' } } as unknown as AppStatus;
const queued = (over: Partial<Message> = {}): Message =>
  ({ id: 1, state: 'queued', kind: 'reminder', channel: 'cloud-api', notBefore: APPOINTMENT - 24 * HOUR, attempts: 0, ...over }) as Message;
const wait = { appointmentAt: APPOINTMENT, leadMinutes: 1440, movedForQuietHours: false, timeZone: 'America/Lima' };

describe('why a queued message waits, in words', () => {
  it('when it goes, and a reminder’s lead before its appointment', () => {
    const text = waitReason(queued({ reminderWait: wait }), ready, f, es18n.t, NOW);
    expect(text).toMatch(/^Se enviará vie\.? 4,? 8:45/);
    expect(text).toMatch(/24 h antes de la cita del sáb\.? 5/);
    expect(text).not.toContain('silencio');
  });

  it('says when quiet hours moved it earlier', () => {
    const moved = { ...wait, leadMinutes: 120, movedForQuietHours: true };
    const text = waitReason(queued({ notBefore: APPOINTMENT - 12 * HOUR, reminderWait: moved }), ready, f, es18n.t, NOW);
    expect(text).toContain('2 h antes de la cita del sáb');
    expect(text).toContain('adelantado por horario de silencio');
    expect(waitReason(queued({ notBefore: APPOINTMENT - 12 * HOUR, reminderWait: moved }), ready, f, en18n.t, NOW)).toContain(
      'moved earlier for quiet hours',
    );
  });

  it('a channel not set up, or sending paused, before any moment', () => {
    const notSetUp = { ...ready, channelHealth: { state: 'not_configured' } } as AppStatus;
    expect(waitReason(queued({ reminderWait: wait }), notSetUp, f, es18n.t, NOW)).toContain('canal sin configurar');
    expect(waitReason(queued(), { ...ready, sendingPaused: true }, f, es18n.t, NOW)).toContain('en pausa');
  });

  it('nothing for a message that is not waiting', () => {
    expect(waitReason(queued({ state: 'sent' }), ready, f, es18n.t, NOW)).toBeNull();
  });
});
