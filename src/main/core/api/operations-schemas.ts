import { z } from 'zod';

const none = z.object({}).strict();
const backupPath = z.string().trim().min(1).max(1000);

/** Arguments of the backup, restore, job and storage handlers (joined into argSchemas). */
export const operationsArgSchemas = {
  'backup.config': none,
  'backup.setConfig': z.object({
    folder: z.string().trim().max(1000),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
    keepDaily: z.number().int().min(1).max(365),
    keepWeekly: z.number().int().min(0).max(520),
    encrypt: z.boolean(),
    passphrase: z.string().max(200).optional(),
  }),
  'backup.runNow': none,
  'backup.list': none,
  'backup.history': none,
  'backup.checkRestore': z.object({ path: backupPath, passphrase: z.string().max(200).optional() }),
  'backup.restore': z.object({ path: backupPath, passphrase: z.string().max(200).optional() }),
  'jobs.list': none,
  'storage.retry': none,
};
