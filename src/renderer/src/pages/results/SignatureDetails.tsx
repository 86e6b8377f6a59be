import { useTranslation } from 'react-i18next';
import { useCall } from '../../api/hooks';
import { Chip } from '../../components/Chip';
import { ErrorNote } from '../../components/ErrorNote';
import { useFormat } from '../../format';

/** "Ver firma": who signed the document as it was sent, when, at which PAdES level, and whether its validation data is complete. */
export function SignatureDetails({ id }: { id: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  const report = useCall('results.signature', { id });
  if (report.error) return <ErrorNote error={report.error} onRetry={report.reload} retryLabel={t('common.retry')} />;
  if (!report.data) return <p className="muted">{t('common.loading')}</p>;
  const { signatures, level, validationData } = report.data;
  const when = (iso: string | null): string => (iso ? f.dateTime(Date.parse(iso)) : '—');
  return (
    <div className="cert-box" data-testid="signature-details" data-level={level ?? ''}>
      <p>
        <Chip tone="info">{level ?? '—'}</Chip>{' '}
        {validationData.complete ? (
          <Chip tone="good">{t('signatureView.complete')}</Chip>
        ) : (
          <Chip tone="warn">{t('signatureView.incomplete', { missing: validationData.missing.join(', ') || '—' })}</Chip>
        )}
      </p>
      <dl className="review-facts">
        {signatures.map((s) => (
          <div key={s.field}>
            <dt>{s.kind === 'document_timestamp' ? t('signatureView.documentTimestamp') : t('signatureView.signedBy')}</dt>
            <dd>
              {s.signer ?? '—'} · {t('signatureView.signedAt')}: {when(s.signedAt ?? s.timestampedAt)}
              {s.timestampedAt && s.kind === 'signature' && (
                <span className="muted">
                  {' '}
                  · {t('signatureView.timestampedAt')}: {when(s.timestampedAt)}
                </span>
              )}
            </dd>
          </div>
        ))}
      </dl>
      <p className="muted">
        {t('signatureView.data', { certs: validationData.certificates, ocsps: validationData.ocspResponses, crls: validationData.crls })}
      </p>
    </div>
  );
}
