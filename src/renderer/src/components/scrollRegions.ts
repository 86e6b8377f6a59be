import { useEffect, type RefObject } from 'react';

const SCROLLERS = '.card.flush, .table-scroll';

/** Names the region after the heading of its card or page, so a screen reader says what scrolls. */
function regionName(el: HTMLElement): string | null {
  const card = el.closest('.card');
  const heading = card?.querySelector('h2, h3, h4') ?? el.closest('.page')?.querySelector('h2');
  return heading?.textContent?.trim() || null;
}

function mark(el: HTMLElement): void {
  const scrolls = el.scrollWidth > el.clientWidth + 1;
  if (scrolls && el.tabIndex < 0) {
    // A table wider than its card scrolls inside it: the keyboard must reach that scroll too (WCAG 2.1.1).
    el.tabIndex = 0;
    el.setAttribute('role', 'region');
    const name = regionName(el);
    if (name) el.setAttribute('aria-label', name);
    el.dataset.scrollRegion = 'on';
  } else if (!scrolls && el.dataset.scrollRegion === 'on') {
    el.removeAttribute('tabindex');
    el.removeAttribute('role');
    el.removeAttribute('aria-label');
    delete el.dataset.scrollRegion;
  }
}

/**
 * Every card whose table scrolls sideways inside `root` becomes a focusable, named region while it scrolls, whatever
 * page drew it; checked again when the page changes or the window is resized.
 */
export function useScrollRegions(root: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const host = root.current;
    if (!host) return undefined;
    let pending = 0;
    const scan = (): void => {
      pending = 0;
      host.querySelectorAll<HTMLElement>(SCROLLERS).forEach(mark);
    };
    const later = (): void => {
      if (!pending) pending = window.requestAnimationFrame(scan);
    };
    const mutations = new MutationObserver(later);
    mutations.observe(host, { childList: true, subtree: true, characterData: true });
    window.addEventListener('resize', later);
    scan();
    return () => {
      mutations.disconnect();
      window.removeEventListener('resize', later);
      if (pending) window.cancelAnimationFrame(pending);
    };
  }, [root]);
}
