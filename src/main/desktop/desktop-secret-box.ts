import { safeStorage } from 'electron';
import { keyFileBox } from '../core/secrets/key-file-box';
import type { SecretBox } from '../core/secrets/secret-box';
import { safeStorageBox } from './safe-storage-box';

type SafeStorageApi = Parameters<typeof safeStorageBox>[0] & Pick<typeof safeStorage, 'getSelectedStorageBackend'>;

/**
 * The desktop's secret box: the OS keychain through safeStorage. On Linux without a keyring (no libsecret/kwallet)
 * Chromium falls back to `basic_text`, whose key is the same hard-coded one on every machine: then the owner-only
 * key file of server mode protects better, and Avisa says so. Secrets saved earlier under basic_text stay readable
 * and are re-encrypted with the key file the next time they are saved.
 */
export function desktopSecretBox(
  dataDir: string,
  storage: SafeStorageApi = safeStorage,
  platform: NodeJS.Platform = process.platform,
  warn: (message: string) => void = console.warn,
): SecretBox {
  const os = safeStorageBox(storage, platform);
  if (platform !== 'linux' || storage.getSelectedStorageBackend() !== 'basic_text') return os;
  warn(
    '[avisa] No hay llavero del sistema (safeStorage usa basic_text, una clave fija): los secretos se cifran con una ' +
      'clave en un archivo solo para su usuario. / No OS keyring (safeStorage uses basic_text, a fixed key): secrets are ' +
      'encrypted with a key file only your user can read.',
  );
  const file = keyFileBox(dataDir);
  return {
    kind: 'key-file',
    encrypt: (plain) => file.encrypt(plain),
    decrypt: (cipher) => {
      try {
        return file.decrypt(cipher);
      } catch {
        // Saved before the fallback, under basic_text: AES-GCM refused it as not ours.
        return os.decrypt(cipher);
      }
    },
  };
}
