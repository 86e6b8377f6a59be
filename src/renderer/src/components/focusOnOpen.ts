import { useEffect, type RefObject } from 'react';

/** What a person opened by hand: a form (Nuevo mensaje, Nueva cita, Editar…) or a sub-form drawn inside one. */
const OPENED = 'form, [role="group"].subsection';
const FIELDS = 'input:not([type="hidden"]):not(:disabled), select:not(:disabled), textarea:not(:disabled)';
// A form that appears this long after a click was opened by it; later ones (data arriving) leave the focus alone.
const OPENED_BY_CLICK_MS = 1500;

interface Opener {
  element: HTMLElement;
  testId: string | null;
  at: number;
}

/** The opener, or, when the page drew it anew while the form was open, the control with the same test id. */
function stillThere(opener: Opener, host: HTMLElement): HTMLElement | null {
  if (opener.element.isConnected) return opener.element;
  return opener.testId ? host.querySelector<HTMLElement>(`[data-testid="${CSS.escape(opener.testId)}"]`) : null;
}

function focusIsLost(): boolean {
  const active = document.activeElement;
  return !active || active === document.body || !active.isConnected;
}

/**
 * Focus follows what a click opens, on every page: a form that appears takes the focus on its first field, and when it
 * closes the focus goes back to the button that opened it (or its new copy), instead of falling to the top of the
 * page where a keyboard or screen-reader user would have to find their place again.
 */
export function useFocusOnOpen(root: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const host = root.current;
    if (!host) return undefined;
    let lastClick: Opener | null = null;
    const openers = new Map<Element, Opener>();

    const onClick = (event: MouseEvent): void => {
      const target = (event.target as HTMLElement | null)?.closest<HTMLElement>('button, a, [role="button"]');
      // Tabs and section links change what the page shows; they open no form, and the focus stays on them.
      if (!target || target.matches('[role="tab"], [aria-current], nav *')) return;
      lastClick = { element: target, testId: target.getAttribute('data-testid'), at: Date.now() };
    };
    const opened = (form: Element): void => {
      if (!lastClick || Date.now() - lastClick.at > OPENED_BY_CLICK_MS || form.contains(lastClick.element)) return;
      // A form inside another one the person is filling in (the picker's "+ Registrar paciente") still gets the focus.
      const active = document.activeElement;
      if (active && form.contains(active)) return;
      // The page already placed the focus itself since the click (a section's heading, "Ir a Ajustes"): keep it there.
      if (active && active !== document.body && active !== lastClick.element && host.contains(active)) return;
      const field = form.querySelector<HTMLElement>(FIELDS);
      if (!field) return;
      openers.set(form, lastClick);
      field.focus();
    };
    const closed = (form: Element): void => {
      const opener = openers.get(form);
      openers.delete(form);
      if (!opener || !focusIsLost()) return;
      stillThere(opener, host)?.focus();
    };
    const each = (nodes: NodeList, visit: (form: Element) => void): void => {
      nodes.forEach((node) => {
        if (!(node instanceof Element)) return;
        if (node.matches(OPENED)) visit(node);
        node.querySelectorAll(OPENED).forEach(visit);
      });
    };
    const mutations = new MutationObserver((records) => {
      for (const r of records) each(r.removedNodes, closed);
      // The opener of a form that closed may come back in the same render: look for it once the DOM settled.
      const added: Element[] = [];
      for (const r of records) each(r.addedNodes, (form) => added.push(form));
      // One click opens one form; several at once are a page or a section being drawn, where the focus stays put.
      const outer = added.filter((form) => !added.some((other) => other !== form && other.contains(form)));
      if (outer.length === 1) opened(outer[0] as Element);
    });
    mutations.observe(host, { childList: true, subtree: true });
    host.addEventListener('click', onClick, true);
    return () => {
      mutations.disconnect();
      host.removeEventListener('click', onClick, true);
    };
  }, [root]);
}
