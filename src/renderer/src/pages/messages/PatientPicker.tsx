import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Patient } from '../../../../shared/domain';
import { useCall, useDebounced } from '../../api/hooks';
import { Chip } from '../../components/Chip';
import { ErrorNote } from '../../components/ErrorNote';
import { consentTone } from '../../components/tones';
import { NewPatientForm, type Draft } from '../patients/NewPatientForm';

const SHOWN = 6;

/**
 * Finds a patient by name, document or phone (`patients.list`) and shows what matters for sending to them. Used by
 * Mensajes and Citas; `testIdPrefix` keeps each form's test ids apart (`send-patient-search`, `apt-patient-search`).
 */
export function PatientPicker({
  value,
  onChange,
  invalid,
  testIdPrefix = 'send',
}: {
  value: Patient | null;
  onChange: (p: Patient | null) => void;
  invalid: boolean;
  testIdPrefix?: string;
}) {
  const { t } = useTranslation();
  if (value) {
    return (
      <div className="field span-all">
        <span>{t('messages.patient')}</span>
        <div className="picked" data-testid={`${testIdPrefix}-patient-picked`}>
          <PatientSummary p={value} />
          <button type="button" className="secondary small" onClick={() => onChange(null)}>
            {t('send.changePatient')}
          </button>
        </div>
      </div>
    );
  }
  return <PatientSearch onPick={onChange} invalid={invalid} testIdPrefix={testIdPrefix} />;
}

function PatientSearch({
  onPick,
  invalid,
  testIdPrefix,
}: {
  onPick: (p: Patient) => void;
  invalid: boolean;
  testIdPrefix: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [registering, setRegistering] = useState(false);
  const query = useDebounced(search.trim());
  const found = useCall('patients.list', { ...(query ? { search: query } : {}), limit: SHOWN });

  if (registering) {
    return (
      <NewPatientForm
        embedded
        testIdPrefix={`${testIdPrefix}-register`}
        initial={draftFromSearch(search)}
        onClose={() => setRegistering(false)}
        onCreated={onPick}
      />
    );
  }

  return (
    <div className="field span-all">
      <label className="field">
        <span>{t('messages.patient')}</span>
        <input
          type="search"
          value={search}
          placeholder={t('patients.search')}
          onChange={(e) => setSearch(e.target.value)}
          aria-invalid={invalid}
          data-testid={`${testIdPrefix}-patient-search`}
        />
      </label>
      {invalid && <small className="field-error">{t('send.errors.patient')}</small>}
      <ErrorNote error={found.error} />
      <ul className="pick-list">
        {found.data?.rows.map((p) => (
          <li key={p.id}>
            <button type="button" className="pick" onClick={() => onPick(p)} data-testid={`${testIdPrefix}-patient-option`}>
              <PatientSummary p={p} />
            </button>
          </li>
        ))}
      </ul>
      {found.data?.rows.length === 0 && <p className="muted">{t('patients.empty')}</p>}
      <div>
        <button type="button" className="link" onClick={() => setRegistering(true)} data-testid={`${testIdPrefix}-register-patient`}>
          {search.trim() ? t('patients.registerAs', { text: search.trim() }) : t('patients.registerFromPicker')}
        </button>
      </div>
    </div>
  );
}

/**
 * What was typed in the search, as the start of a registration: a 9-digit number starting with 9 is a Peruvian mobile,
 * other digits a document number, words are names (the first one the given name, the rest the surnames).
 */
export function draftFromSearch(search: string): Partial<Draft> {
  const text = search.trim();
  const digits = text.replace(/[\s\-+().]/g, '');
  if (/^\d+$/.test(digits)) return /^(51)?9\d{8}$/.test(digits) ? { phone: text } : { documentNumber: digits };
  const [first, ...rest] = text.split(/\s+/);
  return { firstNames: first ?? '', lastNames: rest.join(' ') };
}

function PatientSummary({ p }: { p: Patient }) {
  const { t } = useTranslation();
  return (
    <span className="patient-summary">
      <strong>
        {p.lastNames}, {p.firstNames}
      </strong>{' '}
      <span className="muted">
        {t(`documentType.${p.documentType}`)} {p.documentNumber} · {p.phoneE164 ?? p.phoneRaw ?? t('send.noPhone')}
      </span>{' '}
      <Chip tone={consentTone[p.consent]}>{t(`consent.${p.consent}`)}</Chip>
      {p.phoneError && <span className="warning"> ⚠ {p.phoneError}</span>}
    </span>
  );
}
