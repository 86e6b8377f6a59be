import type { MessageRecord } from '../../src/main/core/store/messages-repo';

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
