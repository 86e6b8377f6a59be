import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsView } from '../../../../shared/settings';
import { useAppStatus } from '../../appStatus';
import { Hl7RefusedList } from './Hl7RefusedList';
import { Hl7SiteCodes } from './Hl7SiteCodes';
import type { Save } from './types';
import { wholeNumber } from './SendingSection';

/** Ajustes → HL7: the MLLP listener the lab or scheduling system sends results (ORU) and appointments (SIU) to. */
export function Hl7Section({ view, save }: { view: SettingsView; save: Save }) {
  const { t } = useTranslation();
  const { status } = useAppStatus();
  const [enabled, setEnabled] = useState(view.hl7.enabled);
  const [host, setHost] = useState(view.hl7.host);
  const [port, setPort] = useState(String(view.hl7.port));
  const portNumber = wholeNumber(port, 1, 65535);
  const invalid = portNumber === null || !host.trim();

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (invalid) return;
    void save({ hl7: { enabled, host: host.trim(), port: portNumber } });
  };

  return (
    <section className="card settings-group" data-testid="settings-hl7">
      <h3>{t('hl7.title')}</h3>
      <p className="hint">{t('hl7.hint')}</p>
      {view.hl7.enabled && (
        <p className="hint" data-testid="hl7-state">
          {status.hl7Port ? t('hl7.listening', { port: status.hl7Port }) : t('hl7.notListening')}
        </p>
      )}
      <form className="form-grid" onSubmit={submit} noValidate>
        <label className="check span-all">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} data-testid="hl7-enabled" />
          <span>{t('hl7.enabled')}</span>
        </label>
        <label className="field">
          <span>{t('hl7.host')}</span>
          <input value={host} onChange={(e) => setHost(e.target.value)} aria-invalid={!host.trim()} data-testid="hl7-host" />
          <small className="hint">{t('hl7.hostHint')}</small>
        </label>
        <label className="field">
          <span>{t('hl7.port')}</span>
          <input type="number" min={1} max={65535} value={port} onChange={(e) => setPort(e.target.value)} aria-invalid={portNumber === null} data-testid="hl7-port" />
          {portNumber === null && <small className="field-error">{t('hl7.portError')}</small>}
        </label>
        <div className="form-actions span-all">
          <button type="submit" disabled={invalid} data-testid="hl7-save">
            {t('common.save')}
          </button>
        </div>
      </form>
      <Hl7SiteCodes view={view} save={save} />
      <Hl7RefusedList />
    </section>
  );
}
