import { Fragment, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { NewPatientInput } from '../../../shared/api';
import type { DocumentType, Patient } from '../../../shared/domain';
import { call } from '../api/client';
import { useCall, useDebounced } from '../api/hooks';
import { ContactFields } from './patients/ContactFields';
import { Chip } from '../components/Chip';
import { ErrorNote } from '../components/ErrorNote';
import { useAction, useNotify } from '../components/Notify';
import { Pager } from '../components/Pager';
import { consentTone } from '../components/tones';
import { EditPatientForm } from './patients/EditPatientForm';
import { EvidenceExport } from './patients/EvidenceExport';
import { ConsentHistory } from './patients/ConsentHistory';
import { ConsentPolicy } from './patients/ConsentPolicy';

const PAGE_SIZE = 25;
const DOCUMENT_TYPES: DocumentType[] = ['DNI', 'CE', 'PASAPORTE'];
const COLUMNS = 6;

export function Patients() {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const [formOpen, setFormOpen] = useState(false);
  const [editingId, setEditingId] = useState<number | null>(null);
  const [exportingId, setExportingId] = useState<number | null>(null);
  const [historyId, setHistoryId] = useState<number | null>(null);
  const [policyOpen, setPolicyOpen] = useState(false);
  const query = useDebounced(search.trim());
  const list = useCall('patients.list', { ...(query ? { search: query } : {}), limit: PAGE_SIZE, offset });

  return (
    <div className="page">
      <div className="page-head">
        <h2>{t('nav.patients')}</h2>
        <div className="filters">
          <input
            type="search"
            className="search"
            placeholder={t('patients.search')}
            aria-label={t('patients.search')}
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setOffset(0);
            }}
          />
          {!formOpen && (
            <button type="button" onClick={() => setFormOpen(true)}>
              {t('patients.new')}
            </button>
          )}
          {!policyOpen && (
            <button type="button" className="secondary" onClick={() => setPolicyOpen(true)} data-testid="consent-policy-open">
              {t('consentPolicy.open')}
            </button>
          )}
        </div>
      </div>
      {policyOpen && <ConsentPolicy onClose={() => setPolicyOpen(false)} />}
      {formOpen && (
        <NewPatientForm
          onClose={() => setFormOpen(false)}
          onCreated={(p) => {
            setFormOpen(false);
            // Show the new row (and its phone warning, if any) instead of leaving it on some later page.
            setSearch(p.documentNumber);
            setOffset(0);
            list.reload();
          }}
        />
      )}
      <ErrorNote error={list.error} onRetry={list.reload} retryLabel={t('common.retry')} />
      <div className="card flush">
        <table className="table">
          <thead>
            <tr>
              <th>{t('patients.name')}</th>
              <th>{t('patients.document')}</th>
              <th>{t('patients.phone')}</th>
              <th>{t('patients.email')}</th>
              <th>{t('patients.consent')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data?.rows.map((p) => (
              <Fragment key={p.id}>
                <PatientRow
                  p={p}
                  editing={p.id === editingId}
                  onEdit={() => setEditingId(p.id)}
                  exporting={p.id === exportingId}
                  onExport={() => setExportingId(p.id)}
                  onHistory={() => setHistoryId(historyId === p.id ? null : p.id)}
                />
                {p.id === historyId && (
                  <tr className="edit-row">
                    <td colSpan={COLUMNS}>
                      <ConsentHistory patientId={p.id} />
                    </td>
                  </tr>
                )}
                {p.id === exportingId && (
                  <tr className="edit-row">
                    <td colSpan={COLUMNS}>
                      <EvidenceExport p={p} onClose={() => setExportingId(null)} />
                    </td>
                  </tr>
                )}
                {p.id === editingId && (
                  <tr className="edit-row">
                    <td colSpan={COLUMNS}>
                      <EditPatientForm
                        p={p}
                        onClose={() => setEditingId(null)}
                        onSaved={() => {
                          setEditingId(null);
                          list.reload();
                        }}
                      />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
        {list.data?.rows.length === 0 && <p className="empty">{t('patients.empty')}</p>}
        {!list.data && !list.error && <p className="empty">{t('common.loading')}</p>}
      </div>
      {list.data && <Pager offset={offset} limit={PAGE_SIZE} total={list.data.total} onChange={setOffset} />}
    </div>
  );
}

function PatientRow({
  p,
  editing,
  onEdit,
  exporting,
  onExport,
  onHistory,
}: {
  p: Patient;
  editing: boolean;
  onEdit: () => void;
  exporting: boolean;
  onExport: () => void;
  onHistory: () => void;
}) {
  const { t } = useTranslation();
  return (
    <tr data-testid="patient-row" className={p.phoneError ? 'row-warn' : undefined}>
      <td className="strong">
        {p.lastNames}, {p.firstNames}
      </td>
      <td className="nowrap">
        {t(`documentType.${p.documentType}`)} {p.documentNumber}
      </td>
      <td>
        <div className="nowrap">{p.phoneE164 ?? p.phoneRaw ?? <span className="muted">{t('common.none')}</span>}</div>
        {p.phoneError && (
          <div className="warning" role="note" data-testid="patient-phone-error">
            ⚠ {p.phoneError}
          </div>
        )}
      </td>
      <td>{p.email ?? ''}</td>
      <td>
        <Chip tone={consentTone[p.consent]}>{t(`consent.${p.consent}`)}</Chip>{' '}
        <button type="button" className="link inline" onClick={onHistory} data-testid="patient-consent-history">
          {t('consentHistory.open')}
        </button>
      </td>
      <td className="actions">
        <button type="button" className="small secondary" disabled={editing} onClick={onEdit} data-testid="patient-edit">
          {t('patients.edit')}
        </button>{' '}
        <button type="button" className="small secondary" disabled={exporting} onClick={onExport} data-testid="patient-export">
          {t('evidence.export')}
        </button>
      </td>
    </tr>
  );
}

interface Draft {
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

function NewPatientForm({ onClose, onCreated }: { onClose: () => void; onCreated: (p: Patient) => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [run, busy] = useAction();
  const sites = useCall('sites.list', {}, false);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [missing, setMissing] = useState<Set<keyof Draft>>(new Set());
  const set = <K extends keyof Draft>(key: K, value: Draft[K]): void => setDraft((d) => ({ ...d, [key]: value }));

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
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

  const requiredError = (key: keyof Draft) =>
    missing.has(key) ? <small className="field-error">{t('patients.required')}</small> : null;

  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} noValidate>
      <h3 className="span-all">{t('patients.new')}</h3>
      <label className="field">
        <span>{t('patients.firstNames')}</span>
        <input value={draft.firstNames} onChange={(e) => set('firstNames', e.target.value)} aria-invalid={missing.has('firstNames')} />
        {requiredError('firstNames')}
      </label>
      <label className="field">
        <span>{t('patients.lastNames')}</span>
        <input value={draft.lastNames} onChange={(e) => set('lastNames', e.target.value)} aria-invalid={missing.has('lastNames')} />
        {requiredError('lastNames')}
      </label>
      <label className="field">
        <span>{t('patients.documentType')}</span>
        <select value={draft.documentType} onChange={(e) => set('documentType', e.target.value as DocumentType)}>
          {DOCUMENT_TYPES.map((d) => (
            <option key={d} value={d}>
              {t(`documentType.${d}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('patients.documentNumber')}</span>
        <input
          value={draft.documentNumber}
          onChange={(e) => set('documentNumber', e.target.value)}
          aria-invalid={missing.has('documentNumber')}
        />
        {requiredError('documentNumber')}
      </label>
      <label className="field">
        <span>{t('patients.birthDate')}</span>
        <input type="date" value={draft.birthDate} onChange={(e) => set('birthDate', e.target.value)} />
      </label>
      <ContactFields value={draft} set={set} sites={sites.data} />
      <label className="check span-all">
        <input type="checkbox" checked={draft.consent} onChange={(e) => set('consent', e.target.checked)} />
        <span>{t('patients.consentLabel')}</span>
      </label>
      <ErrorNote error={sites.error} />
      <div className="form-actions span-all">
        <button type="button" className="secondary" onClick={onClose} disabled={busy}>
          {t('common.cancel')}
        </button>
        <button type="submit" disabled={busy}>
          {t('patients.save')}
        </button>
      </div>
    </form>
  );
}
