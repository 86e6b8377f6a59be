import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsView } from '../../../../shared/settings';
import { useAppStatus } from '../../appStatus';
import { Field } from '../../components/Field';
import { Hl7RefusedList } from './Hl7RefusedList';
import { Hl7SiteCodes } from './Hl7SiteCodes';
import type { Save } from './types';
import { wholeNumber } from './SendingSection';
import { SaveBar, useUnsaved } from './unsaved';

const list = (value: string): string[] => value.split(',').map((v) => v.trim()).filter(Boolean);
const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** Ajustes → HL7: the MLLP listener the lab or scheduling system sends results (ORU) and appointments (SIU) to. */
export function Hl7Section({ view, save }: { view: SettingsView; save: Save }) {
  const { t } = useTranslation();
  const { status } = useAppStatus();
  const saved = view.hl7;
  const [enabled, setEnabled] = useState(saved.enabled);
  const [host, setHost] = useState(saved.host);
  const [port, setPort] = useState(String(saved.port));
  const [trusted, setTrusted] = useState(saved.trustedSenders.join(', '));
  const [addresses, setAddresses] = useState(saved.allowedAddresses.join(', '));
  const portNumber = wholeNumber(port, 1, 65535);
  const invalid = portNumber === null || !host.trim();
  // Compared as they would be saved: spaces around a host or between listed names are not an edit.
  const dirty =
    enabled !== saved.enabled ||
    host.trim() !== saved.host ||
    portNumber !== saved.port ||
    !sameList(list(trusted), saved.trustedSenders) ||
    !sameList(list(addresses), saved.allowedAddresses);
  useUnsaved('hl7', dirty);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (invalid) return;
    void save({ hl7: { enabled, host: host.trim(), port: portNumber, trustedSenders: list(trusted), allowedAddresses: list(addresses) } });
  };

  return (
    <section className="card settings-group" data-testid="settings-hl7">
      <h3>{t('hl7.title')}</h3>
      <p className="hint">{t('hl7.hint')}</p>
      {saved.enabled && (
        <p className="hint" data-testid="hl7-state">
          {status.hl7Port ? t('hl7.listening', { port: status.hl7Port }) : t('hl7.notListening')}
        </p>
      )}
      <form className="form-grid" onSubmit={submit} noValidate>
        <label className="check span-all">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} data-testid="hl7-enabled" />
          <span>{t('hl7.enabled')}</span>
        </label>
        <Field label={t('hl7.host')} hint={t('hl7.hostHint')} error={host.trim() ? null : t('clinicDb.errors.required')}>
          <input value={host} onChange={(e) => setHost(e.target.value)} data-testid="hl7-host" />
        </Field>
        <Field label={t('hl7.port')} error={portNumber === null ? t('hl7.portError') : null}>
          <input type="number" min={1} max={65535} value={port} onChange={(e) => setPort(e.target.value)} data-testid="hl7-port" />
        </Field>
        <Field label={t('hl7.trustedSenders')} hint={t('hl7.trustedSendersHint')} wide>
          <input value={trusted} onChange={(e) => setTrusted(e.target.value)} data-testid="hl7-trusted" />
        </Field>
        <Field label={t('hl7.allowedAddresses')} hint={t('hl7.allowedAddressesHint')} wide>
          <input value={addresses} onChange={(e) => setAddresses(e.target.value)} data-testid="hl7-addresses" />
        </Field>
        <SaveBar dirty={dirty} disabled={invalid} testId="hl7-save" />
      </form>
      <Hl7SiteCodes view={view} save={save} />
      <Hl7RefusedList />
    </section>
  );
}
