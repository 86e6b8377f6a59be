/** Runs fn at most once per ms, after the first call of a burst; cancel() drops a pending run (at stop). */
export function throttled(ms: number, fn: () => void): { (): void; cancel(): void } {
  let timer: NodeJS.Timeout | null = null;
  const run = (): void => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      fn();
    }, ms);
  };
  run.cancel = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return run;
}
