import type { Language } from '../../../shared/domain';
import type { CertificateStatus } from '../documents/certificate-cache';

const words = {
  expired: {
    es: (d: string) => `El certificado de firma venció el ${d}: los resultados que deben ir firmados esperan en "por revisar". Instale el certificado renovado en Ajustes → Certificado.`,
    en: (d: string) => `The signing certificate expired on ${d}: results that must be signed wait in "to review". Install the renewed certificate in Settings → Certificate.`,
  },
  soon: {
    es: (n: number, d: string) => `El certificado de firma vence en ${n} días (${d}). Pida la renovación a tiempo.`,
    en: (n: number, d: string) => `The signing certificate expires in ${n} days (${d}). Ask for its renewal in time.`,
  },
};

/**
 * The morning check: nothing when there is no certificate or it has time left; otherwise throws the warning, which the
 * job list keeps as the job's last error for Ajustes → Estado until a later check passes.
 */
export function certificateWarning(status: CertificateStatus, language: Language): void {
  if (!status.configured) return;
  const info = status.info;
  if (!info) return;
  const day = info.notAfter.slice(0, 10);
  if (!status.ok && status.code === 'expired') throw new Error(words.expired[language](day));
  if (status.ok && info.expiringSoon) throw new Error(words.soon[language](info.expiresInDays, day));
}
