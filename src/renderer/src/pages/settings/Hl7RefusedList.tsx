import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useHl7Refused } from '../../api/settingsResources';
import { RefusedList } from './RefusedList';

/**
 * Ajustes → HL7 → refused messages: what the sender got AE or AR for, with the reason. Once the reason is fixed (a
 * site code mapped above, a patient registered) a message is processed again from here instead of asking the
 * sender to resend it.
 */
export function Hl7RefusedList() {
  const { t } = useTranslation();
  const list = useHl7Refused();
  return (
    <RefusedList
      testId="hl7-refused"
      itemTestId="hl7-refused"
      texts="hl7.refused"
      title={t('hl7.refused.title')}
      none={t('hl7.refused.none')}
      rows={list.data}
      list={list}
      what={{
        header: t('hl7.refused.message'),
        cell: (r) => (
          <>
            {r.messageType ?? '—'} {r.controlId ? `· ${r.controlId}` : ''}
            <br />
            <small className="hint">
              {r.ack} · {r.remote}
            </small>
          </>
        ),
      }}
      retry={(id) => call('hl7.retry', { id })}
    />
  );
}
