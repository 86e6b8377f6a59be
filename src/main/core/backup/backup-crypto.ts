import { createCipheriv, createDecipheriv, randomBytes, scrypt, type CipherGCM, type DecipherGCM } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

// A backup on a share or a USB stick must leak nothing: each file AES-256-GCM under a key drawn from the passphrase
// with scrypt (the salt and cost in the manifest). A file is MAGIC, a fresh 12-byte IV, the ciphertext, the 16-byte tag.

const MAGIC = Buffer.from('AVISAENC1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface KdfParams {
  kdf: 'scrypt';
  salt: string; // base64
  N: number;
  r: number;
  p: number;
}

export const newKdfParams = (): KdfParams => ({ kdf: 'scrypt', salt: randomBytes(16).toString('base64'), N: 2 ** 15, r: 8, p: 1 });

/** scrypt runs on libuv's thread pool: deriving the key does not hold up sending. */
export function deriveKey(passphrase: string, params: KdfParams): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(passphrase.normalize('NFC'), Buffer.from(params.salt, 'base64'), 32, { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export class WrongPassphraseError extends Error {
  constructor() {
    super('wrong passphrase or altered file');
  }
}

export async function encryptFile(source: string, target: string, key: Buffer): Promise<void> {
  const iv = randomBytes(IV_BYTES);
  const cipher: CipherGCM = createCipheriv('aes-256-gcm', key, iv);
  const out = createWriteStream(target, { mode: 0o600 });
  out.write(Buffer.concat([MAGIC, iv]));
  await pipeline(createReadStream(source), cipher, out, { end: false });
  await new Promise<void>((resolve, reject) => out.end(cipher.getAuthTag(), () => resolve()).once('error', reject));
}

/** Decrypts and checks the tag; a wrong passphrase or a changed byte ends in WrongPassphraseError, the target removed by the caller. */
export async function decryptFile(source: string, target: string, key: Buffer): Promise<void> {
  const handle = await open(source, 'r');
  let size: number;
  const head = Buffer.alloc(MAGIC.length + IV_BYTES);
  const tag = Buffer.alloc(TAG_BYTES);
  try {
    size = (await handle.stat()).size;
    if (size < head.length + TAG_BYTES) throw new WrongPassphraseError();
    await handle.read(head, 0, head.length, 0);
    await handle.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    await handle.close();
  }
  if (!head.subarray(0, MAGIC.length).equals(MAGIC)) throw new WrongPassphraseError();
  const decipher: DecipherGCM = createDecipheriv('aes-256-gcm', key, head.subarray(MAGIC.length));
  decipher.setAuthTag(tag);
  const end = size - TAG_BYTES - 1;
  const input = end >= head.length ? createReadStream(source, { start: head.length, end }) : Readable.from([]);
  try {
    await pipeline(input, decipher, createWriteStream(target, { mode: 0o600 }));
  } catch (error) {
    if (error instanceof Error && /auth|unable to authenticate/i.test(error.message)) throw new WrongPassphraseError();
    throw error;
  }
}

/** A small secret (the manifest's counts) sealed the same way, as base64. */
export function sealText(plain: string, key: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
}

export function openText(sealed: string, key: Buffer): string {
  const data = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new WrongPassphraseError();
  }
}
