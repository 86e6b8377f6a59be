import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiResponse } from '../../src/shared/api';
import { fakeCore, type FakeCore } from './fake-core';
import { fakeElectron, resetFakeElectron } from './fake-electron';
import { registerIpc } from '../../src/main/desktop/ipc';
import { rendererIndexPath } from '../../src/main/desktop/window';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron());

const fromUrl = (url: string | null) => ({ senderFrame: url === null ? null : { url } });
const callHandler = () => {
  const handler = fakeElectron().ipcMain.handlers.get('avisa:call');
  expect(handler).toBeDefined();
  return (event: unknown, name: unknown, args: unknown) =>
    handler?.(event, name, args) as Promise<ApiResponse<unknown>>;
};

describe('IPC bridge (main side)', () => {
  let core: FakeCore;
  beforeEach(() => {
    resetFakeElectron();
    delete process.env.ELECTRON_RENDERER_URL;
    core = fakeCore({ settings: { clinicName: 'Clínica Los Andes' } });
  });

  it('routes a call from the app page to the core and returns its answer', async () => {
    registerIpc(core);
    const response = await callHandler()(
      fromUrl(`${pathToFileURL(rendererIndexPath()).href}#/ajustes`),
      'settings.get',
      {},
    );
    expect(core.calls).toEqual([{ name: 'settings.get', args: {}, caller: { via: 'desktop' } }]);
    expect(response.ok).toBe(true);
    expect(response.ok && (response.result as { clinicName: string }).clinicName).toBe('Clínica Los Andes');
  });

  it('rejects a sender that is not the app, without touching the core', async () => {
    registerIpc(core);
    const call = callHandler();
    for (const event of [fromUrl('https://evil.example/'), fromUrl('file:///tmp/x.html'), fromUrl(null)]) {
      const response = await call(event, 'settings.update', { sendingPaused: true });
      expect(response).toEqual({ ok: false, error: { code: 'forbidden', message: expect.any(String) } });
    }
    expect(core.calls).toEqual([]);
  });

  it('uses the injected trust check and reports each answered call', async () => {
    const seen: [string, boolean][] = [];
    registerIpc(core, {
      isTrustedUrl: (url) => url === 'app://ui/',
      afterCall: (name, response) => seen.push([name, response.ok]),
    });
    await callHandler()(fromUrl('app://ui/'), 'settings.update', { openAtLogin: true });
    await callHandler()(fromUrl('app://ui/'), 'no.such', {});
    expect(seen).toEqual([
      ['settings.update', true],
      ['no.such', false],
    ]);
    expect(core.settings.openAtLogin).toBe(true);
  });

  it('forwards every core event to every live window', () => {
    registerIpc(core);
    const { BrowserWindow } = fakeElectron();
    const options = { webPreferences: { preload: '', contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true } };
    const a = new BrowserWindow(options);
    const b = new BrowserWindow(options);
    const gone = new BrowserWindow(options);
    gone.destroyed = true;
    const event = { name: 'message.changed', data: { id: 7, state: 'failed' } } as const;
    core.emit(event);
    expect(a.webContents.sent).toEqual([['avisa:event', event]]);
    expect(b.webContents.sent).toEqual([['avisa:event', event]]);
    expect(gone.webContents.sent).toEqual([]);
  });

  it('dispose removes the handler and stops forwarding', () => {
    const dispose = registerIpc(core);
    expect(core.listenerCount()).toBe(1);
    dispose();
    expect(fakeElectron().ipcMain.handlers.has('avisa:call')).toBe(false);
    expect(core.listenerCount()).toBe(0);
    // Registering again must work (no duplicate handler left behind).
    expect(() => registerIpc(core)).not.toThrow();
  });
});
