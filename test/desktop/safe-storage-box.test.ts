import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeElectron, resetFakeElectron } from './fake-electron';
import { EncryptionUnavailableError, safeStorageBox } from '../../src/main/desktop/safe-storage-box';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron());

describe('safe-storage secret box', () => {
  beforeEach(() => {
    resetFakeElectron();
  });

  it('round-trips a secret through safeStorage and never returns the clear text as the cipher', () => {
    const box = safeStorageBox();
    const cipher = box.encrypt('EAAG-token-ñandú');
    expect(box.kind).toBe('safe-storage');
    expect(Buffer.isBuffer(cipher)).toBe(true);
    expect(cipher.toString('utf8')).not.toContain('EAAG-token');
    expect(fakeElectron().safeStorage.encryptCalls).toBe(1);
    expect(box.decrypt(cipher)).toBe('EAAG-token-ñandú');
  });

  it('refuses to encrypt or decrypt when OS encryption is unavailable', () => {
    fakeElectron().safeStorage.available = false;
    const box = safeStorageBox();
    expect(() => box.encrypt('secret')).toThrow(EncryptionUnavailableError);
    expect(() => box.encrypt('secret')).toThrow(/no guarda secretos sin cifrar/);
    expect(() => box.decrypt(Buffer.from('x'))).toThrow(EncryptionUnavailableError);
    expect(fakeElectron().safeStorage.encryptCalls).toBe(0);
  });

  it('checks availability on each use, so an unlocked keyring works without restarting', () => {
    const storage = fakeElectron().safeStorage;
    storage.available = false;
    const box = safeStorageBox();
    expect(() => box.encrypt('a')).toThrow(EncryptionUnavailableError);
    storage.available = true;
    expect(box.decrypt(box.encrypt('a'))).toBe('a');
  });

  it('warns once on Linux when only the basic_text backend is available', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    fakeElectron().safeStorage.backend = 'basic_text';
    const box = safeStorageBox(undefined, 'linux');
    box.encrypt('a');
    box.encrypt('b');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain('basic_text');
    warn.mockRestore();
  });
});
