import { useEffect, useRef } from 'react';

/**
 * The button that opened a question under its row: when the question goes without an answer that removes the button,
 * the focus comes back to it, not to the page's top where a keyboard or screen-reader user would lose their place.
 */
export function useFocusBack(open: boolean) {
  const button = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(open);
  useEffect(() => {
    if (wasOpen.current && !open) button.current?.focus();
    wasOpen.current = open;
  }, [open]);
  return button;
}
