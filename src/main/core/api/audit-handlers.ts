import { DateTime } from 'luxon';
import { verifyAnchoredAudit } from '../audit/audit-anchor';
import { collectEvidence } from '../audit/evidence';
import { evidenceCsv } from '../audit/evidence-csv';
import { evidencePdf } from '../audit/evidence-pdf';
import { text } from '../i18n';
import { listSites } from '../store/clinic-repo';
import { getPatient } from '../store/patients-repo';
import { HandlerError } from './handler-error';
import { languageOf, type HandlerContext, type HandlersFor } from './handler-context';

/** The audit trail's check and a patient's evidence export (CSV or PDF). */
export function auditHandlers(ctx: HandlerContext): HandlersFor<'audit.verify' | 'evidence.export'> {
  const lang = languageOf(ctx);
  /** The chain checked now, its reason in the clinic's language. */
  const localVerification = () => {
    const { anchored: _anchored, ...result } = verifyAnchoredAudit(ctx.db, ctx.dataDir);
    return { ...result, reason: result.reason ? text(lang(), `audit.${result.reason}`) : null };
  };

  return {
    'audit.verify': () => localVerification(),

    'evidence.export': async (args) => {
      const patient = getPatient(ctx.db, args.patientId);
      if (!patient) throw new HandlerError('not_found', text(lang(), 'error.not_found'));
      const site = listSites(ctx.db).find((s) => s.id === patient.siteId) ?? listSites(ctx.db)[0];
      const zone = site?.timeZone ?? 'UTC';
      const evidence = collectEvidence(ctx.db, {
        patient,
        from: args.from,
        to: args.to,
        clinicName: ctx.settings.get().clinicName,
        timeZone: zone,
        language: lang(),
        now: ctx.now(),
        verification: localVerification(),
      });
      ctx.audit('evidence.exported', 'patient', patient.id, { format: args.format, from: args.from ?? null, to: args.to ?? null });
      const day = DateTime.fromMillis(ctx.now(), { zone }).toFormat('yyyyLLdd');
      const name = `evidencia-${patient.documentType}-${patient.documentNumber}-${day}`;
      if (args.format === 'csv') {
        const csv = evidenceCsv(evidence);
        return { filename: `${name}.csv`, mimeType: 'text/csv;charset=utf-8', base64: Buffer.from(csv, 'utf8').toString('base64') };
      }
      const pdf = await evidencePdf(evidence);
      return { filename: `${name}.pdf`, mimeType: 'application/pdf', base64: Buffer.from(pdf).toString('base64') };
    },
  };
}
