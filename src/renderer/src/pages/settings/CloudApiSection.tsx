import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CloudApiCheck } from '../../../../shared/api';
import type { SettingsView } from '../../../../shared/settings';
import { call } from '../../api/client';
import { Chip } from '../../components/Chip';
import { useAction } from '../../components/Notify';
import { qualityTone } from '../../components/tones';
import { CLOUD_FIELDS, NUMERIC_FIELDS, changedFields, draftOf, parseDraft, type CloudDraft, type CloudField } from './cloudForm';
import type { Save } from './types';
import { SaveBar, useUnsaved } from './unsaved';
import { useSectionAnchor } from './useSectionAnchor';

/**
 * Where the clinic's WhatsApp Business number lives at Meta, how fast to send, its keys (`keys`: each saved on its
 * own, write-only) and a connection check.
 */
export function CloudApiSection({ view, save, keys }: { view: SettingsView; save: Save; keys?: ReactNode }) {
  const { t } = useTranslation();
  const anchor = useSectionAnchor<HTMLElement>('cloud-api');
  const [draft, setDraft] = useState<CloudDraft>(() => draftOf(view.cloudApi));
  const [invalid, setInvalid] = useState<Set<CloudField>>(new Set());
  const parsed = parseDraft(draft);
  const changed = !parsed.ok || Object.keys(changedFields(parsed.value, view.cloudApi)).length > 0;
  useUnsaved('cloud-api', changed);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!parsed.ok) {
      setInvalid(parsed.invalid);
      return;
    }
    setInvalid(new Set());
    void save({ cloudApi: changedFields(parsed.value, view.cloudApi) });
  };

  return (
    <section className="card" data-testid="settings-cloud" ref={anchor}>
      <h3>{t('settings.cloudApi')}</h3>
      <p className="hint">{t('settings.cloudApiHint')}</p>
      <form className="form-grid" onSubmit={submit} noValidate>
        {CLOUD_FIELDS.map((k) => (
          <label className="field" key={k}>
            <span>{t(`settings.cloud.${k}`)}</span>
            <input
              value={draft[k]}
              inputMode={NUMERIC_FIELDS.has(k) ? 'decimal' : undefined}
              onChange={(e) => {
                setDraft((d) => ({ ...d, [k]: e.target.value }));
                // Its message goes as soon as the field is edited; the next Save checks it again.
                setInvalid((set) => withoutField(set, k));
              }}
              spellCheck={false}
              aria-invalid={invalid.has(k)}
              data-testid={`cloud-field-${k}`}
            />
            {invalid.has(k) ? (
              <small className="field-error">{t(`settings.cloudErrors.${k}`)}</small>
            ) : (
              <small className="hint">{t(`settings.cloudHints.${k}`)}</small>
            )}
          </label>
        ))}
        <SaveBar dirty={changed} testId="cloud-save" />
      </form>
      {keys}
      <ConnectionCheck unsaved={changed} />
    </section>
  );
}

function ConnectionCheck({ unsaved }: { unsaved: boolean }) {
  const { t } = useTranslation();
  const [run, busy] = useAction();
  const [check, setCheck] = useState<CloudApiCheck | null>(null);

  const verify = async (): Promise<void> => {
    setCheck(null);
    const result = await run(() => call('cloudApi.check', {}));
    if (result) setCheck(result);
  };

  return (
    <div className="subsection">
      <div className="row">
        <button type="button" className="secondary" onClick={() => void verify()} disabled={busy || unsaved} data-testid="cloud-check">
          {busy ? t('settings.checking') : t('settings.checkConnection')}
        </button>
        {unsaved && <span className="hint">{t('settings.saveBeforeCheck')}</span>}
      </div>
      {check && (
        <div className={check.ok ? 'ok-note' : 'error-note'} role="status" data-testid="cloud-check-result" data-ok={check.ok}>
          {check.ok ? (
            <dl className="facts compact">
              <dt>{t('settings.checkNumber')}</dt>
              <dd>{check.displayPhoneNumber ?? t('common.none')}</dd>
              <dt>{t('settings.checkName')}</dt>
              <dd>{check.verifiedName ?? t('common.none')}</dd>
              <dt>{t('settings.checkQuality')}</dt>
              <dd>
                <Chip tone={qualityTone(check.qualityRating)}>{check.qualityRating ?? t('common.none')}</Chip>
              </dd>
            </dl>
          ) : (
            <span>{check.error ?? t('settings.checkFailed')}</span>
          )}
        </div>
      )}
    </div>
  );
}

function withoutField(set: Set<CloudField>, field: CloudField): Set<CloudField> {
  if (!set.has(field)) return set;
  const next = new Set(set);
  next.delete(field);
  return next;
}
