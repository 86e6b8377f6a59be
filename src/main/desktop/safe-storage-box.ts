import { safeStorage } from 'electron';
import type { SecretBox } from '../core/secrets/secret-box';

type SafeStorageApi = Pick<
  typeof safeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
>;

export class EncryptionUnavailableError extends Error {
  constructor() {
    super(
      'El cifrado del sistema (safeStorage) no está disponible: Avisa no guarda secretos sin cifrar. ' +
        'The OS encryption (safeStorage) is not available: Avisa never stores secrets in clear text.',
    );
    this.name = 'EncryptionUnavailableError';
  }
}

/**
 * Secrets encrypted by the OS keychain (Keychain, DPAPI, libsecret/kwallet). Availability is checked on every use,
 * not once: on Linux the keyring can be locked at start and unlocked later, and a missing keyring should only stop
 * saving secrets, not the whole app (demo mode and the queue still work).
 */
export function safeStorageBox(storage: SafeStorageApi = safeStorage, platform = process.platform): SecretBox {
  let warned = false;
  const ensureAvailable = (): void => {
    if (!storage.isEncryptionAvailable()) throw new EncryptionUnavailableError();
    // 'basic_text' is Chromium's fallback with a hard-coded key: encrypted, but not protected by a user secret.
    if (platform === 'linux' && !warned && storage.getSelectedStorageBackend() === 'basic_text') {
      warned = true;
      console.warn('[avisa] safeStorage uses the basic_text backend: install a keyring (libsecret/kwallet) for real protection.');
    }
  };
  return {
    kind: 'safe-storage',
    encrypt(plain) {
      ensureAvailable();
      return storage.encryptString(plain);
    },
    decrypt(cipher) {
      ensureAvailable();
      return storage.decryptString(cipher);
    },
  };
}
