import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppOptions } from '../../src/main/core/app-types';
import type { ApiResponse } from '../../src/shared/api';
import { fakeCore, flush, type FakeCore } from './fake-core';
import { fakeElectron, resetFakeElectron, type FakeBrowserWindow, type FakeTray } from './fake-electron';

const made = vi.hoisted(() => ({
  core: null as FakeCore | null,
  options: [] as AppOptions[],
}));

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron());
vi.mock('../../src/main/core/app', () => ({
  createApp(options: AppOptions) {
    made.options.push(options);
    if (!made.core) throw new Error('test forgot to set the fake core');
    return made.core;
  },
}));

async function boot(): Promise<void> {
  vi.resetModules();
  await import('../../src/main/index');
  await flush();
}

const theWindow = (): FakeBrowserWindow => {
  expect(fakeElectron().BrowserWindow.instances).toHaveLength(1);
  return fakeElectron().BrowserWindow.instances[0] as FakeBrowserWindow;
};
const theTray = (): FakeTray => {
  expect(fakeElectron().Tray.instances).toHaveLength(1);
  return fakeElectron().Tray.instances[0] as FakeTray;
};

describe('Electron entry', () => {
  let core: FakeCore;
  const platform = Object.getOwnPropertyDescriptor(process, 'platform');

  beforeEach(() => {
    resetFakeElectron();
    delete process.env.ELECTRON_RENDERER_URL;
    core = fakeCore({ settings: { openAtLogin: true } });
    made.core = core;
    made.options = [];
  });
  afterEach(() => {
    if (platform) Object.defineProperty(process, 'platform', platform);
  });

  it('quits at once when another instance holds the lock, and starts nothing', async () => {
    fakeElectron().app.lockGranted = false;
    await boot();
    expect(fakeElectron().app.quitCalls).toBe(1);
    expect(fakeElectron().app.whenReadyCalls).toBe(0);
    expect(made.options).toEqual([]);
    expect(fakeElectron().BrowserWindow.instances).toEqual([]);
  });

  it('on ready starts the core on userData with safeStorage, then IPC, CSP, window and tray', async () => {
    await boot();
    expect(made.options).toHaveLength(1);
    const options = made.options[0];
    expect(options?.dataDir).toBe('/fake/userData');
    expect(options?.mode).toBe('desktop');
    expect(options?.secretBox.kind).toBe('safe-storage');
    expect(core.started).toBe(1);
    expect(fakeElectron().ipcMain.handlers.has('avisa:call')).toBe(true);
    expect(fakeElectron().session.defaultSession.headersListener).not.toBeNull();
    expect(theWindow().options.webPreferences.sandbox).toBe(true);
    expect(theWindow().options.icon).toBe('/fake/app/resources/icon.png');
    expect(theTray().tooltip).toBe('Avisa — todo al día');
  });

  it('a second launch shows and focuses the existing window', async () => {
    await boot();
    const win = theWindow();
    win.minimized = true;
    fakeElectron().app.emit('second-instance', {}, [], '/');
    expect(win.visible).toBe(true);
    expect(win.minimized).toBe(false);
    expect(win.focusCount).toBe(1);
  });

  it('closing the window hides it; Salir stops the core and then really quits', async () => {
    await boot();
    const win = theWindow();
    win.show();
    win.close();
    expect(win.visible).toBe(false);
    expect(win.destroyed).toBe(false);
    expect(fakeElectron().app.quitted).toBe(false);

    theTray().menu?.template.find((i) => i.label === 'Salir')?.click?.();
    // The first quit is held until the core has stopped.
    expect(fakeElectron().app.quitted).toBe(false);
    await flush();
    expect(core.stopped).toBe(1);
    expect(fakeElectron().app.quitCalls).toBe(2);
    expect(fakeElectron().app.quitted).toBe(true);
    expect(fakeElectron().ipcMain.handlers.has('avisa:call')).toBe(false);
    expect(theTray().destroyed).toBe(true);
    // Quitting now lets the window close for real.
    win.close();
    expect(win.destroyed).toBe(true);
  });

  it('applies openAtLogin at start and again after a settings.update through IPC', async () => {
    Object.defineProperty(process, 'platform', { value: 'win32', configurable: true });
    await boot();
    expect(fakeElectron().app.appUserModelId).toBe('pe.avisa.desktop');
    expect(fakeElectron().app.loginItems).toEqual([{ openAtLogin: true }]);

    const handler = fakeElectron().ipcMain.handlers.get('avisa:call');
    const { pathToFileURL } = await import('node:url');
    const { rendererIndexPath } = await import('../../src/main/desktop/window');
    const event = { senderFrame: { url: pathToFileURL(rendererIndexPath()).href } };
    const response = (await handler?.(event, 'settings.update', { openAtLogin: false })) as ApiResponse<unknown>;
    expect(response.ok).toBe(true);
    expect(fakeElectron().app.loginItems).toEqual([{ openAtLogin: true }, { openAtLogin: false }]);
  });

  it('shows an error and exits when the core cannot start', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    core.start = async () => {
      throw new Error('database is locked');
    };
    await boot();
    expect(fakeElectron().dialog.errors).toEqual([['Avisa no pudo iniciar / Avisa could not start', 'database is locked']]);
    expect(fakeElectron().app.exitCode).toBe(1);
    expect(fakeElectron().BrowserWindow.instances).toEqual([]);
    error.mockRestore();
  });
});
