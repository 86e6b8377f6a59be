import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { messageMark, messageTone } from '../../src/renderer/src/components/tones';

// Comments out first: they contain commas and colons of their own.
const css = readFileSync(new URL('../../src/renderer/src/styles.css', import.meta.url), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
const chipSource = readFileSync(new URL('../../src/renderer/src/components/Chip.tsx', import.meta.url), 'utf8');

/** The declarations of the first rule whose selector list contains `selector` exactly. */
function declarations(selector: string): Record<string, string> {
  for (const match of css.matchAll(/([^{}]+)\{([^}]*)\}/g)) {
    const selectors = (match[1] ?? '').split(',').map((s) => s.trim());
    if (!selectors.includes(selector)) continue;
    const out: Record<string, string> = {};
    for (const line of (match[2] ?? '').split(';')) {
      const [name, ...value] = line.split(':');
      if (name && value.length) out[name.trim()] = value.join(':').trim();
    }
    return out;
  }
  throw new Error(`no rule for ${selector} in styles.css`);
}

const root = declarations(':root');
const resolve = (value: string): string => value.replace(/var\((--[\w-]+)\)/g, (_, name: string) => root[name] ?? name);

function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const tones = [...(/export type Tone =([^;]+);/.exec(chipSource)?.[1] ?? '').matchAll(/'(\w+)'/g)].map((m) => m[1] as string);

describe('status chips read at WCAG AA (4.5:1) on their own background', () => {
  it('knows every tone the Chip component offers', () => {
    expect(tones).toEqual(expect.arrayContaining(['neutral', 'info', 'ok', 'good', 'warn', 'bad', 'muted', 'read']));
  });

  it.each(tones)('chip-%s', (tone) => {
    const rule = declarations(`.chip-${tone}`);
    const fg = resolve(rule.color ?? '');
    const bg = resolve(rule.background ?? '');
    expect(fg).toMatch(/^#[0-9a-f]{6}$/i);
    expect(bg).toMatch(/^#[0-9a-f]{6}$/i);
    expect(contrast(fg, bg)).toBeGreaterThanOrEqual(4.5);
  });

  it('muted text reads at 4.5:1 on the page, on cards and on a neutral chip', () => {
    const muted = resolve('var(--muted)');
    for (const bg of [resolve('var(--bg)'), resolve('var(--surface)'), resolve(declarations('.chip-neutral').background ?? '')]) {
      expect(contrast(muted, bg)).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe('Leído stands apart from Entregado', () => {
  it('in colour: WhatsApp blue for read, another tone for delivered', () => {
    expect(messageTone.read).toBe('read');
    expect(messageTone.delivered).not.toBe('read');
    expect(resolve(declarations('.chip-read').color ?? '')).not.toBe(resolve(declarations(`.chip-${messageTone.delivered}`).color ?? ''));
    expect(resolve('var(--read-tick)').toLowerCase()).toBe('#53bdeb');
  });

  it('and not by colour alone: the read chip has an outline, and both carry the ticks a WhatsApp user knows', () => {
    expect(declarations('.chip-read')['box-shadow']).toContain('var(--read-tick)');
    expect(declarations(`.chip-${messageTone.delivered}`)['box-shadow']).toBeUndefined();
    expect(messageMark.delivered).toBe('✓✓');
    expect(messageMark.read).toBe('✓✓');
    expect(messageMark.sent).toBe('✓');
  });
});
