import { afterEach, describe, expect, it } from 'vitest';
import type { AvisaCore } from '../../src/main/core/app';
import { demoSetup, startCore } from '../helpers/core';

const cores: AvisaCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
});

describe('demo clinic reminders', () => {
  it('come from the real planner only: 24 h and 2 h slots by the rules, no reminders of its own', async () => {
    const { core, call } = await startCore();
    cores.push(core);
    await call('setup.complete', demoSetup);
    const now = Date.now();
    const day = await call('appointments.day', { from: now - 86_400_000, to: now + 6 * 86_400_000 });
    expect(day.appointments.length).toBeGreaterThan(20);
    expect(day.reminders.length).toBeGreaterThan(10);
    expect(new Set(day.reminders.map((r) => r.ruleKey))).toEqual(new Set(['24h', '2h']));
    const reminders = await call('messages.list', { limit: 500 });
    const keys = reminders.rows.filter((m) => m.kind === 'reminder').map((m) => m.idempotencyKey);
    expect(keys.length).toBe(day.reminders.length);
    for (const key of keys) expect(key).toMatch(/^reminder:\d+:(24h|2h)$/);
    // None goes at night: each one's moment is outside the default quiet hours in Lima (21:00–07:00, UTC−5).
    for (const r of day.reminders) {
      const hour = new Date(r.notBefore - 5 * 3_600_000).getUTCHours();
      expect(hour >= 7 && hour < 21).toBe(true);
    }
  });
});
