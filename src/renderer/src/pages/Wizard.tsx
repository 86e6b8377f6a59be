import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppStatus, SetupInput } from '../../../shared/api';
import type { ChannelId, Language, WhatsAppChannelId } from '../../../shared/domain';
import { call, toApiError } from '../api/client';
import { setLanguage } from '../i18n';
import { countryOptions, defaultZone, timeZoneOptions, zoneCity, type Country } from '../zones';

interface SiteRow {
  key: number;
  name: string;
  country: Country;
  timeZone: string;
}

interface ServiceRow {
  key: number;
  name: string;
}

const CHANNELS: WhatsAppChannelId[] = ['cloud-api', 'linked-device', 'demo'];
const STEPS = ['clinic', 'sites', 'services', 'channel'] as const;
type Step = 0 | 1 | 2 | 3;

interface Errors {
  clinicName?: boolean;
  sites?: Set<number>;
  noSites?: boolean;
  services?: Set<number>;
  noServices?: boolean;
  channel?: boolean;
}

function validate(step: Step, clinicName: string, sites: SiteRow[], services: ServiceRow[], channel: ChannelId | null): Errors {
  const e: Errors = {};
  if (step === 0 && !clinicName.trim()) e.clinicName = true;
  if (step === 1) {
    const bad = new Set(sites.filter((s) => !s.name.trim()).map((s) => s.key));
    if (bad.size) e.sites = bad;
    if (sites.length === 0) e.noSites = true;
  }
  if (step === 2) {
    const bad = new Set(services.filter((s) => !s.name.trim()).map((s) => s.key));
    if (bad.size) e.services = bad;
    if (services.length === 0) e.noServices = true;
  }
  if (step === 3 && !channel) e.channel = true;
  return e;
}

const hasErrors = (e: Errors): boolean => Object.keys(e).length > 0;

/** First run: clinic, sites, services and channel, then `setup.complete`. */
export function Wizard({ onDone }: { onDone: (status: AppStatus) => void }) {
  const { t, i18n } = useTranslation();
  const nextKey = useRef(100);
  const newKey = (): number => nextKey.current++;

  const [step, setStep] = useState<Step>(0);
  const [clinicName, setClinicName] = useState('');
  const [sites, setSites] = useState<SiteRow[]>(() => [
    { key: 1, name: t('wizard.defaultSite'), country: 'PE', timeZone: defaultZone('PE') },
  ]);
  const [services, setServices] = useState<ServiceRow[]>(() => [
    { key: 2, name: t('wizard.defaultServices.lab') },
    { key: 3, name: t('wizard.defaultServices.imaging') },
    { key: 4, name: t('wizard.defaultServices.outpatient') },
  ]);
  const [channel, setChannel] = useState<ChannelId | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [apiError, setApiError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A new step announces itself: its heading takes the focus (not on the first one, where the name field has it).
  const stepHeading = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    stepHeading.current?.focus();
  }, [step]);

  const fillSample = (): void => {
    setClinicName('Clínica San Martín');
    setSites([
      { key: newKey(), name: 'Sede Miraflores', country: 'PE', timeZone: defaultZone('PE') },
      { key: newKey(), name: 'Sede San Isidro', country: 'PE', timeZone: defaultZone('PE') },
    ]);
    setServices(
      [t('wizard.defaultServices.lab'), t('wizard.defaultServices.imaging'), t('wizard.defaultServices.outpatient'), t('wizard.defaultServices.pediatrics')].map(
        (name) => ({ key: newKey(), name }),
      ),
    );
    setChannel('demo');
    setErrors({});
    setStep(3);
  };

  const next = (): void => {
    const e = validate(step, clinicName, sites, services, channel);
    setErrors(e);
    if (!hasErrors(e) && step < 3) setStep((step + 1) as Step);
  };

  const finish = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (step < 3) return next();
    // Every step again: the sample button skips straight to the end.
    for (const s of [0, 1, 2, 3] as const) {
      const e = validate(s, clinicName, sites, services, channel);
      if (hasErrors(e)) {
        setErrors(e);
        setStep(s);
        return;
      }
    }
    if (!channel) return;
    const input: SetupInput = {
      clinicName: clinicName.trim(),
      sites: sites.map((s) => ({ name: s.name.trim(), country: s.country, timeZone: s.timeZone })),
      services: services.map((s) => ({ name: s.name.trim() })),
      channel,
      language: i18n.language === 'en' ? 'en' : 'es',
    };
    setBusy(true);
    setApiError(null);
    try {
      onDone(await call('setup.complete', input));
    } catch (error) {
      setApiError(toApiError(error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="wizard-screen">
      <form className="wizard card" onSubmit={(e) => void finish(e)} noValidate>
        <header className="wizard-head">
          <div>
            <div className="brand">Avisa</div>
            <h1>{t('wizard.title')}</h1>
          </div>
          <LanguageSwitch />
        </header>
        <ol className="steps" aria-label={t('wizard.progress')}>
          {STEPS.map((name, index) => (
            <li
              key={name}
              className={index === step ? 'current' : index < step ? 'done' : ''}
              aria-current={index === step ? 'step' : undefined}
            >
              {t(`wizard.steps.${name}`)}
            </li>
          ))}
        </ol>
        <h2 className="step-title" ref={stepHeading} tabIndex={-1} data-testid={`wizard-step-${STEPS[step]}`}>
          {t('wizard.stepTitle', { n: step + 1, total: STEPS.length, name: t(`wizard.steps.${STEPS[step]}`) })}
        </h2>

        {step === 0 && (
          <ClinicStep clinicName={clinicName} onChange={setClinicName} invalid={!!errors.clinicName} onSample={fillSample} />
        )}
        {step === 1 && <SitesStep sites={sites} onChange={setSites} newKey={newKey} errors={errors} />}
        {step === 2 && <ServicesStep services={services} onChange={setServices} newKey={newKey} errors={errors} />}
        {step === 3 && <ChannelStep channel={channel} onChange={setChannel} invalid={!!errors.channel} />}

        {apiError && (
          <p className="error-note" role="alert">
            {apiError}
          </p>
        )}

        <footer className="wizard-actions">
          {step > 0 ? (
            <button type="button" className="secondary" onClick={() => setStep((step - 1) as Step)} disabled={busy}>
              {t('common.back')}
            </button>
          ) : (
            <span />
          )}
          {step < 3 ? (
            <button type="button" data-testid="wizard-next" onClick={next}>
              {t('common.next')}
            </button>
          ) : (
            <button type="submit" data-testid="wizard-finish" disabled={busy}>
              {busy ? t('wizard.finishing') : t('wizard.finish')}
            </button>
          )}
        </footer>
      </form>
    </div>
  );
}

function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="inline-field">
      <span>{t('settings.language')}</span>
      <select value={i18n.language} onChange={(e) => setLanguage(e.target.value as Language)}>
        <option value="es">Español</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}

