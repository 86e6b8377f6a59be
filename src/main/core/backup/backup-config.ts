import { z } from 'zod';
import { readBackupConfig, writeBackupConfig } from '../store/backup-repo';
import type { Db } from '../store/db';

/** Ajustes → Copias de seguridad. The passphrase is a secret (backup.passphrase), never here. */
export const backupConfigSchema = z.object({
  /** A local disk, a USB stick or a mapped network share; empty until a person picks one. */
  folder: z.string().default(''),
  /** Local time in the clinic's zone. */
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/).default('22:00'),
  keepDaily: z.number().int().min(1).max(365).default(14),
  keepWeekly: z.number().int().min(0).max(520).default(8),
  encrypt: z.boolean().default(false),
});

export type BackupConfig = z.infer<typeof backupConfigSchema>;
export const BACKUP_PASSPHRASE_SECRET = 'backup.passphrase';

export function loadBackupConfig(db: Db): BackupConfig {
  const parsed = backupConfigSchema.safeParse(readBackupConfig(db));
  return parsed.success ? parsed.data : backupConfigSchema.parse({});
}

export function saveBackupConfig(db: Db, config: BackupConfig): BackupConfig {
  const next = backupConfigSchema.parse(config);
  writeBackupConfig(db, next);
  return next;
}
