import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/store/db';
import { insertMessage } from '../../src/main/core/store/messages-repo';
import { createOutbox } from '../../src/main/core/outbox/outbox';
import { eventBus } from '../../src/main/core/events';
import { messageRecord } from '../helpers/fixtures';
import { tempDir } from '../helpers/temp';

describe('idempotency keys', () => {
  it('the same key twice yields one message, and the second call says so', () => {
    const db = openDatabase(tempDir());
    const outbox = createOutbox(db, eventBus(), () => 1, () => 'es');
    const first = outbox.enqueue(messageRecord({ idempotencyKey: 'reminder:7:24h', body: 'primero' }));
    const second = outbox.enqueue(messageRecord({ idempotencyKey: 'reminder:7:24h', body: 'segundo' }));
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.message.id).toBe(first.message.id);
    expect(second.message.body).toBe('primero');
    expect((db.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number }).n).toBe(1);
  });

  it('is enforced by the database itself, not only by the code', () => {
    const db = openDatabase(tempDir());
    insertMessage(db, messageRecord({ idempotencyKey: 'result:lab:1' }), 1);
    expect(() =>
      db
        .prepare(
          `INSERT INTO messages (kind, idempotency_key, channel, to_phone, not_before, queued_at, created_at, updated_at)
           VALUES ('result', 'result:lab:1', 'demo', '+51987654321', 0, 0, 0, 0)`,
        )
        .run(),
    ).toThrow(/UNIQUE constraint failed: messages.idempotency_key/);
  });

  it('stores a reply once per provider message id', () => {
    const db = openDatabase(tempDir());
    const outbox = createOutbox(db, eventBus(), () => 1, () => 'es');
    const reply = { providerMessageId: 'wamid.in.1', fromPhone: '+51987654321', body: 'Sí', at: 1 };
    expect(outbox.recordReply(reply)).not.toBeNull();
    expect(outbox.recordReply(reply)).toBeNull();
  });
});
