import type { Page } from 'playwright-core';

// Before a page is measured or checked: what it is still animating (a hover or focus background fading in) would be
// read half-way. A finite animation or transition that is still running is the page not yet at rest; an endless one
// (a spinner) never settles and is not waited for.

/** Resolves once no finite CSS animation or transition is running in the page. */
export async function animationsSettled(page: Page, timeout = 10_000): Promise<void> {
  await page.waitForFunction(
    () =>
      document
        .getAnimations()
        .every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
    undefined,
    { timeout },
  );
}
