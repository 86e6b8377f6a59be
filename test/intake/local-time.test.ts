import { Settings } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { instantOfWallClock } from '../../src/main/core/intake/local-time';

const SANTIAGO = 'America/Santiago';
const at = (y: number, mo: number, d: number, h: number, mi: number, zone = SANTIAGO) =>
  instantOfWallClock({ year: y, month: mo, day: d, hour: h, minute: mi }, zone);

afterEach(() => {
  Settings.now = () => Date.now();
});

describe('a wall-clock time at a site → one instant', () => {
  it('a repeated time (Santiago, 3 April 2027, the clock goes back at midnight) is its earlier occurrence', () => {
    expect(at(2027, 4, 3, 23, 30)).toEqual({ ok: true, at: Date.parse('2027-04-04T02:30:00Z'), ambiguous: true });
    expect(at(2027, 4, 3, 22, 30)).toEqual({ ok: true, at: Date.parse('2027-04-04T01:30:00Z'), ambiguous: false });
  });

  it('reads the repeated time the same whether the process started in December or in June', () => {
    const answers = [Date.parse('2026-12-15T12:00:00Z'), Date.parse('2027-06-15T12:00:00Z')].map((start) => {
      Settings.now = () => start;
      return at(2027, 4, 3, 23, 30);
    });
    expect(answers[0]).toEqual(answers[1]);
  });

  it('a skipped time (Santiago, 5 September 2027, 00:00 → 01:00) is refused, never moved', () => {
    expect(at(2027, 9, 5, 0, 30)).toEqual({ ok: false, code: 'skipped_time' });
    expect(at(2027, 9, 5, 1, 0)).toEqual({ ok: true, at: Date.parse('2027-09-05T04:00:00Z'), ambiguous: false });
    // Asunción and Mexico City's old rules behave the same way.
    expect(at(2024, 10, 6, 0, 15, 'America/Asuncion')).toEqual({ ok: false, code: 'skipped_time' });
  });

  it('a zone without daylight saving and a date that does not exist', () => {
    expect(at(2027, 4, 3, 23, 30, 'America/Lima')).toEqual({ ok: true, at: Date.parse('2027-04-04T04:30:00Z'), ambiguous: false });
    expect(at(2027, 2, 30, 10, 0)).toEqual({ ok: false, code: 'invalid_time' });
    expect(at(2027, 2, 3, 10, 0, 'Mars/Olympus')).toEqual({ ok: false, code: 'invalid_time' });
  });
});
