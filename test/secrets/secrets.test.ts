import { describe, expect, it } from 'vitest';
import { readFileSync, statSync, chmodSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { keyFileBox, KEY_FILE } from '../../src/main/core/secrets/key-file-box';
import { openDatabase } from '../../src/main/core/store/db';
import { settingsService } from '../../src/main/core/settings/settings-service';
import { tempDir } from '../helpers/temp';

const SECRET = 'EAAG-very-secret-access-token-1234567890';

describe('secrets at rest', () => {
  it('never leave their clear bytes in the database files', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    const settings = settingsService(db, keyFileBox(dir), () => 1);
    settings.setSecret('cloudApi.accessToken', SECRET);
    expect(settings.getSecret('cloudApi.accessToken')).toBe(SECRET);
    expect(settings.view().secrets['cloudApi.accessToken']).toBe(true);
    expect(JSON.stringify(settings.view())).not.toContain(SECRET);
    // Look at the main file and the WAL before and after a checkpoint.
    const files = () => readdirSync(dir).filter((f) => f.startsWith('avisa.sqlite'));
    for (const f of files()) expect(readFileSync(join(dir, f)).includes(Buffer.from(SECRET))).toBe(false);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    for (const f of files()) expect(readFileSync(join(dir, f)).includes(Buffer.from(SECRET))).toBe(false);
  });

  it('use AES-256-GCM with a fresh IV each time and detect tampering', () => {
    const box = keyFileBox(tempDir());
    const a = box.encrypt(SECRET);
    const b = box.encrypt(SECRET);
    expect(a.equals(b)).toBe(false);
    expect(box.decrypt(a)).toBe(SECRET);
    const tampered = Buffer.from(a);
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 1, tampered.length - 1);
    expect(() => box.decrypt(tampered)).toThrow();
  });

  it('keep the key in a file only its owner can read, and survive a restart', () => {
    const dir = tempDir();
    const cipher = keyFileBox(dir).encrypt(SECRET);
    expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    chmodSync(join(dir, KEY_FILE), 0o644);
    expect(keyFileBox(dir).decrypt(cipher)).toBe(SECRET);
    expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
  });

  it('cannot be read with another installation’s key', () => {
    const cipher = keyFileBox(tempDir()).encrypt(SECRET);
    expect(() => keyFileBox(tempDir()).decrypt(cipher)).toThrow();
  });
});
