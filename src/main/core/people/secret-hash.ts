import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

// Passwords and PINs are kept only as scrypt hashes: "scrypt$N$r$p$salt$hash" (hex), so the cost can rise later
// without breaking the hashes already stored.
const N = 16_384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function derive(secret: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret.normalize('NFC'), salt, KEY_LENGTH, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('hex')}$${key.toString('hex')}`;
}

export async function secretMatches(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const key = await derive(secret, Buffer.from(salt, 'hex'), Number(n), Number(r), Number(p));
  const expected = Buffer.from(hash, 'hex');
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A PIN is 6 to 8 digits; a password at least 8 characters. Returns the problem, or null when acceptable. */
export function secretProblem(kind: 'password' | 'pin', secret: string): 'pin_format' | 'password_short' | null {
  if (kind === 'pin') return /^\d{6,8}$/.test(secret) ? null : 'pin_format';
  return secret.length >= 8 ? null : 'password_short';
}

/** The same hash, computed at once: for the demo's people, created inside the demo's one transaction. */
export function hashSecretSync(secret: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(secret.normalize('NFC'), salt, KEY_LENGTH, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${N}$${R}$${P}$${salt.toString('hex')}$${key.toString('hex')}`;
}
