import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeCore } from './fake-core';
import { fakeElectron, resetFakeElectron } from './fake-electron';
import { loginItemSync, readSettings } from '../../src/main/desktop/login-item';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron());

describe('open at login', () => {
  beforeEach(() => {
    resetFakeElectron();
  });

  it('applies the saved setting at start (Windows and macOS)', async () => {
    for (const platform of ['win32', 'darwin'] as const) {
      resetFakeElectron();
      const core = fakeCore({ settings: { openAtLogin: true } });
      await loginItemSync(core, platform).refresh();
      expect(core.calls).toEqual([{ name: 'settings.get', args: {} }]);
      expect(fakeElectron().app.loginItems).toEqual([{ openAtLogin: true }]);
    }
  });

  it('re-applies only when the value changes', async () => {
    const core = fakeCore({ settings: { openAtLogin: false } });
    const sync = loginItemSync(core, 'win32');
    await sync.refresh();
    sync.apply(false);
    sync.apply(true);
    sync.apply(true);
    sync.apply(false);
    expect(fakeElectron().app.loginItems).toEqual([{ openAtLogin: false }, { openAtLogin: true }, { openAtLogin: false }]);
  });

  it('leaves the OS alone on Linux, where Electron has no login items', async () => {
    const sync = loginItemSync(fakeCore({ settings: { openAtLogin: true } }), 'linux');
    await sync.refresh();
    sync.apply(false);
    expect(fakeElectron().app.loginItems).toEqual([]);
  });

  it('keeps the current state when the settings cannot be read', async () => {
    const core = fakeCore();
    core.invoke = async () => ({ ok: false, error: { code: 'internal', message: 'db closed' } });
    expect(await readSettings(core)).toBeNull();
    await loginItemSync(core, 'win32').refresh();
    expect(fakeElectron().app.loginItems).toEqual([]);
  });
});