function ClinicStep(props: { clinicName: string; onChange: (v: string) => void; invalid: boolean; onSample: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="step">
      <p className="hint">{t('wizard.clinic.intro')}</p>
      <label className="field">
        <span>{t('wizard.clinic.name')}</span>
        <input
          data-testid="wizard-clinic-name"
          value={props.clinicName}
          onChange={(e) => props.onChange(e.target.value)}
          placeholder={t('wizard.clinic.placeholder')}
          aria-invalid={props.invalid}
          autoFocus
        />
        {props.invalid && <small className="field-error">{t('wizard.errors.clinicName')}</small>}
      </label>
      <div className="sample">
        <p>{t('wizard.clinic.sampleHint')}</p>
        <button type="button" className="secondary" data-testid="wizard-demo" onClick={props.onSample}>
          {t('wizard.clinic.sample')}
        </button>
      </div>
    </section>
  );
}

function SitesStep(props: { sites: SiteRow[]; onChange: (rows: SiteRow[]) => void; newKey: () => number; errors: Errors }) {
  const { t, i18n } = useTranslation();
  const countries = useMemo(() => countryOptions(i18n.language), [i18n.language]);
  const update = (key: number, patch: Partial<SiteRow>): void =>
    props.onChange(props.sites.map((s) => (s.key === key ? { ...s, ...patch } : s)));
  return (
    <section className="step">
      <p className="hint">{t('wizard.sites.intro')}</p>
      <div className="rows">
        {props.sites.map((site) => (
          <div className="row site-row" key={site.key}>
            <label className="field grow">
              <span>{t('wizard.sites.name')}</span>
              <input
                value={site.name}
                onChange={(e) => update(site.key, { name: e.target.value })}
                aria-invalid={props.errors.sites?.has(site.key) ?? false}
              />
              {props.errors.sites?.has(site.key) && <small className="field-error">{t('wizard.errors.siteName')}</small>}
            </label>
            <label className="field">
              <span>{t('wizard.sites.country')}</span>
              <select
                value={site.country}
                data-testid="wizard-site-country"
                onChange={(e) => {
                  const country = e.target.value as Country;
                  update(site.key, { country, timeZone: defaultZone(country) });
                }}
              >
                {countries.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
            <TimeZoneSelect country={site.country} value={site.timeZone} onChange={(timeZone) => update(site.key, { timeZone })} />
            <button
              type="button"
              className="link danger remove"
              onClick={() => props.onChange(props.sites.filter((s) => s.key !== site.key))}
              disabled={props.sites.length === 1}
              aria-label={t('wizard.remove')}
              title={t('wizard.remove')}
            >
              ×
            </button>
          </div>
        ))}
      </div>
      {props.errors.noSites && <p className="field-error">{t('wizard.errors.noSites')}</p>}
      <button
        type="button"
        className="secondary small"
        onClick={() => props.onChange([...props.sites, { key: props.newKey(), name: '', country: 'PE', timeZone: defaultZone('PE') }])}
      >
        {t('wizard.sites.add')}
      </button>
    </section>
  );
}

function TimeZoneSelect(props: { country: Country; value: string; onChange: (zone: string) => void }) {
  const { t } = useTranslation();
  const { suggested, others } = useMemo(() => timeZoneOptions(props.country), [props.country]);
  return (
    <label className="field">
      <span>{t('wizard.sites.timeZone')}</span>
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)} data-testid="wizard-site-zone">
        <optgroup label={t('wizard.sites.suggested')}>
          {suggested.map((z) => (
            <option key={z} value={z}>
              {zoneCity(z)}
            </option>
          ))}
        </optgroup>
        <optgroup label={t('wizard.sites.otherZones')}>
          {others.map((z) => (
            <option key={z} value={z}>
              {zoneCity(z)} ({z})
            </option>
          ))}
        </optgroup>
      </select>
    </label>
  );
}

