import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeElectron, resetFakeElectron } from './fake-electron';
import { desktopSecretBox } from '../../src/main/desktop/desktop-secret-box';
import { safeStorageBox } from '../../src/main/desktop/safe-storage-box';
import { KEY_FILE } from '../../src/main/core/secrets/key-file-box';
import { tempDir } from '../helpers/temp';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron());

describe('desktop secret box', () => {
  beforeEach(() => {
    resetFakeElectron();
  });

  it('uses the OS keychain when there is one', () => {
    const dir = tempDir();
    const box = desktopSecretBox(dir, undefined, 'linux', () => undefined);
    expect(box.kind).toBe('safe-storage');
    box.encrypt('x');
    expect(fakeElectron().safeStorage.encryptCalls).toBe(1);
    expect(existsSync(join(dir, KEY_FILE))).toBe(false);
  });

  it("on Linux with only basic_text (a fixed key) falls back to the owner-only key file, says so, and still reads older secrets", () => {
    const dir = tempDir();
    const storage = fakeElectron().safeStorage;
    storage.backend = 'basic_text';
    type Storage = Parameters<typeof desktopSecretBox>[1];
    const quiet = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    // A secret saved while safeStorage's basic_text was in use.
    const old = safeStorageBox(storage as Storage, 'linux').encrypt('clave-antigua');
    const calls = storage.encryptCalls;

    const warnings: string[] = [];
    const box = desktopSecretBox(dir, storage as Storage, 'linux', (m) => warnings.push(m));
    expect(box.kind).toBe('key-file');
    expect(warnings.join()).toMatch(/basic_text/);
    const cipher = box.encrypt('EAAG-token');
    expect(storage.encryptCalls).toBe(calls);
    expect(statSync(join(dir, KEY_FILE)).mode & 0o077).toBe(0);
    expect(box.decrypt(cipher)).toBe('EAAG-token');
    expect(box.decrypt(old)).toBe('clave-antigua');
    quiet.mockRestore();
  });

  it('keeps safeStorage on Windows and macOS whatever the backend reports', () => {
    fakeElectron().safeStorage.backend = 'basic_text';
    expect(desktopSecretBox(tempDir(), undefined, 'win32', () => undefined).kind).toBe('safe-storage');
    expect(desktopSecretBox(tempDir(), undefined, 'darwin', () => undefined).kind).toBe('safe-storage');
  });
});
