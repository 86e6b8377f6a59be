import type { Language } from '../../../shared/domain';

// What a person reads about backups, restores and the disk under the database: what happened and what to do.
const texts = {
  folder_missing: {
    es: 'No se encontró la carpeta de copias ({detail}). Conecte el disco USB o la unidad de red, o elija otra carpeta en Ajustes → Copias de seguridad.',
    en: 'The backup folder was not found ({detail}). Connect the USB disk or network drive, or choose another folder in Settings → Backups.',
  },
  folder_unavailable: {
    es: 'La carpeta de copias dejó de responder durante la copia (disco desconectado o red caída). Se reintentará.',
    en: 'The backup folder stopped answering during the copy (disk disconnected or network down). It will be retried.',
  },
  disk_full: {
    es: 'No hay espacio suficiente en la carpeta de copias. Libere espacio o elija otra carpeta.',
    en: 'There is not enough space in the backup folder. Free some space or choose another folder.',
  },
  no_permission: {
    es: 'Avisa no tiene permiso para escribir en la carpeta de copias. Pida a sistemas que le den acceso o elija otra carpeta.',
    en: 'Avisa is not allowed to write to the backup folder. Ask IT for access or choose another folder.',
  },
  check_failed: {
    es: 'La copia no pasó la verificación ({detail}) y se descartó. La base de datos actual no se tocó.',
    en: 'The copy failed its check ({detail}) and was discarded. The current database was not touched.',
  },
  no_folder: {
    es: 'Falta elegir la carpeta de copias en Ajustes → Copias de seguridad.',
    en: 'Choose the backup folder in Settings → Backups.',
  },
  no_passphrase: {
    es: 'La copia cifrada necesita una contraseña: escríbala en Ajustes → Copias de seguridad.',
    en: 'An encrypted backup needs a passphrase: enter it in Settings → Backups.',
  },
  busy: { es: 'Ya se está haciendo una copia.', en: 'A backup is already running.' },
  io: { es: 'La copia falló por un error del disco ({detail}).', en: 'The backup failed with a disk error ({detail}).' },
  wrong_passphrase: {
    es: 'La contraseña no abre esta copia (o la copia fue alterada).',
    en: 'The passphrase does not open this backup (or the backup was altered).',
  },
  not_a_backup: {
    es: 'La carpeta elegida no es una copia de Avisa (no tiene manifest.json).',
    en: 'The chosen folder is not an Avisa backup (it has no manifest.json).',
  },
  hash_mismatch: {
    es: 'Un archivo de la copia no coincide con su huella ({detail}): la copia está dañada.',
    en: 'A file in the backup does not match its fingerprint ({detail}): the backup is damaged.',
  },
  newer_version: {
    es: 'La copia es de una versión más nueva de Avisa ({detail}). Actualice Avisa antes de restaurarla.',
    en: 'The backup comes from a newer Avisa ({detail}). Update Avisa before restoring it.',
  },
  secrets_reenter: {
    es: 'Las contraseñas y tokens guardados (Cloud API, certificado, correo) están ligados a la cuenta de Windows/macOS y no viajan en la copia: después de restaurar, escríbalos de nuevo en Ajustes.',
    en: 'Saved passwords and tokens (Cloud API, certificate, e-mail) are tied to the operating-system account and do not travel in the backup: after a restore, enter them again in Settings.',
  },
  storage_full: {
    es: 'El disco donde Avisa guarda sus datos está lleno. El envío se pausó; nada de la cola se perdió. Libere espacio en el disco y pulse Reanudar.',
    en: 'The disk where Avisa keeps its data is full. Sending is paused; nothing in the queue was lost. Free some disk space and press Resume.',
  },
  storage_busy: {
    es: 'Otro programa tiene bloqueada la base de datos de Avisa (un antivirus o una copia externa). El envío se pausó; nada se perdió. Se reintentará solo.',
    en: 'Another program is locking Avisa’s database (an antivirus or an outside copy tool). Sending is paused; nothing was lost. It will retry by itself.',
  },
  storage_corrupt: {
    es: 'La base de datos de Avisa está dañada. El envío se pausó. Restaure la última copia de seguridad (Ajustes → Restaurar) o llame a soporte.',
    en: 'Avisa’s database is damaged. Sending is paused. Restore the latest backup (Settings → Restore) or call support.',
  },
  storage_io: {
    es: 'El disco de Avisa dio un error de lectura o escritura. El envío se pausó; nada de la cola se perdió. Revise el disco y pulse Reanudar.',
    en: 'Avisa’s disk reported a read or write error. Sending is paused; nothing in the queue was lost. Check the disk and press Resume.',
  },
} as const;

export type BackupTextKey = keyof typeof texts;

export function backupText(language: Language, key: BackupTextKey, detail = ''): string {
  return texts[key][language].replace('{detail}', detail);
}

export const bothTexts = (key: BackupTextKey, detail = ''): { es: string; en: string } => ({
  es: backupText('es', key, detail),
  en: backupText('en', key, detail),
});
