import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsView } from '../../../../shared/settings';
import { useCall } from '../../api/hooks';
import type { Save } from './types';

type Row = { code: string; siteId: number | null };

/**
 * Ajustes → HL7 → location codes: the sender's codes (AIL-3, PV1-3) that mean each site. An SIU whose location is
 * neither a site's name nor a code here is answered AE, so a booking never lands at the wrong site or in its zone.
 */
export function Hl7SiteCodes({ view, save }: { view: SettingsView; save: Save }) {
  const { t } = useTranslation();
  const sites = useCall('sites.list', {}, false);
  const [rows, setRows] = useState<Row[]>(() => view.hl7.siteCodes.map((c) => ({ code: c.code, siteId: c.siteId })));
  const complete = rows.filter((r): r is { code: string; siteId: number } => r.code.trim() !== '' && r.siteId !== null);
  const codes = complete.map((r) => r.code.trim().toLocaleLowerCase('es'));
  const duplicate = codes.find((c, i) => codes.indexOf(c) !== i) ?? null;
  const incomplete = rows.some((r) => (r.code.trim() === '') !== (r.siteId === null));
  const set = (i: number, patch: Partial<Row>): void => setRows((all) => all.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <div className="span-all" data-testid="hl7-site-codes">
      <h4>{t('hl7.siteCodes.title')}</h4>
      <p className="hint">{t('hl7.siteCodes.hint')}</p>
      <table className="table">
        <thead>
          <tr>
            <th>{t('hl7.siteCodes.code')}</th>
            <th>{t('hl7.siteCodes.site')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              <td>
                <input
                  value={row.code}
                  aria-label={t('hl7.siteCodes.code')}
                  onChange={(e) => set(i, { code: e.target.value })}
                  data-testid={`hl7-site-code-${i}`}
                />
              </td>
              <td>
                <select
                  value={row.siteId ?? ''}
                  aria-label={t('hl7.siteCodes.site')}
                  onChange={(e) => set(i, { siteId: e.target.value ? Number(e.target.value) : null })}
                  data-testid={`hl7-site-code-site-${i}`}
                >
                  <option value="">{t('hl7.siteCodes.choose')}</option>
                  {(sites.data ?? []).map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <button type="button" className="link" onClick={() => setRows((all) => all.filter((_, j) => j !== i))}>
                  {t('hl7.siteCodes.remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {duplicate && <small className="field-error">{t('hl7.siteCodes.duplicate', { code: duplicate })}</small>}
      {incomplete && <small className="field-error">{t('hl7.siteCodes.incomplete')}</small>}
      <div className="form-actions">
        <button type="button" onClick={() => setRows((all) => [...all, { code: '', siteId: null }])} data-testid="hl7-site-code-add">
          {t('hl7.siteCodes.add')}
        </button>
        <button
          type="button"
          disabled={duplicate !== null || incomplete}
          onClick={() => void save({ hl7: { siteCodes: complete.map((r) => ({ code: r.code.trim(), siteId: r.siteId })) } })}
          data-testid="hl7-site-codes-save"
        >
          {t('hl7.siteCodes.save')}
        </button>
      </div>
    </div>
  );
}
