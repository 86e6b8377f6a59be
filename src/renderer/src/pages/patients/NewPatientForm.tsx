import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import type { NewPatientInput } from '../../../../shared/api';
import type { DocumentType, Patient } from '../../../../shared/domain';
import { call } from '../../api/client';
import { useCall, useDebounced } from '../../api/hooks';
import { ErrorNote } from '../../components/ErrorNote';
import { useAction, useNotify } from '../../components/Notify';
import { ContactFields } from './ContactFields';
import { DocumentTypeSelect } from './DocumentTypeSelect';

export interface Draft {
  firstNames: string;
  lastNames: string;
  documentType: DocumentType;
  documentNumber: string;
  birthDate: string;
  phone: string;
  email: string;
  siteId: string;
  consent: boolean;
}

const EMPTY: Draft = {
  firstNames: '',
  lastNames: '',
  documentType: 'DNI',
  documentNumber: '',
  birthDate: '',
  phone: '',
  email: '',
  siteId: '',
  consent: false,
};

/**
 * Registering a patient: from Pacientes, or from any patient picker (Nueva cita, Nuevo mensaje, Nuevo documento)
 * prefilled with what was typed there. `embedded` draws it without a <form> of its own, since the picker sits inside
 * another form whose fields must not be lost. A patient who may already exist (same document, or the same names) is
 * shown before a second record is made.
 */
export function NewPatientForm({
  onClose,
  onCreated,
  initial = {},
  embedded = false,
  testIdPrefix = 'patient',
}: {
  onClose: () => void;
  onCreated: (p: Patient) => void;
  initial?: Partial<Draft>;
  embedded?: boolean;
  testIdPrefix?: string;
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [run, busy] = useAction();
  const sites = useCall('sites.list', {});
  const [draft, setDraft] = useState<Draft>({ ...EMPTY, ...initial });
  const duplicates = usePossibleDuplicates(draft);
  const [missing, setMissing] = useState<Set<keyof Draft>>(new Set());
  const set = <K extends keyof Draft>(key: K, value: Draft[K]): void => setDraft((d) => ({ ...d, [key]: value }));

  const submit = async (event?: FormEvent): Promise<void> => {
    event?.preventDefault();
    const required: (keyof Draft)[] = ['firstNames', 'lastNames', 'documentNumber'];
    const empty = new Set(required.filter((k) => !String(draft[k]).trim()));
    setMissing(empty);
    if (empty.size) return;
    const input: NewPatientInput = {
      firstNames: draft.firstNames.trim(),
      lastNames: draft.lastNames.trim(),
      documentType: draft.documentType,
      documentNumber: draft.documentNumber.trim(),
      birthDate: draft.birthDate || null,
      phone: draft.phone.trim() || null,
      email: draft.email.trim() || null,
      siteId: draft.siteId ? Number(draft.siteId) : null,
      consent: draft.consent,
    };
    const created = await run(() => call('patients.create', input));
    if (!created) return;
    // The core keeps a patient with an unusable phone: say why right away, it will not get messages.
    if (created.phoneError) notify.warn(t('patients.phoneWarning', { reason: created.phoneError }));
    else notify.ok(t('patients.created'));
    setDraft(EMPTY);
    onCreated(created);
  };

  const requiredError = (key: keyof Draft): string | null => (missing.has(key) ? t('patients.required') : null);

  const Root = embedded ? 'div' : 'form';
  return (
    <Root
      className={embedded ? 'subsection form-grid span-all' : 'card form-grid'}
      {...(embedded ? { role: 'group', 'aria-label': t('patients.new') } : { onSubmit: (e: FormEvent) => void submit(e), noValidate: true })}
      data-testid={`${testIdPrefix}-new-form`}
    >
      <h3 className="span-all">{t('patients.new')}</h3>
      <Field label={t('patients.firstNames')} error={requiredError('firstNames')}>
        <input
          value={draft.firstNames}
          onChange={(e) => set('firstNames', e.target.value)}
          data-testid={`${testIdPrefix}-first-names`}
        />
      </Field>
      <Field label={t('patients.lastNames')} error={requiredError('lastNames')}>
        <input
          value={draft.lastNames}
          onChange={(e) => set('lastNames', e.target.value)}
          data-testid={`${testIdPrefix}-last-names`}
        />
      </Field>
      <Field label={t('patients.documentType')}>
        <DocumentTypeSelect value={draft.documentType} onChange={(value) => set('documentType', value)} />
      </Field>
      <Field label={t('patients.documentNumber')} error={requiredError('documentNumber')}>
        <input
          value={draft.documentNumber}
          onChange={(e) => set('documentNumber', e.target.value)}
          data-testid={`${testIdPrefix}-document`}
        />
      </Field>
      <Field label={t('patients.birthDate')}>
        <input type="date" value={draft.birthDate} onChange={(e) => set('birthDate', e.target.value)} />
      </Field>
      <ContactFields value={draft} set={set} sites={sites.data} />
      <label className="check span-all">
        <input
          type="checkbox"
          checked={draft.consent}
          onChange={(e) => set('consent', e.target.checked)}
          data-testid={`${testIdPrefix}-consent`}
        />
        <span>{t('patients.consentLabel')}</span>
      </label>
      <ErrorNote error={sites.error} />
      {duplicates.length > 0 && (
        <div className="warning-note span-all" role="status" data-testid={`${testIdPrefix}-duplicates`}>
          <p>{t('patients.maybeDuplicate')}</p>
          <ul className="pick-list">
            {duplicates.map((p) => (
              <li key={p.id}>
                <button type="button" className="pick" onClick={() => onCreated(p)} data-testid={`${testIdPrefix}-use-existing`}>
                  {t('patients.useExisting', { name: `${p.firstNames} ${p.lastNames}`, document: `${t(`documentType.${p.documentType}`)} ${p.documentNumber}` })}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="form-actions span-all">
        <button type="button" className="secondary" onClick={onClose} disabled={busy}>
          {t('common.cancel')}
        </button>
        <button
          type={embedded ? 'button' : 'submit'}
          disabled={busy}
          onClick={embedded ? () => void submit() : undefined}
          data-testid={`${testIdPrefix}-save`}
        >
          {t('patients.save')}
        </button>
      </div>
    </Root>
  );
}

/** Patients who may be the one being registered: the same document number, or the same names. */
function usePossibleDuplicates(draft: Draft): Patient[] {
  const documentNumber = useDebounced(draft.documentNumber.trim());
  const names = useDebounced(`${draft.firstNames} ${draft.lastNames}`.trim());
  const byDocument = useCall('patients.list', { search: documentNumber, limit: 3 });
  const byName = useCall('patients.list', { search: names, limit: 3 });
  const found = new Map<number, Patient>();
  if (documentNumber.length >= 6) {
    const digits = documentNumber.replace(/\D/g, '');
    for (const p of byDocument.data?.rows ?? []) if (p.documentNumber.replace(/\D/g, '') === digits) found.set(p.id, p);
  }
  if (draft.firstNames.trim() && draft.lastNames.trim()) for (const p of byName.data?.rows ?? []) found.set(p.id, p);
  return [...found.values()];
}
