import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AvisaBridge, AvisaEvent } from '../../src/shared/api';
import { fakeElectron, resetFakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron());

async function loadPreload(): Promise<AvisaBridge> {
  vi.resetModules();
  await import('../../src/preload/index');
  const exposed = fakeElectron().contextBridge.exposed;
  expect([...exposed.keys()]).toEqual(['avisa']);
  return exposed.get('avisa') as AvisaBridge;
}

describe('preload', () => {
  beforeEach(() => {
    resetFakeElectron();
  });

  it('exposes exactly call and subscribe as window.avisa, and nothing of ipcRenderer', async () => {
    const bridge = await loadPreload();
    expect(Object.keys(bridge).sort()).toEqual(['call', 'subscribe']);
    expect(typeof bridge.call).toBe('function');
    expect(typeof bridge.subscribe).toBe('function');
    expect(Object.values(bridge)).not.toContain(fakeElectron().ipcRenderer);
  });

  it('call invokes avisa:call with the name and args and returns the answer', async () => {
    const bridge = await loadPreload();
    const response = await bridge.call('messages.resend', { id: 42 });
    expect(fakeElectron().ipcRenderer.invocations).toEqual([['avisa:call', 'messages.resend', { id: 42 }]]);
    expect(response).toEqual({ ok: true, result: { echoed: 'messages.resend' } });
  });

  it('subscribe delivers avisa:event payloads and its unsubscribe removes only that listener', async () => {
    const bridge = await loadPreload();
    const ipc = fakeElectron().ipcRenderer;
    const first: AvisaEvent[] = [];
    const second: AvisaEvent[] = [];
    const stopFirst = bridge.subscribe((e) => first.push(e));
    bridge.subscribe((e) => second.push(e));
    expect(ipc.listenerCount('avisa:event')).toBe(2);

    const event: AvisaEvent = { name: 'reply.received', data: { id: 1, messageId: 9, body: 'Gracias' } };
    ipc.emit('avisa:event', {}, event);
    stopFirst();
    expect(ipc.listenerCount('avisa:event')).toBe(1);
    ipc.emit('avisa:event', {}, event);
    expect(first).toEqual([event]);
    expect(second).toEqual([event, event]);
  });
});
