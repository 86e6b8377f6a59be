import { z } from 'zod';
import type { KdfParams } from './backup-crypto';

// manifest.json: what a backup holds, byte for byte. Sizes and SHA-256 are of the stored files (ciphertext when
// encrypted), so a copy is checked without its passphrase; the counts say what the database held, sealed when encrypted.

export const MANIFEST_FILE = 'manifest.json';
export const ENCRYPTED_SUFFIX = '.enc';

const fileEntry = z.object({ path: z.string(), size: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

export const contentsSchema = z.object({
  schemaVersion: z.number().int(),
  counts: z.record(z.string(), z.number().int()),
  /** Messages that were on their way when the copy was taken: reconciled after a restore, never resent blindly. */
  sending: z.number().int(),
  audit: z.object({ checked: z.number().int(), lastId: z.number().int().nullable(), headHash: z.string().nullable() }),
  /** server: secret.key travels with the copy; desktop: the OS keychain holds the key, secrets are entered again. */
  secrets: z.enum(['included', 'reenter']),
});

export const manifestSchema = z.object({
  format: z.literal('avisa-backup'),
  formatVersion: z.literal(1),
  avisaVersion: z.string(),
  takenAt: z.number().int(),
  zone: z.string(),
  mode: z.enum(['desktop', 'server']),
  encryption: z
    .object({ cipher: z.literal('aes-256-gcm'), kdf: z.literal('scrypt'), salt: z.string(), N: z.number().int(), r: z.number().int(), p: z.number().int() })
    .nullable(),
  files: z.array(fileEntry),
  contents: contentsSchema.nullable(),
  /** contents, sealed with the backup's key, when encrypted. */
  sealedContents: z.string().nullable(),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestContents = z.infer<typeof contentsSchema>;

export const kdfOf = (m: Manifest): KdfParams | null =>
  m.encryption ? { kdf: 'scrypt', salt: m.encryption.salt, N: m.encryption.N, r: m.encryption.r, p: m.encryption.p } : null;
