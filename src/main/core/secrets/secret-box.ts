/** Encrypts secrets before they reach the store. Desktop: Electron safeStorage; server mode: a key file. */
export interface SecretBox {
  readonly kind: 'safe-storage' | 'key-file' | 'memory';
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
}
