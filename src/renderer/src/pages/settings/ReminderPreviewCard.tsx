import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReminderPreview } from '../../../../shared/api';
import type { Service, Site } from '../../../../shared/domain';
import { call } from '../../api/client';
import { Chip } from '../../components/Chip';
import { ErrorNote } from '../../components/ErrorNote';
import { useFormAction } from '../../components/useFormAction';
import { addDays, localInstant, parseClock, todayIn } from '../../format';
import { useLeadLabel } from '../../leadTime';
import { NamedOptions } from '../../components/NamedOptions';

/** When each reminder of an appointment booked now would go, with the saved rules, quiet hours and minimum lead. */
export function ReminderPreviewCard({ sites, services }: { sites: Site[]; services: Service[] }) {
  const { t } = useTranslation();
  const lead = useLeadLabel();
  const { run, busy, error } = useFormAction();
  const [siteId, setSiteId] = useState<number | null>(null);
  const [serviceId, setServiceId] = useState<number | null>(null);
  const site = sites.find((s) => s.id === siteId) ?? sites[0] ?? null;
  const service = services.find((s) => s.id === serviceId) ?? services[0] ?? null;
  const [day, setDay] = useState(() => addDays(todayIn(site?.timeZone), 3));
  const [time, setTime] = useState('10:00');
  const [invalid, setInvalid] = useState(false);
  const [preview, setPreview] = useState<ReminderPreview | null>(null);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const minute = parseClock(time);
    const startsAt = site && minute !== null ? localInstant(day, minute, site.timeZone) : Number.NaN;
    setInvalid(Number.isNaN(startsAt));
    if (!site || !service || Number.isNaN(startsAt)) return;
    setPreview(null);
    const result = await run(() => call('reminders.preview', { siteId: site.id, serviceId: service.id, startsAt }));
    if (result) setPreview(result);
  };

  return (
    <section className="card" data-testid="reminder-preview">
      <h3>{t('reminders.preview.title')}</h3>
      <p className="hint">{t('reminders.preview.hint')}</p>
      <form className="form-grid" onSubmit={(e) => void submit(e)} noValidate>
        <label className="field">
          <span>{t('reminders.rules.site')}</span>
          <select value={site?.id ?? ''} onChange={(e) => setSiteId(Number(e.target.value))} data-testid="preview-site">
            <NamedOptions items={sites} />
          </select>
        </label>
        <label className="field">
          <span>{t('reminders.rules.service')}</span>
          <select value={service?.id ?? ''} onChange={(e) => setServiceId(Number(e.target.value))} data-testid="preview-service">
            <NamedOptions items={services} />
          </select>
        </label>
        <label className="field">
          <span>{t('reminders.preview.date')}</span>
          <input type="date" value={day} onChange={(e) => setDay(e.target.value)} aria-invalid={invalid} data-testid="preview-date" />
        </label>
        <label className="field">
          <span>{t('reminders.preview.time')}</span>
          <input type="time" value={time} onChange={(e) => setTime(e.target.value)} aria-invalid={invalid} data-testid="preview-time" />
          {invalid ? (
            <small className="field-error">{t('reminders.preview.errors.when')}</small>
          ) : (
            site && <small className="hint">{t('appointments.localHint', { site: site.name, zone: site.timeZone })}</small>
          )}
        </label>
        <div className="form-actions span-all">
          <button type="submit" disabled={busy || !site || !service} data-testid="preview-run">
            {t('reminders.preview.run')}
          </button>
        </div>
      </form>
      <ErrorNote error={error} />
      {preview && (
        <div className="subsection" data-testid="preview-result">
          {preview.planned.length === 0 && preview.skipped.length === 0 && <p className="muted">{t('reminders.preview.none')}</p>}
          {preview.planned.length > 0 && (
            <>
              <h4>{t('reminders.preview.planned')}</h4>
              <ul className="preview-list">
                {preview.planned.map((p) => (
                  <li key={p.ruleKey} data-testid="preview-planned" data-rule={p.ruleKey} data-moved={p.movedForQuietHours}>
                    <strong>{lead(p.ruleKey)}</strong> · {p.localWhen}{' '}
                    {p.movedForQuietHours && (
                      <Chip tone="warn" data-testid="preview-moved">
                        {t('reminders.preview.moved')}
                      </Chip>
                    )}{' '}
                    <span className="muted">{t('reminders.preview.template', { name: p.templateName })}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
          {preview.skipped.length > 0 && (
            <>
              <h4>{t('reminders.preview.skipped')}</h4>
              <ul className="preview-list">
                {preview.skipped.map((s) => (
                  <li key={s.ruleKey} data-testid="preview-skipped" data-rule={s.ruleKey} data-code={s.code}>
                    <strong>{lead(s.ruleKey)}</strong> · <Chip tone="muted">{t(`reminders.preview.skip.${s.code}`)}</Chip>{' '}
                    <span className="muted">{t('reminders.preview.wouldGo', { when: s.localWhen })}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}