function ServicesStep(props: {
  services: ServiceRow[];
  onChange: (rows: ServiceRow[]) => void;
  newKey: () => number;
  errors: Errors;
}) {
  const { t } = useTranslation();
  return (
    <section className="step">
      <p className="hint">{t('wizard.services.intro')}</p>
      <div className="rows">
        {props.services.map((service) => (
          <div className="row" key={service.key}>
            <label className="field grow">
              <span className="sr-only">{t('wizard.services.name')}</span>
              <input
                value={service.name}
                placeholder={t('wizard.services.name')}
                onChange={(e) =>
                  props.onChange(props.services.map((s) => (s.key === service.key ? { ...s, name: e.target.value } : s)))
                }
                aria-invalid={props.errors.services?.has(service.key) ?? false}
              />
              {props.errors.services?.has(service.key) && (
                <small className="field-error">{t('wizard.errors.serviceName')}</small>
              )}
            </label>
            <button
              type="button"
              className="link danger remove"
              onClick={() => props.onChange(props.services.filter((s) => s.key !== service.key))}
              disabled={props.services.length === 1}
              aria-label={t('wizard.remove')}
              title={t('wizard.remove')}
            >
              ×
            </button>
          </div>
        ))}
      </div>
      {props.errors.noServices && <p className="field-error">{t('wizard.errors.noServices')}</p>}
      <button
        type="button"
        className="secondary small"
        onClick={() => props.onChange([...props.services, { key: props.newKey(), name: '' }])}
      >
        {t('wizard.services.add')}
      </button>
    </section>
  );
}

function ChannelStep(props: { channel: ChannelId | null; onChange: (c: ChannelId) => void; invalid: boolean }) {
  const { t } = useTranslation();
  return (
    <section className="step">
      <p className="hint">{t('wizard.channel.intro')}</p>
      <div className="choices" role="radiogroup" aria-label={t('wizard.steps.channel')}>
        {CHANNELS.map((c) => (
          <label key={c} className={`choice ${props.channel === c ? 'selected' : ''}`} data-testid={`channel-${c}`}>
            <input type="radio" name="channel" value={c} checked={props.channel === c} onChange={() => props.onChange(c)} />
            <span>
              <strong>{t(`wizard.channel.${c}.title`)}</strong>
              <small>{t(`wizard.channel.${c}.help`)}</small>
            </span>
          </label>
        ))}
      </div>
      {props.invalid && <p className="field-error">{t('wizard.errors.channel')}</p>}
    </section>
  );
}
