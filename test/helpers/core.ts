import { createApp } from '../../src/main/core/app';
import type { AppOptions } from '../../src/main/core/app-types';
import type { ArgsOf, HandlerName, ResultOf } from '../../src/shared/api';
import { tempDir, testBox } from './temp';

export async function startCore(dataDir = tempDir(), options: Partial<AppOptions> = {}) {
  const core = createApp({ dataDir, secretBox: testBox, mode: 'server', webhookPort: 0, retryBaseMs: 50, ...options });
  await core.start();
  const call = async <N extends HandlerName>(name: N, args: ArgsOf<N>): Promise<ResultOf<N>> => {
    const response = await core.invoke(name, args);
    if (!response.ok) throw new Error(`${response.error.code}: ${response.error.message}`);
    return response.result as ResultOf<N>;
  };
  return { core, call, dataDir };
}

export const demoSetup = {
  clinicName: 'Clínica San Martín',
  sites: [
    { name: 'Sede Miraflores', country: 'PE', timeZone: 'America/Lima' },
    { name: 'Sede San Isidro', country: 'PE', timeZone: 'America/Lima' },
  ],
  services: [{ name: 'Laboratorio' }, { name: 'Imágenes' }, { name: 'Consulta externa' }],
  channel: 'demo' as const,
};
