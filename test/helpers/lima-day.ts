// Lima is UTC−5 all year (no daylight saving), so its wall-clock times convert by hand.
export const LIMA = 'America/Lima';
const LIMA_OFFSET_H = 5;

/** The calendar day `YYYY-MM-DD` an instant falls on in Lima. */
export function limaDayOf(at: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: LIMA, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

export interface LimaDay {
  /** `YYYY-MM-DD`, as a date field takes it. */
  iso: string;
  /** `DD/MM/YYYY`, as a clinic's spreadsheet writes it. */
  dmy: string;
  y: number;
  m: number;
  d: number;
  /** The instant of a Lima wall-clock time on this day. */
  at(h: number, min: number): number;
  /** An HL7 TS (`YYYYMMDDHHMMSS`) of a Lima wall-clock time `HHMM` on this day. */
  hl7(hhmm: string): string;
}

/** The day `days` after Lima's today. */
export function limaDay(days: number): LimaDay {
  const [y0, m0, d0] = limaDayOf(Date.now()).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y0, m0 - 1, d0 + days));
  const iso = day.toISOString().slice(0, 10);
  const [yy, mm, dd] = iso.split('-');
  const [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
  return {
    iso,
    dmy: `${dd}/${mm}/${yy}`,
    y,
    m,
    d,
    at: (h, min) => Date.UTC(y, m - 1, d, h + LIMA_OFFSET_H, min),
    hl7: (hhmm) => `${iso.replaceAll('-', '')}${hhmm}00`,
  };
}
