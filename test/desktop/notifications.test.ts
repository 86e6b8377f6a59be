import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MessageState } from '../../src/shared/domain';
import { fakeCore, type FakeCore } from './fake-core';
import { fakeElectron, resetFakeElectron } from './fake-electron';
import { failureNotifier, failureText, NOTIFY_EVERY_MS } from '../../src/main/desktop/notifications';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron());

const changed = (core: FakeCore, id: number, state: MessageState): void =>
  core.emit({ name: 'message.changed', data: { id, state } });
const titles = (): string[] => fakeElectron().Notification.instances.map((n) => n.options.title);

describe('failure notifications', () => {
  let core: FakeCore;
  let shown: number;
  let dispose: () => void;
  const start = (): void => {
    dispose = failureNotifier({
      core,
      showWindow: () => {
        shown += 1;
      },
      now: () => Date.now(),
    });
  };

  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2025-03-10T09:00:00-05:00') });
    resetFakeElectron();
    core = fakeCore();
    shown = 0;
  });
  afterEach(() => {
    dispose();
    vi.useRealTimers();
  });

  it('notifies at once for the first failure', async () => {
    start();
    changed(core, 1, 'failed');
    await vi.advanceTimersByTimeAsync(0);
    expect(titles()).toEqual(['1 mensaje no se pudo enviar']);
    expect(fakeElectron().Notification.instances[0]?.shown).toBe(true);
  });

  it('shows a channel alert at once, with its reason', async () => {
    start();
    core.emit({ name: 'channel.alert', data: { channel: 'linked-device', alert: 'logged_out', reason: 'El teléfono cerró la sesión de Avisa.' } });
    await vi.advanceTimersByTimeAsync(0);
    expect(fakeElectron().Notification.instances.map((n) => n.options.body)).toEqual(['El teléfono cerró la sesión de Avisa.']);
    fakeElectron().Notification.instances[0]?.emit('click');
    expect(shown).toBe(1);
  });

  it('ignores other state changes', async () => {
    start();
    for (const state of ['queued', 'sending', 'sent', 'delivered', 'read', 'cancelled', 'expired'] as const) {
      changed(core, 1, state);
    }
    await vi.advanceTimersByTimeAsync(NOTIFY_EVERY_MS * 2);
    expect(titles()).toEqual([]);
  });

  it('shows at most one a minute and counts the failures in between', async () => {
    start();
    changed(core, 1, 'failed');
    await vi.advanceTimersByTimeAsync(1_000);
    changed(core, 2, 'failed');
    changed(core, 3, 'failed');
    await vi.advanceTimersByTimeAsync(30_000);
    changed(core, 4, 'failed');
    await vi.advanceTimersByTimeAsync(28_000);
    // 59 s after the first one: still quiet.
    expect(titles()).toEqual(['1 mensaje no se pudo enviar']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(titles()).toEqual(['1 mensaje no se pudo enviar', '3 mensajes no se pudieron enviar']);
    // A failure long after the last notification is told immediately again.
    await vi.advanceTimersByTimeAsync(NOTIFY_EVERY_MS * 5);
    changed(core, 5, 'failed');
    await vi.advanceTimersByTimeAsync(0);
    expect(titles()).toHaveLength(3);
    expect(titles()[2]).toBe('1 mensaje no se pudo enviar');
  });

  it('clicking the notification shows the window', async () => {
    start();
    changed(core, 1, 'failed');
    await vi.advanceTimersByTimeAsync(0);
    fakeElectron().Notification.instances[0]?.emit('click');
    expect(shown).toBe(1);
  });

  it('writes in the clinic language', async () => {
    core.settings = { ...core.settings, language: 'en' };
    start();
    changed(core, 1, 'failed');
    changed(core, 2, 'failed');
    await vi.advanceTimersByTimeAsync(NOTIFY_EVERY_MS);
    expect(titles()).toEqual(['1 message could not be sent', '1 message could not be sent']);
    expect(failureText(4, 'en').title).toBe('4 messages could not be sent');
    expect(failureText(4).body).toContain('Abra Avisa');
  });

  it('does nothing where the OS has no notifications', async () => {
    fakeElectron().Notification.supported = false;
    start();
    changed(core, 1, 'failed');
    await vi.advanceTimersByTimeAsync(NOTIFY_EVERY_MS);
    expect(titles()).toEqual([]);
  });

  it('dispose drops a pending notification and stops listening', async () => {
    start();
    changed(core, 1, 'failed');
    changed(core, 2, 'failed');
    await vi.advanceTimersByTimeAsync(0);
    dispose();
    await vi.advanceTimersByTimeAsync(NOTIFY_EVERY_MS * 2);
    expect(titles()).toEqual(['1 mensaje no se pudo enviar']);
    expect(core.listenerCount()).toBe(0);
  });
});
