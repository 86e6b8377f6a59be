import type { HTMLAttributes, ReactNode } from 'react';

export type Tone = 'neutral' | 'info' | 'ok' | 'good' | 'warn' | 'bad' | 'muted';

/** A small coloured label; other attributes (title, data-*) go to the span. */
export function Chip({
  tone,
  children,
  className,
  ...rest
}: { tone: Tone; children: ReactNode } & HTMLAttributes<HTMLSpanElement>) {
  return (
    <span {...rest} className={className ? `chip chip-${tone} ${className}` : `chip chip-${tone}`}>
      {children}
    </span>
  );
}
