import { afterEach, describe, expect, it } from 'vitest';
import { searchTerms } from '../../src/main/core/store/search-text';
import { demoSetup, startCore } from '../helpers/core';

// Search as people type: no accents, any case, phones and documents with spaces, dashes or the country prefix.

let stop: (() => Promise<void>) | null = null;
afterEach(async () => {
  await stop?.();
  stop = null;
});

async function clinicWithPatients() {
  const { core, call } = await startCore();
  stop = () => core.stop();
  await call('setup.complete', { ...demoSetup, channel: 'cloud-api' });
  const add = (firstNames: string, lastNames: string, documentNumber: string, phone: string) =>
    call('patients.create', { firstNames, lastNames, documentType: 'DNI', documentNumber, phone, consent: true });
  const huaman = await add('José', 'Huamán Quispe', '45871236', '987 654 321');
  await add('Lucía', 'Chávez Rojas', '40112233', '+51 912 345 678');
  await add('Ángel', 'Cárdenas Ñique', '70990011', '955-000-111');
  return { call, huaman };
}

describe('search like people type', () => {
  it('finds names without accents or case, phones and documents with spaces, dashes or +51, and sorts by letters', async () => {
    const { call, huaman } = await clinicWithPatients();
    const names = async (search: string) =>
      (await call('patients.list', { search })).rows.map((p) => p.lastNames);

    expect(await names('huaman')).toEqual(['Huamán Quispe']);
    expect(await names('JOSE HUAMAN')).toEqual(['Huamán Quispe']);
    expect(await names('huaman jose')).toEqual(['Huamán Quispe']);
    // Typed without the tilde, "ñ" is an "n" as on any keyboard without it.
    expect(await names('cardenas nique')).toEqual(['Cárdenas Ñique']);
    expect(await names('CÁRDENAS ñique')).toEqual(['Cárdenas Ñique']);
    expect(await names('angel')).toEqual(['Cárdenas Ñique']);
    expect(await names('987-654-321')).toEqual(['Huamán Quispe']);
    expect(await names('+51 987 654 321')).toEqual(['Huamán Quispe']);
    expect(await names('51912345678')).toEqual(['Chávez Rojas']);
    expect(await names('45 871 236')).toEqual(['Huamán Quispe']);
    expect(await names('%')).toEqual([]); // a wildcard typed by a person is a character, not "everything"

    // Cárdenas before Chávez, as in a printed list (a byte sort puts "Ch" before "Cá").
    expect((await call('patients.list', {})).rows.map((p) => p.lastNames)).toEqual([
      'Cárdenas Ñique',
      'Chávez Rojas',
      'Huamán Quispe',
    ]);

    // Mensajes: by name without accents, by document number, by phone as typed.
    await call('messages.send', { patientId: huaman.id, mode: 'text', text: 'Hola' });
    const found = async (search: string) => (await call('messages.list', { search })).rows.length;
    expect(await found('huaman')).toBe(1);
    expect(await found('45871236')).toBe(1);
    expect(await found('987 654 321')).toBe(1);
    expect(await found('chavez')).toBe(0);
  });

  it('treats a search as a number only when it is mostly digits', () => {
    expect(searchTerms('987 654 321').digits).toBe('%987654321%');
    expect(searchTerms('DNI 45871236').digits).toBe('%45871236%');
    expect(searchTerms('Rosa 2').digits).toBeNull();
    expect(searchTerms('Huamán').like).toBe('%huaman%');
  });
});
