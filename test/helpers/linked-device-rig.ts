/** A linked-device channel over a real SQLite file and outbox, driven through the Baileys fake. */
import { afterEach, expect } from 'vitest';
import type { InboundReply, OutgoingMessage, ProviderStatus, SendOutcome } from '../../src/main/core/channels/channel';
import { defaultBudget, type BudgetSettings } from '../../src/main/core/channels/linked-device/budget';
import { linkedDeviceChannel, type LinkedDeviceEvent } from '../../src/main/core/channels/linked-device/linked-device-channel';
import { eventBus } from '../../src/main/core/events';
import { createOutbox, type Outbox } from '../../src/main/core/outbox/outbox';
import type { SecretBox } from '../../src/main/core/secrets/secret-box';
import { openDatabase, type Db } from '../../src/main/core/store/db';
import { dispatchRowOf, getMessage } from '../../src/main/core/store/messages-repo';
import { fakeBaileys, type FakeSocket } from '../fakes/baileys-socket';
import { messageRecord } from './fixtures';
import { tempDir, testBox } from './temp';

export const CLINIC = '51911122233';
export const CLINIC_LID = '88112233445566';
export const PATIENT = '+51987654321';
export const PATIENT_JID = '51987654321@s.whatsapp.net';
export const PATIENT_LID = '77665544332211';
export const DAY = 86_400_000;

export interface RigOptions {
  dir?: string;
  box?: SecretBox;
  budget?: Partial<BudgetSettings>;
  now?: () => number;
  autoStart?: boolean;
  platform?: NodeJS.Platform;
  offlineMaxAgeMs?: number;
  backoffMs?: () => number;
  /** Another rig's fake, so a restart talks to the same WhatsApp. */
  fake?: ReturnType<typeof fakeBaileys>;
}

export type Rig = ReturnType<typeof rig>;
const open: { close(): void }[] = [];
afterEach(() => {
  for (const r of open.splice(0)) r.close();
});

export function rig(o: RigOptions = {}) {
  const dir = o.dir ?? tempDir();
  const db = openDatabase(dir);
  const clock = { t: Date.UTC(2025, 2, 3, 15, 0, 0) };
  const now = o.now ?? (() => clock.t);
  const outbox = createOutbox(db, eventBus(), now, () => 'es');
  const fake = o.fake ?? fakeBaileys();
  const events: LinkedDeviceEvent[] = [];
  const statuses: ProviderStatus[] = [];
  const replies: InboundReply[] = [];
  const budget: BudgetSettings = { ...defaultBudget, minGapMs: 0, maxGapMs: 0, ...o.budget };
  const channel = linkedDeviceChannel({
    db,
    box: o.box ?? testBox,
    listeners: {
      status: (s) => {
        statuses.push(s);
        outbox.applyProviderStatus(s);
      },
      reply: (r) => {
        replies.push(r);
        outbox.recordReply(r);
      },
    },
    makeSocket: fake.factory,
    now,
    language: () => 'es',
    budget: () => budget,
    dayOf: (at) => new Date(at).toISOString().slice(0, 10),
    nextDayStart: (at) => Math.floor(at / DAY) * DAY + DAY,
    backoffMs: o.backoffMs ?? (() => 5),
    onEvent: (e) => events.push(e),
    autoStart: o.autoStart,
    ...(o.platform ? { platform: o.platform } : {}),
    ...(o.offlineMaxAgeMs !== undefined ? { offlineMaxAgeMs: () => o.offlineMaxAgeMs ?? 0 } : {}),
  });
  const r = {
    dir,
    db,
    clock,
    outbox,
    fake,
    channel,
    events,
    statuses,
    replies,
    budget,
    close() {
      channel.close();
      if (db.open) db.close();
    },
  };
  open.push(r);
  return r;
}

export function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - start > timeoutMs) return reject(new Error('timed out waiting'));
      setTimeout(tick, 2);
    };
    tick();
  });
}

export const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Links the clinic's phone through a QR, as a receptionist would, and waits for the connection to open. */
export async function linked(r: Rig): Promise<FakeSocket> {
  r.channel.link({ method: 'qr' });
  const first = await r.fake.opened(1);
  first.showQr();
  await first.pair(CLINIC, CLINIC_LID);
  // 515 after pairing: a new socket at once, with the new credentials.
  const second = await r.fake.opened(2);
  second.open();
  await until(() => r.channel.view().connection.state === 'open');
  return second;
}

let seq = 0;
export function enqueue(r: Rig, overrides: Partial<Parameters<Outbox['enqueue']>[0]> = {}): number {
  seq += 1;
  return r.outbox.enqueue(messageRecord({ idempotencyKey: `t:${seq}`, channel: 'linked-device', toPhone: PATIENT, ...overrides })).message.id;
}

/** What the dispatcher does around a send: `sending` before, the outcome after. */
export async function dispatch(r: Rig, id: number): Promise<SendOutcome> {
  expect(r.outbox.move(id, 'sending', { countAttempt: true })).toBe(true);
  const row = dispatchRowOf(r.db, id);
  if (!row) throw new Error('no row');
  const message: OutgoingMessage = { ...row };
  const outcome = await r.channel.send(message);
  if (outcome.ok) r.outbox.move(id, 'sent', { providerId: outcome.providerId });
  else if (outcome.failure === 'permanent') r.outbox.move(id, 'failed', { errorCode: outcome.code, errorReason: outcome.reason });
  else if (outcome.failure !== 'ambiguous') r.outbox.move(id, 'queued', { errorCode: outcome.code, errorReason: outcome.reason });
  return outcome;
}

export const stateOf = (r: Rig, id: number) => getMessage(r.db, id)?.state;
export const count = (db: Db, sql: string) => (db.prepare(sql).get() as { n: number }).n;

