import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { Patient } from '../../../shared/domain';
import { useDebounced } from '../api/hooks';
import { usePatients } from '../api/resources';
import { ConsentChip } from '../components/ConsentChip';
import { DataTable, type Column } from '../components/DataTable';
import { Pager } from '../components/Pager';
import { EditPatientForm } from './patients/EditPatientForm';
import { NewPatientForm } from './patients/NewPatientForm';
import { EvidenceExport } from './patients/EvidenceExport';
import { ConsentHistory } from './patients/ConsentHistory';
import { ConsentPolicy } from './patients/ConsentPolicy';

const PAGE_SIZE = 25;

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
  const list = usePatients({ ...(query ? { search: query } : {}), limit: PAGE_SIZE, offset });
  const columns = patientColumns(t, {
    editingId,
    exportingId,
    onEdit: setEditingId,
    onExport: setExportingId,
    onHistory: (id) => setHistoryId(historyId === id ? null : id),
  });

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
      <DataTable
        columns={columns}
        rows={list.data?.rows}
        rowKey={(p) => p.id}
        rowProps={(p) => ({ 'data-testid': 'patient-row', className: p.phoneError ? 'row-warn' : undefined })}
        below={(p) => [
          p.id === historyId && <ConsentHistory patientId={p.id} />,
          p.id === exportingId && <EvidenceExport p={p} onClose={() => setExportingId(null)} />,
          p.id === editingId && (
            <EditPatientForm
              p={p}
              onClose={() => setEditingId(null)}
              onSaved={() => {
                setEditingId(null);
                list.reload();
              }}
            />
          ),
        ]}
        belowClassName="edit-row"
        empty={t('patients.empty')}
        error={list.error}
        onRetry={list.reload}
        footer={list.data && <Pager offset={offset} limit={PAGE_SIZE} total={list.data.total} onChange={setOffset} />}
      />
    </div>
  );
}

/** Which row is open for what, and how a row's buttons open it. */
interface RowActions {
  editingId: number | null;
  exportingId: number | null;
  onEdit: (id: number) => void;
  onExport: (id: number) => void;
  onHistory: (id: number) => void;
}

function patientColumns(t: TFunction, a: RowActions): Column<Patient>[] {
  return [
    {
      key: 'name',
      header: t('patients.name'),
      className: 'strong',
      cell: (p) => (
        <>
          {p.lastNames}, {p.firstNames}
        </>
      ),
    },
    {
      key: 'document',
      header: t('patients.document'),
      className: 'nowrap',
      cell: (p) => (
        <>
          {t(`documentType.${p.documentType}`)} {p.documentNumber}
        </>
      ),
    },
    {
      key: 'phone',
      header: t('patients.phone'),
      cell: (p) => (
        <>
          <div className="nowrap">{p.phoneE164 ?? p.phoneRaw ?? <span className="muted">{t('common.none')}</span>}</div>
          {p.phoneError && (
            <div className="warning" role="note" data-testid="patient-phone-error">
              ⚠ {p.phoneError}
            </div>
          )}
        </>
      ),
    },
    { key: 'email', header: t('patients.email'), cell: (p) => p.email ?? '' },
    {
      key: 'consent',
      header: t('patients.consent'),
      cell: (p) => (
        <>
          <ConsentChip status={p.consent} />{' '}
          <button type="button" className="link inline" onClick={() => a.onHistory(p.id)} data-testid="patient-consent-history">
            {t('consentHistory.open')}
          </button>
        </>
      ),
    },
    {
      key: 'actions',
      header: '',
      className: 'actions',
      cell: (p) => (
        <>
          <button
            type="button"
            className="small secondary"
            disabled={p.id === a.editingId}
            onClick={() => a.onEdit(p.id)}
            data-testid="patient-edit"
          >
            {t('patients.edit')}
          </button>{' '}
          <button
            type="button"
            className="small secondary"
            disabled={p.id === a.exportingId}
            onClick={() => a.onExport(p.id)}
            data-testid="patient-export"
          >
            {t('evidence.export')}
          </button>
        </>
      ),
    },
  ];
}
