import { Settings } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { normaliseAppointmentRow, parseInstant } from '../../src/main/core/sources/clinic-db/normalise';

// The clinic database's wall-clock times follow the same rule as the form, CSV and HL7.

const config = { keyPrefix: 'agenda', timeZone: 'America/Santiago', statusMap: {}, fileBaseDir: '' };

afterEach(() => {
  Settings.now = () => Date.now();
});

describe('clinic database times without an offset', () => {
  it('a repeated hour is the earlier occurrence whatever season the process started in', () => {
    const read = [Date.parse('2026-12-15T12:00:00Z'), Date.parse('2027-06-15T12:00:00Z')].map((start) => {
      Settings.now = () => start;
      return parseInstant('2027-04-03 23:30:00', 'America/Santiago');
    });
    expect(read).toEqual([
      { at: Date.parse('2027-04-04T02:30:00Z'), hadOffset: false },
      { at: Date.parse('2027-04-04T02:30:00Z'), hadOffset: false },
    ]);
  });

  it('a skipped hour is refused with the reason, not moved', () => {
    const row = { appointment_id: 'A1', starts_at: '2027-09-05 00:30:00', status: 'booked', document_number: '1' };
    expect(normaliseAppointmentRow(row, config, 1)).toMatchObject({
      ok: false,
      problem: { ref: 'A1', code: 'skipped_time', es: expect.stringContaining('no existe en America/Santiago') },
    });
  });

  it('a start without a zone of its own is kept as written, for intake to read in the site’s zone', () => {
    const row = { appointment_id: 'A2', starts_at: '2027-04-03 09:30:00', status: 'booked', document_number: '1', site: 'Sede Norte' };
    expect(normaliseAppointmentRow(row, config, 1)).toMatchObject({ ok: true, record: { localStart: '2027-04-03T09:30:00.000' } });
    // The row names its zone, or gives an offset: that is final.
    const zoned = normaliseAppointmentRow({ ...row, time_zone: 'America/Lima' }, config, 1);
    expect(zoned.ok && zoned.record.localStart).toBeUndefined();
    const offset = normaliseAppointmentRow({ ...row, starts_at: '2027-04-03T09:30:00-05:00' }, config, 1);
    expect(offset.ok && offset.record.localStart).toBeUndefined();
  });
});
