import { describe, expect, it } from 'vitest';
import type { Channel, OutgoingMessage } from '../../src/main/core/channels/channel';
import { businessMessageGate } from '../../src/main/core/campaigns/send-gate';
import { createCampaigns } from '../../src/main/core/campaigns/campaigns';
import { eventBus } from '../../src/main/core/events';
import { registerPatient } from '../../src/main/core/intake/patients';
import { createDispatcher, throughOneChannel } from '../../src/main/core/outbox/dispatcher';
import { createOutbox } from '../../src/main/core/outbox/outbox';
import { insertSite } from '../../src/main/core/store/clinic-repo';
import { openDatabase } from '../../src/main/core/store/db';
import { getMessage } from '../../src/main/core/store/messages-repo';
import { setPatientConsent } from '../../src/main/core/store/consent-repo';
import { messageRecord } from '../helpers/fixtures';
import { tempDir } from '../helpers/temp';

function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - start > timeoutMs) return reject(new Error('timed out'));
      setTimeout(tick, 5);
    };
    tick();
  });
}

/** A clinic store with opted-in patients, the real outbox, campaigns and dispatcher, and a channel that records. */
function rig(o: { patients: number; maxPerSecond: number; onSend?: (m: OutgoingMessage, n: number) => void }) {
  const db = openDatabase(tempDir());
  const outbox = createOutbox(db, eventBus(), Date.now, () => 'es');
  const site = insertSite(db, { name: 'Sede Centro', country: 'PE', timeZone: 'America/Lima' }, Date.now());
  const patients = Array.from({ length: o.patients }, (_, i) =>
    registerPatient(
      db,
      {
        firstNames: `Paciente${i}`,
        lastNames: 'Prueba',
        documentType: 'DNI',
        documentNumber: String(50_000_000 + i),
        phone: `9${String(20_000_000 + i)}`,
        siteId: site.id,
        consent: true,
      },
      { at: Date.now(), language: 'es', defaultCountry: 'PE' },
    ),
  );
  const sent: OutgoingMessage[] = [];
  const channel: Channel = {
    id: 'demo',
    recipientGapMs: 0,
    async send(m) {
      sent.push(m);
      o.onSend?.(m, sent.length);
      await new Promise((r) => setTimeout(r, 2));
      return { ok: true, providerId: `p.${m.id}` };
    },
    close: () => undefined,
  };
  const dispatcher = createDispatcher({
    db,
    outbox,
    ...throughOneChannel(() => channel),
    isPaused: () => false,
    now: Date.now,
    maxPerSecond: () => o.maxPerSecond,
    dailyCap: () => 0,
    dayOf: (at) => new Date(at).toISOString().slice(0, 10),
    nextDayStart: (at) => at + 86_400_000,
    maxInFlight: 4,
    maxAttempts: 3,
    backoffMs: () => 20,
    onAccountProblem: () => undefined,
    gate: businessMessageGate(db, () => 'es'),
  });
  const campaigns = createCampaigns({
    db,
    outbox,
    now: Date.now,
    language: () => 'es',
    channel: () => 'demo',
    timeZone: () => 'America/Lima',
    templateLanguage: () => 'es',
  });
  return { db, outbox, dispatcher, campaigns, patients, sent };
}

describe('campaigns beside clinical messages', () => {
  it('a campaign of hundreds never delays a reminder that is due: it leaves first, or within the pace in flight', async () => {
    const r = rig({ patients: 300, maxPerSecond: 400 });
    const c = r.campaigns.create(
      { name: 'Chequeo anual', segment: {}, templateName: null, templateParams: [], body: 'Hola {nombre}', maxPerMinute: 1000, maxPerHour: 10_000 },
      'usuario',
    );
    const first = r.outbox.enqueue(messageRecord({ idempotencyKey: 'reminder:1:24h', priority: 1, notBefore: Date.now() })).message;
    r.campaigns.schedule(c.id, null, 'usuario');
    r.dispatcher.wake();
    await until(() => r.sent.length >= 40);
    // Due together: the reminder went before any campaign message.
    expect(r.sent[0]?.id).toBe(first.id);

    // Due while the campaign is going out: it overtakes the rest of the batch.
    const sentBefore = r.sent.length;
    const late = r.outbox.enqueue(messageRecord({ idempotencyKey: 'reminder:2:2h', priority: 1, notBefore: Date.now() })).message;
    r.dispatcher.wake();
    await until(() => r.sent.some((m) => m.id === late.id));
    const position = r.sent.findIndex((m) => m.id === late.id);
    // At most the sends already in flight (4) and the one already past the check went before it.
    expect(position - sentBefore).toBeLessThanOrEqual(5);
    expect(r.sent.filter((m) => m.kind === 'campaign').length).toBeLessThan(300);
    await until(() => r.sent.length === 302);
    expect(getMessage(r.db, late.id)?.state).toBe('sent');
    await r.dispatcher.stop();
  }, 60_000);

  it('keeps a campaign to its throttle per minute', async () => {
    const r = rig({ patients: 12, maxPerSecond: 0 });
    const c = r.campaigns.create(
      { name: 'Vacunas', segment: {}, templateName: null, templateParams: [], body: 'Hola', maxPerMinute: 5 },
      'usuario',
    );
    r.campaigns.schedule(c.id, null, 'usuario');
    r.dispatcher.wake();
    await until(() => r.sent.length === 5);
    // A reminder still goes at once.
    const reminder = r.outbox.enqueue(messageRecord({ idempotencyKey: 'reminder:9:2h', priority: 1, notBefore: Date.now() })).message;
    r.dispatcher.wake();
    await until(() => r.sent.some((m) => m.id === reminder.id));
    // Stopping waits for the pass under way and what it has in flight: the other seven wait, still queued, for the
    // minute to open again.
    await r.dispatcher.stop();
    expect(r.sent.filter((m) => m.id !== reminder.id)).toHaveLength(5);
    expect(r.campaigns.get(c.id).metrics).toMatchObject({ targeted: 12, sent: 5, queued: 7 });
  });

  it('asks for consent again as each message leaves: an opt-out recorded mid-campaign stops the rest for that patient', async () => {
    let target = 0;
    const r = rig({
      patients: 8,
      maxPerSecond: 20,
      // While the third message is on its way, the fifth patient's opt-out lands in the store (by a path that does
      // not touch the queue): only the check at the moment of sending can stop their message now.
      onSend: (_m, n) => {
        if (n === 3) setPatientConsent(r.db, target, { status: 'opted_out', source: 'patient_message', actor: 'patient' }, Date.now());
      },
    });
    target = r.patients[4]!.id;
    const c = r.campaigns.create({ name: 'Promo', segment: {}, templateName: null, templateParams: [], body: 'Hola' }, 'usuario');
    r.campaigns.schedule(c.id, null, 'usuario');
    r.dispatcher.wake();
    await until(() => r.campaigns.get(c.id).metrics.queued === 0);
    const targetPhone = r.patients[4]!.phoneE164;
    expect(r.sent.map((m) => m.toPhone)).not.toContain(targetPhone);
    expect(r.sent.length).toBe(7);
    const metrics = r.campaigns.get(c.id).metrics;
    expect(metrics).toMatchObject({ targeted: 8, sent: 7, cancelled: 1 });
    await r.dispatcher.stop();
  });
});
