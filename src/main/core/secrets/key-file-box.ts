import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretBox } from './secret-box';

export const KEY_FILE = 'secret.key';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with a random key kept in a file only its owner may read (server mode, where Electron's safeStorage
 * does not exist). Layout of a ciphertext: iv (12) ‖ auth tag (16) ‖ encrypted bytes.
 */
export function keyFileBox(dataDir: string): SecretBox {
  const key = loadOrCreateKey(join(dataDir, KEY_FILE));
  return {
    kind: 'key-file',
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(data) {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(data.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    },
  };
}

function loadOrCreateKey(path: string): Buffer {
  if (!existsSync(path)) {
    writeFileSync(path, randomBytes(32), { mode: 0o600, flag: 'wx' });
  } else if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
    // Someone widened the permissions (a copy, a restore): narrow them back before trusting the key.
    chmodSync(path, 0o600);
  }
  const key = readFileSync(path);
  if (key.length !== 32) throw new Error(`The key file ${path} is damaged (expected 32 bytes).`);
  return key;
}
