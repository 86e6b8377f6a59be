import type { HTMLAttributes, ReactNode } from 'react';

export type Tone = 'neutral' | 'info' | 'ok' | 'good' | 'warn' | 'bad' | 'muted' | 'read';

/**
 * A small coloured label; other attributes (title, data-*) go to the span. `mark` (e.g. WhatsApp's ticks) goes before
 * the words, hidden from screen readers: the words already say it, the mark only tells the states apart at a glance.
 */
export function Chip({
  tone,
  mark,
  children,
  className,
  ...rest
}: { tone: Tone; mark?: string; children: ReactNode } & HTMLAttributes<HTMLSpanElement>) {
  return (
    <span {...rest} className={className ? `chip chip-${tone} ${className}` : `chip chip-${tone}`}>
      {mark && (
        <span className="chip-mark" aria-hidden="true">
          {mark}
        </span>
      )}
      {children}
    </span>
  );
}
