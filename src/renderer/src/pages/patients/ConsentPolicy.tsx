import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsentPolicyView } from '../../../../shared/api';
import { call } from '../../api/client';
import { useCall } from '../../api/hooks';
import { ErrorNote } from '../../components/ErrorNote';
import { useAction, useNotify } from '../../components/Notify';

const FIELDS: (keyof ConsentPolicyView)[] = ['resultsAfterOptOut', 'documentsAfterOptOut', 'remindersAfterOptOut'];

/**
 * What still goes to a patient who wrote BAJA / STOP. Campaigns and follow-ups never do; results and documents are
 * what the patient came for, so by default they still go; reminders are not, by default, since the patient asked for
 * silence and can still call the clinic.
 */
export function ConsentPolicy({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [run, busy] = useAction();
  const policy = useCall('consent.policy', {});
  const [draft, setDraft] = useState<ConsentPolicyView | null>(null);
  const value = draft ?? policy.data ?? null;

  const save = async (): Promise<void> => {
    if (!value) return;
    const saved = await run(() => call('consent.setPolicy', value));
    if (!saved) return;
    setDraft(null);
    policy.reload();
    notify.ok(t('common.saved'));
  };

  return (
    <div className="card" data-testid="consent-policy">
      <h3>{t('consentPolicy.title')}</h3>
      <p className="hint">{t('consentPolicy.intro')}</p>
      <ErrorNote error={policy.error} onRetry={policy.reload} retryLabel={t('common.retry')} />
      {value &&
        FIELDS.map((field) => (
          <label key={field} className="check policy-option">
            <input
              type="checkbox"
              checked={value[field]}
              onChange={(e) => setDraft({ ...value, [field]: e.target.checked })}
              data-testid={`consent-policy-${field}`}
            />
            <span>
              {t(`consentPolicy.${field}`)}
              <br />
              <small className="hint">{t(`consentPolicy.${field}Why`)}</small>
            </span>
          </label>
        ))}
      <div className="form-actions">
        <button type="button" className="secondary" onClick={onClose} disabled={busy}>
          {t('common.close')}
        </button>
        <button type="button" onClick={() => void save()} disabled={busy || !draft} data-testid="consent-policy-save">
          {t('common.save')}
        </button>
      </div>
    </div>
  );
}
