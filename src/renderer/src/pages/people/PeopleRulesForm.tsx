import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsView } from '../../../../shared/settings';
import { Field } from '../../components/Field';
import type { Save } from '../settings/types';
import { SaveBar, useUnsaved } from '../settings/unsaved';

const KINDS = ['result', 'certificate', 'attestation', 'receipt'] as const;

/** Auto-lock, whether Recepción may launch campaigns, and which kinds wait for a professional's validation. */
export function PeopleRulesForm({ view, save }: { view: SettingsView; save: Save }) {
  const { t } = useTranslation();
  const [minutes, setMinutes] = useState(String(view.people.autoLockMinutes));
  const [receptionLaunches, setReceptionLaunches] = useState(view.people.receptionLaunchesCampaigns);
  const [kinds, setKinds] = useState(view.signOff.requiredKinds);
  const [trusted, setTrusted] = useState(view.signOff.trustedSources.join(', '));
  const value = Number(minutes);
  const invalid = !Number.isInteger(value) || value < 0 || value > 240;
  const trustedList = trusted.split(',').map((s) => s.trim()).filter(Boolean);
  const sameKinds = kinds.length === view.signOff.requiredKinds.length && kinds.every((k) => view.signOff.requiredKinds.includes(k));
  const dirty =
    value !== view.people.autoLockMinutes ||
    receptionLaunches !== view.people.receptionLaunchesCampaigns ||
    !sameKinds ||
    trustedList.join(',') !== view.signOff.trustedSources.join(',');
  useUnsaved('people-rules', dirty);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (invalid) return;
    void save({
      people: { autoLockMinutes: value, receptionLaunchesCampaigns: receptionLaunches },
      signOff: { requiredKinds: kinds, trustedSources: trustedList },
    });
  };
  return (
    <form className="form-grid" onSubmit={submit} data-testid="people-rules">
      <h4 className="span-all">{t('people.rules')}</h4>
      <Field label={t('people.autoLock')} hint={t('people.autoLockHint')} error={invalid ? t('people.autoLockError', { min: 0, max: 240 }) : null}>
        <input type="number" min={0} max={240} value={minutes} onChange={(e) => setMinutes(e.target.value)} data-testid="people-autolock" />
      </Field>
      <label className="check span-all">
        <input
          type="checkbox"
          checked={receptionLaunches}
          onChange={(e) => setReceptionLaunches(e.target.checked)}
          aria-describedby="people-reception-campaigns-hint"
          data-testid="people-reception-campaigns"
        />
        <span>{t('people.receptionCampaigns')}</span>
      </label>
      <small className="hint span-all" id="people-reception-campaigns-hint">
        {t('people.receptionCampaignsHint')}
      </small>
      <div className="field span-all">
        <span>{t('people.requiredKinds')}</span>
        <span className="row wrap">
          {KINDS.map((kind) => (
            <label key={kind} className="check">
              <input
                type="checkbox"
                checked={kinds.includes(kind)}
                data-testid={`signoff-kind-${kind}`}
                onChange={(e) => setKinds(e.target.checked ? [...kinds, kind] : kinds.filter((k) => k !== kind))}
              />
              <span>{t(`resultKind.${kind}`)}</span>
            </label>
          ))}
        </span>
      </div>
      <Field label={t('people.trustedSources')} hint={t('people.trustedSourcesHint')} wide>
        <input value={trusted} onChange={(e) => setTrusted(e.target.value)} data-testid="signoff-trusted" />
      </Field>
      <SaveBar dirty={dirty} disabled={invalid} testId="people-rules-save" />
    </form>
  );
}
