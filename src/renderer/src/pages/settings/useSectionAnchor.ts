import { useEffect, useRef } from 'react';
import { useNav, type SettingsSection } from '../../nav';

/**
 * Ajustes opened for this section (from a banner or a "fix it" button): it scrolls into view and its heading takes
 * the focus, so a screen reader says where the person landed and Tab continues from the fix.
 */
export function useSectionAnchor<T extends HTMLElement>(section: SettingsSection, ready = true) {
  const { current } = useNav();
  const ref = useRef<T>(null);
  // `ready`: a section that shows a placeholder while it loads is anchored once its own heading is there.
  useEffect(() => {
    const box = ref.current;
    if (current.section !== section || !box || !ready) return;
    const heading = box.querySelector<HTMLElement>('h2, h3') ?? box;
    if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1;
    box.scrollIntoView({ block: 'start' });
    heading.focus({ preventScroll: true });
  }, [current.section, section, ready]);
  return ref;
}
