import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ConsentHistoryItem, EventName } from '../../../../shared/api';
import { useLiveCall } from '../../api/hooks';
import { Chip } from '../../components/Chip';
import { DataTable, type Column } from '../../components/DataTable';
import { consentTone } from '../../components/tones';
import { useFormat, type Formatters } from '../../format';

/**
 * The events after which a patient's consent may have changed, and no other: a person's edit, a result's fix, an
 * import, the patient's own "BAJA" or "ALTA", an appointment from HL7 or the clinic's database that registers them or
 * brings their consent: each announces 'patients.changed'.
 */
const consentEvents: readonly EventName[] = ['patients.changed'];

/** A patient's consent history, newest first: what changed, from where, when, who, and the message that caused it. */
export function ConsentHistory({ patientId, zone }: { patientId: number; zone?: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const history = useLiveCall('patients.consentHistory', { patientId }, consentEvents);
  return (
    <div className="consent-history" data-testid="consent-history">
      <h4>{t('consentHistory.title')}</h4>
      <DataTable
        framed={false}
        className="compact"
        columns={historyColumns(t, f, zone)}
        rows={history.data}
        rowKey={(h) => h.id}
        rowProps={(h) => ({
          'data-testid': 'consent-entry',
          'data-status': h.status,
          'data-source': h.source ?? '',
          'data-person': h.personId ?? '',
        })}
        error={history.error}
        onRetry={history.reload}
      />
      {history.data?.length === 0 && <p className="muted">{t('consentHistory.empty')}</p>}
    </div>
  );
}

function historyColumns(t: TFunction, f: Formatters, zone: string | undefined): Column<ConsentHistoryItem>[] {
  // A person is named as recorded; the app's own words (patient, import, and "usuario" from before people) translated.
  const actorLabel = (h: ConsentHistoryItem): string => {
    if (h.personId !== null && h.actor) return h.actor;
    return h.actor ? t(`consentHistory.actors.${h.actor}`, { defaultValue: h.actor }) : t('common.none');
  };
  return [
    { key: 'when', header: t('consentHistory.when'), className: 'nowrap', cell: (h) => f.dateTime(h.at, zone) },
    {
      key: 'status',
      header: t('consentHistory.status'),
      cell: (h) => <Chip tone={consentTone[h.status]}>{t(`consent.${h.status}`)}</Chip>,
    },
    {
      key: 'source',
      header: t('consentHistory.source'),
      cell: (h) => (h.source ? t(`consentHistory.sources.${h.source}`) : t('common.none')),
    },
    { key: 'actor', header: t('consentHistory.actor'), testId: 'consent-actor', cell: actorLabel },
    {
      key: 'cause',
      header: t('consentHistory.cause'),
      cell: (h) => (h.replyBody !== null ? <q data-testid="consent-reply">{h.replyBody}</q> : (h.note ?? '')),
    },
  ];
}
