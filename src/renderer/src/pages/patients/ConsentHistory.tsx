import { useTranslation } from 'react-i18next';
import type { ConsentHistoryItem } from '../../../../shared/api';
import { useCall } from '../../api/hooks';
import { Chip } from '../../components/Chip';
import { ErrorNote } from '../../components/ErrorNote';
import { consentTone } from '../../components/tones';
import { useFormat } from '../../format';

/** A patient's consent history, newest first: what changed, from where, when, who, and the message that caused it. */
export function ConsentHistory({ patientId, zone }: { patientId: number; zone?: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const history = useCall('patients.consentHistory', { patientId });
  // A person is named as recorded; the app's own words (patient, import, and "usuario" from before people) translated.
  const actorLabel = (h: ConsentHistoryItem): string => {
    if (h.personId !== null && h.actor) return h.actor;
    return h.actor ? t(`consentHistory.actors.${h.actor}`, { defaultValue: h.actor }) : t('common.none');
  };
  return (
    <div className="consent-history" data-testid="consent-history">
      <h4>{t('consentHistory.title')}</h4>
      <ErrorNote error={history.error} onRetry={history.reload} retryLabel={t('common.retry')} />
      {history.data?.length === 0 && <p className="muted">{t('consentHistory.empty')}</p>}
      {history.data && history.data.length > 0 && (
        <table className="table compact">
          <thead>
            <tr>
              <th>{t('consentHistory.when')}</th>
              <th>{t('consentHistory.status')}</th>
              <th>{t('consentHistory.source')}</th>
              <th>{t('consentHistory.actor')}</th>
              <th>{t('consentHistory.cause')}</th>
            </tr>
          </thead>
          <tbody>
            {history.data.map((h) => (
              <tr
                key={h.id}
                data-testid="consent-entry"
                data-status={h.status}
                data-source={h.source ?? ''}
                data-person={h.personId ?? ''}
              >
                <td className="nowrap">{f.dateTime(h.at, zone)}</td>
                <td>
                  <Chip tone={consentTone[h.status]}>{t(`consent.${h.status}`)}</Chip>
                </td>
                <td>{h.source ? t(`consentHistory.sources.${h.source}`) : t('common.none')}</td>
                <td data-testid="consent-actor">{actorLabel(h)}</td>
                <td>{h.replyBody !== null ? <q data-testid="consent-reply">{h.replyBody}</q> : (h.note ?? '')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
