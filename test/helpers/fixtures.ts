import type { MessageRecord } from '../../src/main/core/store/messages-repo';
import type { SetupInput } from '../../src/shared/api';

export function messageRecord(overrides: Partial<MessageRecord> = {}): MessageRecord {
  return {
    kind: 'reminder',
    idempotencyKey: `reminder:1:24h`,
    patientId: null,
    siteId: null,
    serviceId: null,
    appointmentId: null,
    resultId: null,
    resendOf: null,
    channel: 'demo',
    toPhone: '+51987654321',
    templateName: null,
    templateParams: [],
    body: 'Hola',
    priority: 5,
    notBefore: 0,
    ...overrides,
  };
}

/** The clinic most tests set up: one site in Lima, one service, sending through the Cloud API. */
export function oneSiteClinic(overrides: Partial<SetupInput> = {}): SetupInput {
  return {
    clinicName: 'Clínica Prueba',
    sites: [{ name: 'Sede Centro', country: 'PE', timeZone: 'America/Lima' }],
    services: [{ name: 'Laboratorio' }],
    channel: 'cloud-api',
    ...overrides,
  };
}
