import type { ArgsOf, ResultOf, UndeliveredResult } from '../../../shared/api';
import { RECIPIENT_FAILURE_CODES } from '../../../shared/failure-codes';
import { classify } from '../channels/cloud-api/error-policy';
import { listUndeliveredResults, type UndeliveredRow } from '../store/undelivered-results-repo';
import type { HandlerContext } from './handler-context';

// Resultados → Por revisar also lists what the source delivered fine but WhatsApp did not: each row says why and
// offers the one action that fixes it, instead of a "Reenviar" that would fail again the same way.


export function fixFor(row: Pick<UndeliveredRow, 'phoneE164' | 'consent' | 'errorCode'>): UndeliveredResult['fix'] {
  if (row.phoneE164 === null || (row.errorCode !== null && RECIPIENT_FAILURE_CODES.has(row.errorCode))) return 'phone';
  if (row.consent !== 'opted_in') return 'consent';
  const code = row.errorCode ?? '';
  if (code === 'not_configured' || code.startsWith('linked_device_')) return 'channel';
  if (/^\d+$/.test(code) && classify(Number(code)) === 'account') return 'channel';
  return 'resend';
}

export function undeliveredHandlers(ctx: HandlerContext): {
  'results.undelivered': (args: ArgsOf<'results.undelivered'>) => ResultOf<'results.undelivered'>;
} {
  return {
    'results.undelivered': (args) => {
      const page = listUndeliveredResults(ctx.db, { limit: args.limit ?? 100, offset: args.offset ?? 0 });
      return {
        total: page.total,
        rows: page.rows.map((r) => ({
          resultId: r.resultId,
          kind: r.kind,
          title: r.title,
          patientId: r.patientId,
          patientName: r.patientName,
          patientPhone: r.phoneRaw ?? r.phoneE164,
          phoneError: r.phoneError,
          consent: r.consent,
          messageId: r.messageId,
          messageState: r.messageState,
          reason: r.errorReason ?? '',
          errorCode: r.errorCode,
          fix: fixFor(r),
          failedAt: r.failedAt,
        })),
      };
    },
  };
}
