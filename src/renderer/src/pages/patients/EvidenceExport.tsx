import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import type { Patient } from '../../../../shared/domain';
import { call } from '../../api/client';
import { useAction, useNotify } from '../../components/Notify';
import { saveDownload } from '../../files';

const DAY = 86_400_000;

/** A local calendar day as the moment it starts on this workstation (the clinic's own clock). */
const startOfDay = (day: string): number | undefined => (day ? new Date(`${day}T00:00:00`).getTime() : undefined);

/** "Exportar evidencia": one patient's messages in a period, as CSV or PDF, downloaded through the typed API. */
export function EvidenceExport({ p, onClose }: { p: Patient; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [run, busy] = useAction();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [format, setFormat] = useState<'csv' | 'pdf'>('pdf');
  const fromAt = startOfDay(from);
  // "Hasta" includes the whole day chosen.
  const toAt = to ? (startOfDay(to) ?? 0) + DAY : undefined;
  const rangeInvalid = fromAt !== undefined && toAt !== undefined && fromAt >= toAt;

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (rangeInvalid) return;
    const file = await run(() =>
      call('evidence.export', { patientId: p.id, format, ...(fromAt !== undefined ? { from: fromAt } : {}), ...(toAt !== undefined ? { to: toAt } : {}) }),
    );
    if (!file) return;
    saveDownload(file);
    notify.ok(t('evidence.done', { file: file.filename }));
  };

  return (
    <form className="form-grid" onSubmit={(e) => void submit(e)} noValidate data-testid="evidence-form">
      <h4 className="span-all">{t('evidence.title', { name: `${p.firstNames} ${p.lastNames}` })}</h4>
      <p className="hint span-all">{t('evidence.hint')}</p>
      <Field label={t('evidence.from')}>
        <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="evidence-from" />
      </Field>
      <Field label={t('evidence.to')} error={rangeInvalid ? t('evidence.rangeError') : null}>
        <input type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="evidence-to" />
      </Field>
      <Field label={t('evidence.format')}>
        <select value={format} onChange={(e) => setFormat(e.target.value as 'csv' | 'pdf')} data-testid="evidence-format">
          <option value="pdf">{t('evidence.pdf')}</option>
          <option value="csv">{t('evidence.csv')}</option>
        </select>
      </Field>
      <div className="form-actions span-all">
        <button type="submit" disabled={busy || rangeInvalid} data-testid="evidence-download">
          {t('evidence.download')}
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
