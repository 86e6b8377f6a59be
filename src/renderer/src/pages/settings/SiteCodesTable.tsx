import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../api/hooks';
import { DataTable, type Column } from '../../components/DataTable';
import { NamedOptions } from '../../components/NamedOptions';
import { UnsavedNote, useUnsaved } from './unsaved';

export type SiteCode = { code: string; siteId: number };
type Row = { code: string; siteId: number | null };

/**
 * A source's location codes and the site each one means (HL7 AIL-3/PV1-3, the clinic database's site column). A code
 * that is neither a site's name nor listed here is refused, so a booking never lands at the wrong site or in its zone.
 */
export function SiteCodesTable(props: {
  initial: readonly SiteCode[];
  onSave: (codes: SiteCode[]) => unknown;
  /** Told whether the rows differ from what is saved (Ajustes is told anyway, through useUnsaved). */
  onEdited?: (dirty: boolean) => void;
  /** Prefix of the test ids: hl7, db. */
  id: string;
  title: string;
  hint: string;
}) {
  const { t } = useTranslation();
  const sites = useCall('sites.list', {});
  const [rows, setRows] = useState<Row[]>(() => props.initial.map((c) => ({ code: c.code, siteId: c.siteId })));
  const complete = rows.filter((r): r is SiteCode => r.code.trim() !== '' && r.siteId !== null);
  const codes = complete.map((r) => r.code.trim().toLocaleLowerCase('es'));
  const duplicate = codes.find((c, i) => codes.indexOf(c) !== i) ?? null;
  const incomplete = rows.some((r) => (r.code.trim() === '') !== (r.siteId === null));
  // A row added and left empty is not an edit; anything typed or chosen is, until it is saved.
  const entered = rows.filter((r) => r.code.trim() !== '' || r.siteId !== null).map((r) => ({ code: r.code.trim(), siteId: r.siteId }));
  const dirty = JSON.stringify(entered) !== JSON.stringify(props.initial.map((c) => ({ code: c.code, siteId: c.siteId })));
  useUnsaved(`${props.id}-site-codes`, dirty);
  const { onEdited } = props;
  useEffect(() => onEdited?.(dirty), [dirty, onEdited]);
  const set = (i: number, patch: Partial<Row>): void => setRows((all) => all.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const p = props.id;
  // Rows are edited in place and named by their position: a code may be empty while it is typed.
  const columns: Column<{ row: Row; i: number }>[] = [
    {
      key: 'code',
      header: t('hl7.siteCodes.code'),
      cell: ({ row, i }) => (
        <input value={row.code} aria-label={t('hl7.siteCodes.code')} onChange={(e) => set(i, { code: e.target.value })} data-testid={`${p}-site-code-${i}`} />
      ),
    },
    {
      key: 'site',
      header: t('hl7.siteCodes.site'),
      cell: ({ row, i }) => (
        <select
          value={row.siteId ?? ''}
          aria-label={t('hl7.siteCodes.site')}
          onChange={(e) => set(i, { siteId: e.target.value ? Number(e.target.value) : null })}
          data-testid={`${p}-site-code-site-${i}`}
        >
          <option value="">{t('hl7.siteCodes.choose')}</option>
          <NamedOptions items={sites.data} />
        </select>
      ),
    },
    {
      key: 'remove',
      header: null,
      cell: ({ i }) => (
        <button type="button" className="link" onClick={() => setRows((all) => all.filter((_, j) => j !== i))}>
          {t('hl7.siteCodes.remove')}
        </button>
      ),
    },
  ];

  return (
    <div className="span-all" data-testid={`${p}-site-codes`}>
      <h4>{props.title}</h4>
      <p className="hint">{props.hint}</p>
      <DataTable columns={columns} rows={rows.map((row, i) => ({ row, i }))} rowKey={({ i }) => i} empty={t('hl7.siteCodes.none')} framed={false} />
      {duplicate && <small className="field-error">{t('hl7.siteCodes.duplicate', { code: duplicate })}</small>}
      {incomplete && <small className="field-error">{t('hl7.siteCodes.incomplete')}</small>}
      <div className="form-actions save-bar">
        <UnsavedNote dirty={dirty} />
        <button type="button" onClick={() => setRows((all) => [...all, { code: '', siteId: null }])} data-testid={`${p}-site-code-add`}>
          {t('hl7.siteCodes.add')}
        </button>
        <button
          type="button"
          disabled={duplicate !== null || incomplete}
          onClick={() => void props.onSave(complete.map((r) => ({ code: r.code.trim(), siteId: r.siteId })))}
          data-testid={`${p}-site-codes-save`}
        >
          {t('hl7.siteCodes.save')}
        </button>
      </div>
    </div>
  );
}
