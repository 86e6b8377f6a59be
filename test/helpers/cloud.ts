import { startFakeGraph, type FakeGraphOptions, type FakeTemplate } from '../fakes/graph-api';
import type { AppOptions } from '../../src/main/core/app-types';
import type { ArgsOf, HandlerName, ResultOf } from '../../src/shared/api';
import type { SettingsPatch } from '../../src/shared/settings';
import { startCore } from './core';
import { tempDir } from './temp';
import { oneSiteClinic } from './fixtures';

export const TOKEN = 'EAAtest-token';
export const APP_SECRET = 'app-secret-for-tests';
export const VERIFY_TOKEN = 'verify-me';

export const templates: FakeTemplate[] = [
  {
    name: 'resultado_listo',
    language: 'es',
    status: 'APPROVED',
    category: 'UTILITY',
    components: [
      { type: 'HEADER', format: 'DOCUMENT' },
      { type: 'BODY', text: 'Hola {{1}}, su resultado de {{2}} está listo.' },
    ],
  },
  {
    name: 'documento_clinica',
    language: 'es',
    status: 'APPROVED',
    category: 'UTILITY',
    components: [
      { type: 'HEADER', format: 'DOCUMENT' },
      { type: 'BODY', text: 'Hola, le enviamos este documento de la clínica: {{1}}' },
    ],
  },
  { name: 'aviso_clinica', language: 'es', status: 'APPROVED', category: 'UTILITY', components: [{ type: 'BODY', text: '{{1}}' }] },
  {
    name: 'recordatorio_cita',
    language: 'es',
    status: 'APPROVED',
    category: 'UTILITY',
    components: [
      { type: 'BODY', text: 'Hola {{1}}, le recordamos su cita de {{2}} en {{3}} el {{4}}.' },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'QUICK_REPLY', text: 'Confirmar' },
          { type: 'QUICK_REPLY', text: 'Reprogramar' },
          { type: 'QUICK_REPLY', text: 'Cancelar' },
        ],
      },
    ],
  },
  { name: 'promo_pausada', language: 'es', status: 'PAUSED', category: 'MARKETING', components: [{ type: 'BODY', text: 'Hola {{1}}' }] },
];

type Call = <N extends HandlerName>(name: N, args: ArgsOf<N>) => Promise<ResultOf<N>>;

/** Points Avisa's Cloud API settings and secrets at the fake Graph API (no spacing between messages to one number). */
export async function connectCloudApi(call: Call, fakeUrl: string, cloudApi: SettingsPatch['cloudApi'] = {}): Promise<void> {
  await call('settings.update', {
    cloudApi: { baseUrl: fakeUrl, phoneNumberId: '1055', wabaId: '2001', recipientGapMs: 0, ...cloudApi },
  });
  await call('secrets.set', { name: 'cloudApi.accessToken', value: TOKEN });
  await call('secrets.set', { name: 'cloudApi.appSecret', value: APP_SECRET });
  await call('secrets.set', { name: 'cloudApi.verifyToken', value: VERIFY_TOKEN });
}

/** A clinic on the Cloud API channel, talking to the fake Graph API, with webhooks wired back to it. */
export async function cloudRig(fakeOptions: Partial<FakeGraphOptions> = {}, appOptions: Partial<AppOptions> = {}, dataDir = tempDir()) {
  const fake = await startFakeGraph({
    accessToken: TOKEN,
    appSecret: APP_SECRET,
    phoneNumberId: '1055',
    wabaId: '2001',
    templates,
    // Statuses only when a test asks for them, so each test sees exactly the webhooks it arranged.
    autoStatuses: false,
    ...fakeOptions,
  });
  const { core, call } = await startCore(dataDir, appOptions);
  if (!core.status().setupComplete) {
    await call('setup.complete', oneSiteClinic());
    await connectCloudApi(call, fake.url, { maxPerSecond: 1000 });
  }
  const webhookUrl = `http://127.0.0.1:${core.status().webhook?.port}/webhook`;
  fake.setWebhookUrl(webhookUrl);

  let n = 0;
  // Documents count on from the patients already stored (a rig may reopen a folder), so no two ever collide.
  let document = 70_000_000 + (await call('patients.list', { limit: 1 })).total;
  const patient = (phone = `9${String(10_000_000 + n++).padStart(8, '0')}`) =>
    call('patients.create', {
      firstNames: 'Ana',
      lastNames: `Quispe ${n}`,
      documentType: 'DNI',
      documentNumber: String(document++),
      phone,
      consent: true,
    });

  return {
    fake,
    core,
    call,
    dataDir,
    webhookUrl,
    patient,
    async close() {
      await core.stop();
      await fake.close();
    },
  };
}
