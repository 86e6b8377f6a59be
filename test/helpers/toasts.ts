import type { Page } from 'playwright-core';

/**
 * Every note (toast) the page shows, in the order they appeared, with the text each had when it appeared.
 *
 * A "done" note closes itself after 4 s: a test that looks for it on screen misses it whenever the machine is busy
 * enough to hold the test back that long. Recorded as they appear, the notes can be asserted at any pace.
 */
export interface ToastLog {
  /** The texts of the notes shown so far (innerText, as a person reads it), oldest first. */
  texts(): Promise<string[]>;
  /** The text of the latest note shown, or '' before any. */
  last(): Promise<string>;
}

declare global {
  interface Window {
    __toastsSeen?: string[];
  }
}

// Runs in the page: watches for note elements being added anywhere in the document.
function watchToasts(): void {
  if (window.__toastsSeen) return;
  const seen: string[] = [];
  window.__toastsSeen = seen;
  const record = (node: Node): void => {
    if (!(node instanceof HTMLElement)) return;
    const notes = node.matches('[data-testid="toast"]') ? [node] : [...node.querySelectorAll<HTMLElement>('[data-testid="toast"]')];
    for (const note of notes) seen.push(note.innerText);
  };
  new MutationObserver((changes) => {
    for (const change of changes) change.addedNodes.forEach(record);
  }).observe(document, { childList: true, subtree: true });
}

/** Starts recording the page's notes: now, and on every page it loads from here on. Call it before the action. */
export async function recordToasts(page: Page): Promise<ToastLog> {
  await page.addInitScript(watchToasts);
  await page.evaluate(watchToasts);
  const texts = (): Promise<string[]> => page.evaluate(() => [...(window.__toastsSeen ?? [])]);
  return { texts, last: async () => (await texts()).at(-1) ?? '' };
}
