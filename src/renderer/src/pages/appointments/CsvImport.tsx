import { useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { AppointmentCsvImport, AppointmentCsvPreview } from '../../../../shared/api';
import { call } from '../../api/client';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorNote } from '../../components/ErrorNote';
import { useNotify } from '../../components/Notify';
import { useFormAction } from '../../components/useFormAction';
import { useCall } from '../../api/hooks';
import { saveDownload } from '../../files';
import { appointmentsCsvTemplate } from './csv-template';
import { decodeCsv } from './decode-csv';

/** The file chosen, as read, and what the core said of it: every row checked, and once imported, the import. */
interface ChosenFile {
  name: string;
  csv: string;
  checked: AppointmentCsvPreview | null;
  imported: AppointmentCsvImport | null;
}

/** "Importar CSV" in Citas: choose a file, see every row checked (with the reason a row cannot go), then import. */
export function CsvImport({ onClose, onImported }: { onClose: () => void; onImported: () => void }) {
  const { t, i18n } = useTranslation();
  const notify = useNotify();
  const { run, busy, error } = useFormAction();
  const [file, setFile] = useState<ChosenFile | null>(null);
  const preview = file?.checked ?? null;
  const result = file?.imported ?? null;
  const sites = useCall('sites.list', {});
  const services = useCall('services.list', {});

  const downloadTemplate = (): void => {
    const language = i18n.language.startsWith('en') ? 'en' : 'es';
    const text = appointmentsCsvTemplate(sites.data ?? [], services.data ?? [], language, new Date());
    const bytes = new TextEncoder().encode(text);
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    saveDownload({ filename: t('appointmentsCsv.templateFile'), mimeType: 'text/csv', base64: btoa(binary) });
  };

  const pick = async (event: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const picked = event.target.files?.[0];
    if (!picked) return;
    const text = decodeCsv(await picked.arrayBuffer());
    setFile({ name: picked.name, csv: text, checked: null, imported: null });
    const checked = await run(() => call('appointments.csvPreview', { csv: text }));
    // Kept only for the file it was asked for: another one may have been chosen meanwhile.
    setFile((was) => (was?.csv === text ? { ...was, checked: checked ?? null } : was));
  };

  const importNow = async (): Promise<void> => {
    if (!file) return;
    const done = await run(() => call('appointments.csvImport', { csv: file.csv }));
    if (!done) return;
    // The import's own check of every row replaces the preview's.
    setFile({ ...file, checked: done, imported: done });
    notify.ok(t('appointmentsCsv.done', { created: done.created, updated: done.updated, unchanged: done.unchanged }));
    onImported();
  };

  const shown = result ?? preview;
  const columns = csvColumns(t);
  const importable = preview ? preview.rows.filter((r) => r.action === 'create' || r.action === 'update').length : 0;

  return (
    <div className="card" data-testid="csv-import">
      <h3>{t('appointmentsCsv.title')}</h3>
      <p className="hint">{t('appointmentsCsv.help')}</p>
      <p>
        <button type="button" className="link" onClick={downloadTemplate} data-testid="csv-template">
          {t('appointmentsCsv.template')}
        </button>
      </p>
      <label className="field">
        <span>{t('appointmentsCsv.file')}</span>
        <input type="file" accept=".csv,text/csv,text/plain" onChange={(e) => void pick(e)} data-testid="csv-file" />
      </label>
      <ErrorNote error={error} />
      {shown?.fileError && (
        <div className="error-note" role="alert" data-testid="csv-file-error">
          <span>{shown.fileError}</span>
        </div>
      )}
      {shown && !shown.fileError && (
        <>
          <p data-testid="csv-summary">
            {result
              ? t('appointmentsCsv.result', {
                  created: result.created,
                  updated: result.updated,
                  unchanged: result.unchanged,
                  invalid: result.invalid,
                })
              : t('appointmentsCsv.summary', { file: file?.name ?? '', valid: shown.valid, invalid: shown.invalid })}
          </p>
          <DataTable
            framed={false}
            className="csv-preview"
            columns={columns}
            rows={shown.rows}
            rowKey={(r) => r.line}
            rowProps={(r) => ({
              'data-testid': 'csv-row',
              'data-line': r.line,
              'data-ok': String(r.errors.length === 0),
              'data-action': r.action ?? '',
              className: r.errors.length ? 'row-error' : undefined,
            })}
          />
        </>
      )}
      <div className="form-actions">
        <button type="button" className="secondary" onClick={onClose} disabled={busy}>
          {t('common.close')}
        </button>
        {preview && !result && !preview.fileError && (
          <button type="button" onClick={() => void importNow()} disabled={busy || importable === 0} data-testid="csv-import-run">
            {busy ? t('appointmentsCsv.importing') : t('appointmentsCsv.import', { n: importable })}
          </button>
        )}
      </div>
    </div>
  );
}

type CsvRow = AppointmentCsvPreview['rows'][number];

/** Each row of the file as checked: who, when, where, and what the import does with it or why it cannot. */
function csvColumns(t: TFunction): Column<CsvRow>[] {
  return [
    { key: 'line', header: t('appointmentsCsv.row'), cell: (r) => r.line },
    {
      key: 'patient',
      header: t('appointments.patient'),
      cell: (r) => (
        <>
          {r.patientName ?? '—'}
          <br />
          <small className="muted">
            {r.documentType ?? ''} {r.documentNumber} {r.phone ? `· ${r.phone}` : ''}
          </small>
        </>
      ),
    },
    { key: 'when', header: t('appointmentsCsv.when'), cell: (r) => r.localWhen ?? '—' },
    { key: 'site', header: t('appointments.site'), cell: (r) => r.siteName ?? '—' },
    { key: 'service', header: t('appointments.service'), cell: (r) => r.serviceName ?? '—' },
    {
      key: 'outcome',
      header: t('appointmentsCsv.outcome'),
      cell: (r) => (
        <>
          {r.errors.length > 0 ? (
            <ul className="field-error" data-testid="csv-errors">
              {r.errors.map((e) => (
                <li key={e.field + e.reason}>{e.reason}</li>
              ))}
            </ul>
          ) : (
            <span data-testid="csv-action">{t(`appointmentsCsv.action.${r.action ?? 'create'}`)}</span>
          )}
          {r.warnings.map((w) => (
            <small key={w} className="hint" data-testid="csv-warning">
              <br />
              {w}
            </small>
          ))}
        </>
      ),
    },
  ];
}
