import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { SecretBox } from '../../secrets/secret-box';
import type { Db } from '../../store/db';
import { getWrappedKey, putWrappedKey } from '../../store/linked-device-repo';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Seals the session's rows: AES-256-GCM bound to the row's name, with a data key the SecretBox protects. */
export interface Sealer {
  seal(plain: string, context: string): Buffer;
  open(sealed: Buffer, context: string): string;
  /** A stable, keyed name for a row id: the store can look it up without holding the id in clear. */
  mac(value: string): Buffer;
  /** Drops the cached data key after the session was cleared from the store. */
  reset(): void;
}

/**
 * A session writes hundreds of keys; asking the SecretBox (a keychain call on the desktop) for each would be slow.
 * So one random data key encrypts the rows and only that key goes through the SecretBox, like every other secret.
 */
export function sessionSealer(db: Db, box: SecretBox, now: () => number): Sealer {
  let key: Buffer | null = null;
  const dataKey = (): Buffer => {
    if (key) return key;
    const wrapped = getWrappedKey(db);
    if (wrapped) {
      key = Buffer.from(box.decrypt(wrapped), 'base64');
    } else {
      key = randomBytes(32);
      putWrappedKey(db, box.encrypt(key.toString('base64')), now());
    }
    if (key.length !== 32) throw new Error('The linked-device session key is damaged.');
    return key;
  };
  return {
    seal(plain, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', dataKey(), iv);
      // The row's name is authenticated too: a value moved to another row does not decrypt.
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    open(sealed, context) {
      const decipher = createDecipheriv('aes-256-gcm', dataKey(), sealed.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    },
    mac(value) {
      return createHmac('sha256', dataKey()).update(value, 'utf8').digest().subarray(0, 16);
    },
    reset() {
      key = null;
    },
  };
}
