import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Patient } from '../../../shared/domain';
import { useCall, useDebounced } from '../api/hooks';
import { Chip } from '../components/Chip';
import { ErrorNote } from '../components/ErrorNote';
import { Pager } from '../components/Pager';
import { consentTone } from '../components/tones';
import { EditPatientForm } from './patients/EditPatientForm';
import { NewPatientForm } from './patients/NewPatientForm';
import { EvidenceExport } from './patients/EvidenceExport';
import { ConsentHistory } from './patients/ConsentHistory';
import { ConsentPolicy } from './patients/ConsentPolicy';

const PAGE_SIZE = 25;
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
