import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import type { CampaignSegment } from '../../../../shared/campaigns';
import { call, toApiError, type ApiError } from '../../api/client';
import { useCall, useDebounced } from '../../api/hooks';
import { useSegmentPreview } from '../../api/settingsResources';
import { ConfirmBar } from '../../components/ConfirmBar';
import { ErrorNote } from '../../components/ErrorNote';
import { useNotify } from '../../components/Notify';
import { useFormat } from '../../format';
import { useCan } from '../../session';

const splitTags = (text: string) => text.split(',').map((t) => t.trim()).filter(Boolean);
const num = (v: string) => (v.trim() === '' ? null : Number(v));

/** "Nueva campaña": who (with a live count of who it reaches and who is left out), what, when, and how fast. */
export function NewCampaignForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const notify = useNotify();
  const sites = useCall('sites.list', {});
  const services = useCall('services.list', {});
  const templates = useCall('cloudApi.templates', {}).data ?? [];
  const [name, setName] = useState('');
  const [siteId, setSiteId] = useState('');
  const [serviceId, setServiceId] = useState('');
  const [visitFrom, setVisitFrom] = useState('');
  const [visitTo, setVisitTo] = useState('');
  const [ageMin, setAgeMin] = useState('');
  const [ageMax, setAgeMax] = useState('');
  const [tags, setTags] = useState('');
  const [templateName, setTemplateName] = useState('');
  const [text, setText] = useState('');
  const [when, setWhen] = useState<'now' | 'later'>('now');
  const [at, setAt] = useState('');
  const [perMinute, setPerMinute] = useState('30');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  // Launching sends to many at once: Administración, or Recepción when the clinic allows it (the core decides).
  const mayLaunch = useCan()('campaigns.schedule');

  const segment: CampaignSegment = {
    ...(siteId ? { siteIds: [Number(siteId)] } : {}),
    ...(serviceId ? { serviceIds: [Number(serviceId)] } : {}),
    ...(visitFrom ? { lastVisitFrom: visitFrom } : {}),
    ...(visitTo ? { lastVisitTo: visitTo } : {}),
    ...(num(ageMin) !== null ? { ageMin: num(ageMin) } : {}),
    ...(num(ageMax) !== null ? { ageMax: num(ageMax) } : {}),
    ...(splitTags(tags).length ? { tags: splitTags(tags) } : {}),
  };
  const preview = useSegmentPreview({ segment: useDebounced(segment) });
  const p = preview.data;

  // Sending to many patients cannot be taken back: first the count and the message as one of them will read it.
  const [confirming, setConfirming] = useState(false);
  const firstName = p?.sample[0]?.name.split(/\s+/)[0] ?? '';
  const asSeen = text.replace(/\{nombres?\}/g, firstName);

  const submit = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    if (!confirming) return setConfirming(true);
    await launch();
  };

  const launch = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const created = await call('campaigns.create', {
        name: name.trim() || t('campaigns.untitled'),
        segment,
        templateName: templateName || null,
        // A template's single parameter carries the text, with the patient's fields filled in.
        templateParams: templateName ? [text] : [],
        body: text,
        maxPerMinute: Math.max(1, Number(perMinute) || 30),
      });
      await call('campaigns.schedule', when === 'later' && at ? { id: created.id, localDateTime: at } : { id: created.id });
      notify.ok(
        when === 'later'
          ? t('campaigns.scheduledToast', { n: f.number(p?.reached ?? 0) })
          : t('campaigns.launchedToast', { n: f.number(p?.reached ?? 0) }),
      );
      onDone();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} data-testid="campaign-form">
      <h3 className="span-all">{t('campaigns.new')}</h3>
      <Field label={t('campaigns.name')} wide>
        <input value={name} onChange={(e) => setName(e.target.value)} data-testid="campaign-name" />
      </Field>
      <h4 className="span-all">{t('campaigns.segment')}</h4>
      <Field label={t('campaigns.site')}>
        <select value={siteId} onChange={(e) => setSiteId(e.target.value)} data-testid="campaign-site">
          <option value="">{t('common.all')}</option>
          {sites.data?.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
        </select>
      </Field>
      <Field label={t('campaigns.service')}>
        <select value={serviceId} onChange={(e) => setServiceId(e.target.value)}>
          <option value="">{t('common.all')}</option>
          {services.data?.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
        </select>
      </Field>
      <Field label={t('campaigns.visitFrom')}>
        <input type="date" value={visitFrom} onChange={(e) => setVisitFrom(e.target.value)} />
      </Field>
      <Field label={t('campaigns.visitTo')}>
        <input type="date" value={visitTo} onChange={(e) => setVisitTo(e.target.value)} />
      </Field>
      <Field label={t('campaigns.ageMin')}>
        <input type="number" min={0} max={130} value={ageMin} onChange={(e) => setAgeMin(e.target.value)} />
      </Field>
      <Field label={t('campaigns.ageMax')}>
        <input type="number" min={0} max={130} value={ageMax} onChange={(e) => setAgeMax(e.target.value)} />
      </Field>
      <Field label={t('campaigns.tags')} wide>
        <input value={tags} onChange={(e) => setTags(e.target.value)} placeholder={t('campaigns.tagsHint')} />
      </Field>
      <div className="span-all hint" role="status" data-testid="campaign-reach">
        {p
          ? t('campaigns.reach', { reached: f.number(p.reached), matched: f.number(p.matched) })
          : t('common.loading')}
        {p && p.matched > p.reached && (
          <ul data-testid="campaign-excluded">
            {p.excluded.no_consent > 0 && <li>{t('campaigns.excluded.no_consent', { n: f.number(p.excluded.no_consent) })}</li>}
            {p.excluded.opted_out > 0 && <li>{t('campaigns.excluded.opted_out', { n: f.number(p.excluded.opted_out) })}</li>}
            {p.excluded.no_phone > 0 && <li>{t('campaigns.excluded.no_phone', { n: f.number(p.excluded.no_phone) })}</li>}
          </ul>
        )}
      </div>
      <h4 className="span-all">{t('campaigns.content')}</h4>
      <Field label={t('campaigns.template')}>
        <select value={templateName} onChange={(e) => setTemplateName(e.target.value)}>
          <option value="">{t('campaigns.plainText')}</option>
          {templates.filter((x) => x.status === 'APPROVED').map((x) => (
            <option key={`${x.name}:${x.language}`} value={x.name}>{x.name}</option>
          ))}
        </select>
      </Field>
      <Field label={t('campaigns.text')} hint={t('campaigns.fieldsHint')} wide>
        <textarea value={text} onChange={(e) => setText(e.target.value)} rows={3} data-testid="campaign-text" />
      </Field>
      <h4 className="span-all">{t('campaigns.when')}</h4>
      <label className="check">
        <input type="radio" checked={when === 'now'} onChange={() => setWhen('now')} />
        <span>{t('campaigns.now')}</span>
      </label>
      <label className="check">
        <input type="radio" checked={when === 'later'} onChange={() => setWhen('later')} data-testid="campaign-later" />
        <span>{t('campaigns.later')}</span>
      </label>
      {when === 'later' && (
        <Field label={t('campaigns.at')}>
          <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} data-testid="campaign-at" />
        </Field>
      )}
      <Field label={t('campaigns.perMinute')}>
        <input type="number" min={1} max={1000} value={perMinute} onChange={(e) => setPerMinute(e.target.value)} />
      </Field>
      <p className="span-all muted">{t('campaigns.consent')}</p>
      {confirming && p && (
        <div className="span-all">
          <ConfirmBar
            testId="campaign-confirm"
            yes={when === 'now' ? t('campaigns.confirmSend', { n: f.number(p.reached) }) : t('campaigns.confirmSchedule', { n: f.number(p.reached) })}
            busy={busy}
            onYes={() => void launch()}
            onNo={() => setConfirming(false)}
          >
            <p>{t('campaigns.confirmCount', { n: f.number(p.reached) })}</p>
            <p className="muted">{t('campaigns.confirmAsSeen', { name: p.sample[0]?.name ?? '' })}</p>
            <blockquote className="message-preview" data-testid="campaign-as-seen">
              {templateName ? `${templateName} · ${asSeen}` : asSeen}
            </blockquote>
          </ConfirmBar>
        </div>
      )}
      <div className="span-all">
        <ErrorNote error={error ?? preview.error} />
        {!mayLaunch && (
          <p className="muted" id="campaign-launch-reason" data-testid="campaign-launch-reason">
            {t('campaigns.launchNeedsAdmin')}
          </p>
        )}
        <button
          type="submit"
          disabled={busy || confirming || !text.trim() || !p?.reached || !mayLaunch}
          aria-describedby={mayLaunch ? undefined : 'campaign-launch-reason'}
          data-testid="campaign-send"
        >
          {when === 'now' ? t('campaigns.sendNow') : t('campaigns.schedule')}
        </button>{' '}
        <button type="button" className="secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
