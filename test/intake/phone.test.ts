import { describe, expect, it } from 'vitest';
import { normalisePhone } from '../../src/main/core/intake/phone';

describe('normalisePhone', () => {
  it.each([
    ['987 654 321', 'PE', '+51987654321'],
    ['987-654-321', 'PE', '+51987654321'],
    ['+51 987 654 321', 'PE', '+51987654321'],
    ['0051987654321', 'PE', '+51987654321'],
    ['9 8765 4321', 'CL', '+56987654321'],
    ['+56 9 8765 4321', 'PE', '+56987654321'], // a foreign number keeps its own country
    ['+1 415 555 2671', 'PE', '+14155552671'],
    ['55 1234 5678', 'MX', '+525512345678'],
    ['300 123 4567', 'CO', '+573001234567'],
  ])('%s in %s → %s', (raw, country, e164) => {
    expect(normalisePhone(raw, country)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['01 234 5678', 'PE', 'not_mobile'], // Lima landline
    ['(044) 234567', 'PE', 'not_mobile'], // Trujillo landline
    ['abc', 'PE', 'invalid'],
    ['987 654', 'PE', 'invalid'],
    ['+51 123', 'PE', 'invalid'],
    ['', 'PE', 'empty'],
    ['   ', 'PE', 'empty'],
    [null, 'PE', 'empty'],
  ])('%s in %s is refused as %s', (raw, country, code) => {
    expect(normalisePhone(raw, country)).toEqual({ ok: false, code });
  });
});
