import { describe, expect, it } from 'vitest';
import { latestAnswers } from '../../src/renderer/src/api/useLatest';

// Which answer a screen may show when several cross on the way: never one older than what it already shows.
describe('answers that cross', () => {
  it('shows the answer of the request sent last, even when the one sent first arrives after it', () => {
    const latest = latestAnswers();
    const first = latest.ask();
    const second = latest.ask();
    expect(latest.answer(second)).toBe(true);
    expect(latest.answer(first)).toBe(false);
  });

  it('shows each answer that arrives in the order its request was sent', () => {
    const latest = latestAnswers();
    const first = latest.ask();
    const second = latest.ask();
    expect(latest.answer(first)).toBe(true);
    expect(latest.answer(second)).toBe(true);
  });

  it('drops an answer asked for before a pushed value arrived, and keeps one asked for after it', () => {
    const latest = latestAnswers();
    const before = latest.ask();
    latest.push();
    const after = latest.ask();
    expect(latest.answer(before)).toBe(false);
    expect(latest.answer(after)).toBe(true);
  });

  it('lets an answer win when nothing newer was shown meanwhile, however many pushes came before it was asked for', () => {
    const latest = latestAnswers();
    latest.push();
    latest.push();
    const asked = latest.ask();
    expect(latest.answer(asked)).toBe(true);
    // An answer is shown once: the same stamp again loses.
    expect(latest.answer(asked)).toBe(false);
  });

  it('keeps guards apart: one screen\'s answers do not outdate another\'s', () => {
    const a = latestAnswers();
    const b = latestAnswers();
    const askedA = a.ask();
    b.push();
    expect(a.answer(askedA)).toBe(true);
  });
});
