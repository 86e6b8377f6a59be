import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import type { PatientUpdate } from '../../../../shared/api';
import type { Patient } from '../../../../shared/domain';
import { call } from '../../api/client';
import { useCall } from '../../api/hooks';
import { ErrorNote } from '../../components/ErrorNote';
import { useNotify } from '../../components/Notify';
import { useFormAction } from '../../components/useFormAction';
import { ContactFields } from './ContactFields';
import { PatientTagsField } from './PatientTagsField';

interface Draft {
  firstNames: string;
  lastNames: string;
  phone: string;
  email: string;
  siteId: string;
  consent: boolean;
}

function draftOf(p: Patient): Draft {
  return {
    firstNames: p.firstNames,
    lastNames: p.lastNames,
    phone: p.phoneRaw ?? p.phoneE164 ?? '',
    email: p.email ?? '',
    siteId: p.siteId === null ? '' : String(p.siteId),
    consent: p.consent === 'opted_in',
  };
}

/** Only what was changed: an untouched consent "sin respuesta" must not become "no desea mensajes". */
function updateOf(p: Patient, before: Draft, d: Draft): PatientUpdate {
  const update: PatientUpdate = { id: p.id };
  if (d.firstNames.trim() !== before.firstNames) update.firstNames = d.firstNames.trim();
  if (d.lastNames.trim() !== before.lastNames) update.lastNames = d.lastNames.trim();
  if (d.phone.trim() !== before.phone) update.phone = d.phone.trim() || null;
  if (d.email.trim() !== before.email) update.email = d.email.trim() || null;
  if (d.siteId !== before.siteId) update.siteId = d.siteId ? Number(d.siteId) : null;
  if (d.consent !== before.consent) update.consent = d.consent;
  return update;
}

/** Fix a patient's names, phone, e-mail, site or consent (`patients.update`), e.g. a phone WhatsApp cannot use. */
export function EditPatientForm({ p, onClose, onSaved }: { p: Patient; onClose: () => void; onSaved: (p: Patient) => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const sites = useCall('sites.list', {});
  const [before] = useState(() => draftOf(p));
  const [draft, setDraft] = useState(before);
  const [missing, setMissing] = useState(false);
  const { run, busy, error } = useFormAction();
  const set = <K extends keyof Draft>(key: K, value: Draft[K]): void => setDraft((d) => ({ ...d, [key]: value }));

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const empty = !draft.firstNames.trim() || !draft.lastNames.trim();
    setMissing(empty);
    if (empty) return;
    const update = updateOf(p, before, draft);
    if (Object.keys(update).length === 1) {
      onClose();
      return;
    }
    const saved = await run(() => call('patients.update', update));
    if (!saved) return;
    if (saved.phoneError) notify.warn(t('patients.phoneStillWrong', { reason: saved.phoneError }));
    else notify.ok(t('patients.updated'));
    onSaved(saved);
  };

  return (
    <form className="form-grid edit-form" onSubmit={(e) => void submit(e)} noValidate data-testid="patient-edit-form">
      <h3 className="span-all">{t('patients.editTitle', { name: `${p.lastNames}, ${p.firstNames}` })}</h3>
      {p.phoneError && (
        <p className="warning span-all" role="note">
          ⚠ {p.phoneError}
        </p>
      )}
      <Field label={t('patients.firstNames')}>
        <input value={draft.firstNames} onChange={(e) => set('firstNames', e.target.value)} aria-invalid={missing && !draft.firstNames.trim()} />
      </Field>
      <Field label={t('patients.lastNames')}>
        <input value={draft.lastNames} onChange={(e) => set('lastNames', e.target.value)} aria-invalid={missing && !draft.lastNames.trim()} />
      </Field>
      <ContactFields value={draft} set={set} sites={sites.data} phoneTestId="patient-edit-phone" />
      <label className="check span-all">
        <input
          type="checkbox"
          checked={draft.consent}
          onChange={(e) => set('consent', e.target.checked)}
          data-testid="patient-edit-consent"
        />
        <span>{t('patients.consentLabel')}</span>
      </label>
      <PatientTagsField patientId={p.id} />
      {missing && <small className="field-error span-all">{t('patients.required')}</small>}
      <div className="span-all">
        <ErrorNote error={error ?? sites.error} />
      </div>
      <div className="form-actions span-all">
        <button type="button" className="secondary" onClick={onClose} disabled={busy}>
          {t('common.cancel')}
        </button>
        <button type="submit" disabled={busy} data-testid="patient-save">
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}
