import type { ReactNode } from 'react';

export type Tone = 'neutral' | 'info' | 'ok' | 'good' | 'warn' | 'bad' | 'muted';

export function Chip({ tone, children }: { tone: Tone; children: ReactNode }) {
  return <span className={`chip chip-${tone}`}>{children}</span>;
}
