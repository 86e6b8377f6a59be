import { describe, expect, it } from 'vitest';
import type { MessageState } from '../../src/shared/domain';
import { canMove, impliedStates, messageStates } from '../../src/main/core/outbox/state-machine';
import { createOutbox } from '../../src/main/core/outbox/outbox';
import { eventBus } from '../../src/main/core/events';
import { openDatabase } from '../../src/main/core/store/db';
import { getMessage } from '../../src/main/core/store/messages-repo';
import { verifyAudit } from '../../src/main/core/audit/audit-log';
import { messageRecord } from '../helpers/fixtures';
import { tempDir } from '../helpers/temp';

const allowed = new Set([
  'queued>sending',
  'queued>cancelled',
  'queued>expired',
  'queued>failed',
  'sending>queued',
  'sending>sent',
  'sending>delivered',
  'sending>read',
  'sending>failed',
  'sent>delivered',
  'sent>read',
  'sent>failed',
  'delivered>read',
  'sending>unknown',
  'unknown>sent',
  'unknown>delivered',
  'unknown>read',
  'unknown>failed',
]);

const pairs = messageStates.flatMap((from) => messageStates.map((to) => [from, to] as [MessageState, MessageState]));

describe('message state machine', () => {
  it.each(pairs)('%s → %s', (from, to) => {
    expect(canMove(from, to)).toBe(allowed.has(`${from}>${to}`));
  });

  it('never moves a delivery status back', () => {
    expect(canMove('read', 'delivered')).toBe(false);
    expect(canMove('delivered', 'sent')).toBe(false);
    expect(canMove('read', 'sent')).toBe(false);
  });

  it('knows which states a later status implies', () => {
    expect(impliedStates('read')).toEqual(['sent', 'delivered']);
    expect(impliedStates('delivered')).toEqual(['sent']);
    expect(impliedStates('failed')).toEqual([]);
  });
});

describe('outbox moves', () => {
  const setup = () => {
    const db = openDatabase(tempDir());
    let clock = 1_000;
    const outbox = createOutbox(db, eventBus(), () => ++clock, () => 'es');
    return { db, outbox };
  };

  it('records each move with its time, an event and an audit entry; refuses moves back', () => {
    const { db, outbox } = setup();
    const { message } = outbox.enqueue(messageRecord());
    expect(outbox.move(message.id, 'sending')).toBe(true);
    expect(outbox.move(message.id, 'sent', { providerId: 'wamid.1' })).toBe(true);
    // read arrives before delivered: delivered is implied and stamped
    expect(outbox.applyProviderStatus({ providerId: 'wamid.1', state: 'read', at: 5 })).toBe(true);
    expect(outbox.applyProviderStatus({ providerId: 'wamid.1', state: 'delivered', at: 6 })).toBe(false);
    expect(outbox.applyProviderStatus({ providerId: 'wamid.1', state: 'read', at: 7 })).toBe(false);
    const m = getMessage(db, message.id);
    expect(m?.state).toBe('read');
    expect(m?.deliveredAt).not.toBeNull();
    expect(m?.readAt).not.toBeNull();
    const events = db.prepare('SELECT state FROM message_events WHERE message_id = ? ORDER BY id').all(message.id);
    expect(events).toEqual([{ state: 'queued' }, { state: 'sending' }, { state: 'sent' }, { state: 'read' }]);
    expect(verifyAudit(db)).toMatchObject({ ok: true, checked: 4 });
  });

  it('ignores statuses for unknown provider ids', () => {
    const { outbox } = setup();
    expect(outbox.applyProviderStatus({ providerId: 'wamid.nope', state: 'delivered', at: 1 })).toBe(false);
  });

  it('resends a failed message as a new row pointing at the old one', () => {
    const { db, outbox } = setup();
    const { message } = outbox.enqueue(messageRecord());
    outbox.move(message.id, 'sending');
    outbox.move(message.id, 'failed', { errorCode: '131026', errorReason: 'No tiene WhatsApp' });
    const again = outbox.resend(message.id, 'recepción');
    expect(again.id).not.toBe(message.id);
    expect(again.resendOf).toBe(message.id);
    expect(again.state).toBe('queued');
    expect(getMessage(db, message.id)?.state).toBe('failed');
    expect(() => outbox.resend(again.id, 'recepción')).toThrow(/fallido, vencido/);
  });

  it('cancels only queued messages', () => {
    const { outbox } = setup();
    const { message } = outbox.enqueue(messageRecord());
    expect(outbox.cancel(message.id, 'recepción').state).toBe('cancelled');
    expect(() => outbox.cancel(message.id, 'recepción')).toThrow(/en cola/);
  });
});
