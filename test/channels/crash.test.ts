import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { keyFileBox } from '../../src/main/core/secrets/key-file-box';
import { DATABASE_FILE, openDatabase } from '../../src/main/core/store/db';
import { createOutbox } from '../../src/main/core/outbox/outbox';
import { eventBus } from '../../src/main/core/events';
import { reconcileSending } from '../../src/main/core/outbox/reconciler';
import { getMessage } from '../../src/main/core/store/messages-repo';
import { cloudRig } from '../helpers/cloud';
import { messageRecord } from '../helpers/fixtures';
import { startServerProcess, type RunningServer } from '../helpers/server-process';
import { tempDir } from '../helpers/temp';
import { freePort, quietPort } from '../helpers/ports';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('a crash between the call and the write', () => {
  it('leaves the message in sending; the status webhook carrying our id settles it; nothing is resent', async () => {
    const dataDir = tempDir();
    const secretBox = keyFileBox(dataDir); // the same box the server process uses
    const deadPort = await quietPort();
    // Meta accepts at once but answers slowly: the process dies after Meta has the message, before it knows the id.
    const setup = await cloudRig(
      { responseDelayMs: 4000, autoStatuses: { sentAfterMs: 10, deliveredAfterMs: 20, readAfterMs: null } },
      { secretBox },
      dataDir,
    );
    const fake = setup.fake;
    cleanups.push(() => fake.close());
    fake.setWebhookUrl(`http://127.0.0.1:${deadPort}/`); // webhooks wait at "Meta" while Avisa is down
    // The server process below takes this port later; taken meanwhile, only its receiver fails, which this test does not use.
    await setup.call('settings.update', { sendingPaused: true, cloudApi: { webhookPort: await freePort() } });
    const patient = await setup.patient();
    const message = await setup.call('messages.send', {
      patientId: patient.id,
      mode: 'template',
      templateName: 'aviso_clinica',
      templateParams: ['Su resultado está listo'],
    });
    await setup.core.stop();

    let server: RunningServer | null = await startServerProcess(dataDir);
    cleanups.push(async () => void (await server?.stop()));
    await fetch(`${server.origin}/api/call/sending.resume`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}` },
      body: '{}',
    });
    await expect.poll(() => fake.accepted.length, { timeout: 15_000, interval: 20 }).toBe(1);
    await server.kill();
    server = null;

    const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
    expect(db.prepare('SELECT state, provider_id AS providerId FROM messages WHERE id = ?').get(message.id)).toEqual({
      state: 'sending',
      providerId: null,
    });
    db.close();

    const restarted = await cloudRig({}, { secretBox }, dataDir);
    cleanups.push(() => restarted.close());
    // Within the grace period: still waiting, not resent.
    expect((await restarted.call('messages.timeline', { id: message.id })).message.state).toBe('sending');
    fake.setWebhookUrl(restarted.webhookUrl);
    await fake.redeliverParked();
    await fake.idle();
    await expect
      .poll(async () => (await restarted.call('messages.timeline', { id: message.id })).message, { timeout: 10_000 })
      .toMatchObject({ state: 'delivered', providerId: fake.accepted[0]!.wamid });
    // Settled forward, and no other row: nothing is left in the store that could still go out a second time.
    expect((await restarted.call('messages.list', {})).rows.map((m) => [m.id, m.state])).toEqual([[message.id, 'delivered']]);
    expect(fake.accepted).toHaveLength(1);
  }, 60_000);

  it('marks a message unconfirmed after the grace period as unknown, and a late status still settles it', () => {
    const db = openDatabase(tempDir());
    let clock = 1_000_000;
    const outbox = createOutbox(db, eventBus(), () => clock, () => 'es');
    const { message } = outbox.enqueue(messageRecord());
    outbox.move(message.id, 'sending');
    const options = {
      db,
      outbox,
      now: () => clock,
      graceMs: () => 15 * 60_000,
      autoResend: () => false,
      reason: () => 'Sin confirmación',
    };
    clock += 10 * 60_000;
    expect(reconcileSending(options)).toBe(0);
    clock += 6 * 60_000;
    expect(reconcileSending(options)).toBe(1);
    expect(getMessage(db, message.id)).toMatchObject({ state: 'unknown', lastErrorReason: 'Sin confirmación' });
    expect(outbox.applyProviderStatus({ providerId: 'wamid.late', state: 'read', at: clock, ourId: message.id })).toBe(true);
    expect(getMessage(db, message.id)).toMatchObject({ state: 'read', providerId: 'wamid.late' });
  });

  it('resends an unknown message by itself only when the clinic chose to', () => {
    const db = openDatabase(tempDir());
    const clock = 10_000_000;
    const outbox = createOutbox(db, eventBus(), () => clock, () => 'es');
    const { message } = outbox.enqueue(messageRecord());
    outbox.move(message.id, 'sending');
    db.prepare('UPDATE messages SET sending_at = ? WHERE id = ?').run(0, message.id);
    reconcileSending({ db, outbox, now: () => clock, graceMs: () => 60_000, autoResend: () => true, reason: () => 'x' });
    const copies = db.prepare('SELECT state, resend_of AS resendOf FROM messages ORDER BY id').all();
    expect(copies).toEqual([
      { state: 'unknown', resendOf: null },
      { state: 'queued', resendOf: message.id },
    ]);
  });
});
