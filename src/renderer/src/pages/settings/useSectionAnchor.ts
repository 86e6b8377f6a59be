import { useEffect, useRef } from 'react';
import { useNav, type SettingsSection } from '../../nav';

/** Ajustes opened for this section (from a banner or a "fix it" button): it scrolls into view and takes the focus. */
export function useSectionAnchor<T extends HTMLElement>(section: SettingsSection) {
  const { current } = useNav();
  const ref = useRef<T>(null);
  useEffect(() => {
    if (current.section !== section || !ref.current) return;
    ref.current.scrollIntoView({ block: 'start' });
    ref.current.focus({ preventScroll: true });
  }, [current.section, section]);
  return ref;
}
