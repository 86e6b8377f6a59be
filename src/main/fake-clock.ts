// A clock for demonstrations and end-to-end tests in server mode: AVISA_FAKE_NOW="2027-03-10T14:55:00-05:00" starts
// the app's clock at that instant, and it runs on at real speed from there (timers, pacing and retries behave as
// usual). It is accepted only together with --demo; without it the server refuses to start rather than run a clinic
// on a made-up time. The desktop app never reads it.

export type ClockChoice =
  | { ok: true; now: () => number; /** For the log: the clock is not the real one. */ note: string | null }
  | { ok: false; reason: string };

// An explicit offset or Z: a fake "now" must name one instant wherever the server runs.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export function chooseClock(fakeNow: string | undefined, demo: boolean, realNow: () => number = Date.now): ClockChoice {
  if (fakeNow === undefined || fakeNow === '') return { ok: true, now: realNow, note: null };
  if (!demo) {
    return {
      ok: false,
      reason:
        'AVISA_FAKE_NOW solo se acepta junto con --demo (demostraciones y pruebas); quítelo para usar Avisa con la hora real. / ' +
        'AVISA_FAKE_NOW is only accepted together with --demo (demos and tests); remove it to run Avisa on the real time.',
    };
  }
  const start = INSTANT.test(fakeNow) ? Date.parse(fakeNow) : Number.NaN;
  if (!Number.isFinite(start)) {
    return {
      ok: false,
      reason: `AVISA_FAKE_NOW no es un instante ISO con zona (p. ej. 2027-03-10T14:55:00-05:00): "${fakeNow}". / AVISA_FAKE_NOW is not an ISO instant with an offset: "${fakeNow}".`,
    };
  }
  const startedAt = realNow();
  return {
    ok: true,
    now: () => start + (realNow() - startedAt),
    note: `Reloj simulado desde / fake clock from ${new Date(start).toISOString()} (--demo)`,
  };
}
