import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsView } from '../../../../shared/settings';
import type { Save } from '../settings/types';

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
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (invalid) return;
    void save({
      people: { autoLockMinutes: value, receptionLaunchesCampaigns: receptionLaunches },
      signOff: { requiredKinds: kinds, trustedSources: trusted.split(',').map((s) => s.trim()).filter(Boolean) },
    });
  };
  return (
    <form className="form-grid" onSubmit={submit} data-testid="people-rules">
      <h4 className="span-all">{t('people.rules')}</h4>
      <label className="field">
        <span>{t('people.autoLock')}</span>
        <input type="number" min={0} max={240} value={minutes} onChange={(e) => setMinutes(e.target.value)} aria-invalid={invalid} data-testid="people-autolock" />
        <small className="hint">{t('people.autoLockHint')}</small>
      </label>
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
      <label className="field span-all">
        <span>{t('people.trustedSources')}</span>
        <input value={trusted} onChange={(e) => setTrusted(e.target.value)} data-testid="signoff-trusted" />
        <small className="hint">{t('people.trustedSourcesHint')}</small>
      </label>
      <div className="form-actions span-all">
        <button type="submit" disabled={invalid} data-testid="people-rules-save">
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}
