import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CertificateInfo, CertificateView } from '../../../../shared/api';
import type { Language } from '../../../../shared/domain';
import type { KindRuleView, SettingsView, SigningSettingsView as SigningView } from '../../../../shared/settings';
import { call } from '../../api/client';
import { useCall } from '../../api/hooks';
import { Chip } from '../../components/Chip';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorNote } from '../../components/ErrorNote';
import { Field } from '../../components/Field';
import { useNotify } from '../../components/Notify';
import { useFormAction } from '../../components/useFormAction';
import { readAsBase64 } from '../../files';
import { useFormat } from '../../format';
import { TokenSection } from './TokenSection';
import type { Save } from './types';
import { SaveBar, UnsavedNote, useUnsaved } from './unsaved';
import { useSectionAnchor } from './useSectionAnchor';
import { P12Fields, useP12Draft } from './p12Draft';

type ResultKind = keyof SettingsView['results']['kinds'];
const KINDS: ResultKind[] = ['result', 'certificate', 'attestation', 'receipt'];
const SIGNATURES: KindRuleView['signature'][] = ['required', 'if_available', 'never'];
const CORNERS: KindRuleView['stampCorner'][] = ['bottom-right', 'bottom-left', 'top-right', 'top-left'];
const LEVELS: KindRuleView['padesLevel'][] = ['B-T', 'B-LT', 'B-LTA'];

/** Ajustes → Certificado de firma: the installed certificate, installing a new one, and how documents are signed. */
export function CertificateSection({ view, save }: { view: SettingsView; save: Save }) {
  const { t } = useTranslation();
  // Not refreshed by live events: nothing else changes it while this page is open.
  const loaded = useCall('certificate.info', {});
  const [latest, setLatest] = useState<CertificateView | null>(null);
  const cert = latest ?? loaded.data;
  const anchor = useSectionAnchor<HTMLElement>('certificate');

  return (
    <section className="card settings-group" data-testid="settings-certificate" ref={anchor} tabIndex={-1}>
      <h3>{t('certificate.title')}</h3>
      <p className="hint">{t('certificate.hint')}</p>
      <ErrorNote error={loaded.error} onRetry={loaded.reload} retryLabel={t('common.retry')} />
      {cert ? <CertificateStatus cert={cert} /> : !loaded.error && <p className="muted">{t('common.loading')}</p>}
      <InstallForm onInstalled={setLatest} />
      <TokenSection view={view} save={save} />
      <SigningForm view={view} save={save} />
      <KindRules view={view} save={save} />
      <ResultsOptions view={view} save={save} />
    </section>
  );
}

function CertificateStatus({ cert }: { cert: CertificateView }) {
  const { t, i18n } = useTranslation();
  if (!cert.configured) {
    return (
      <p className="warning" data-testid="cert-info" data-state="none">
        {t('certificate.none')}
      </p>
    );
  }
  const lang: Language = i18n.language === 'en' ? 'en' : 'es';
  return (
    <div className="cert-box" data-testid="cert-info" data-state={cert.ok ? (cert.info.expiringSoon ? 'expiring' : 'ok') : 'bad'}>
      {cert.ok ? (
        cert.info.expiringSoon ? (
          <p className="cert-warn">{t('certificate.expiringSoon', { count: cert.info.expiresInDays })}</p>
        ) : (
          <p>
            <Chip tone="good">{t('certificate.valid')}</Chip>
          </p>
        )
      ) : (
        <p className="error-note" role="alert">
          {cert.reason[lang]}
        </p>
      )}
      {cert.info && <CertificateDetails info={cert.info} />}
    </div>
  );
}

function CertificateDetails({ info }: { info: CertificateInfo }) {
  const { t } = useTranslation();
  const f = useFormat();
  const when = (iso: string): string => f.dateTime(Date.parse(iso));
  return (
    <dl className="review-facts">
      <dt>{t('certificate.subject')}</dt>
      <dd data-testid="cert-subject">
        {info.subject.commonName ?? info.subject.dn}
        {info.subject.organization ? <span className="muted"> · {info.subject.organization}</span> : null}
      </dd>
      <dt>{t('certificate.issuer')}</dt>
      <dd>{info.issuer.commonName ?? info.issuer.dn}</dd>
      <dt>{t('certificate.validFrom')}</dt>
      <dd>{when(info.notBefore)}</dd>
      <dt>{t('certificate.validTo')}</dt>
      <dd>{when(info.notAfter)}</dd>
      <dt>{t('certificate.daysLeft')}</dt>
      <dd>{f.number(info.expiresInDays)}</dd>
    </dl>
  );
}

function InstallForm({ onInstalled }: { onInstalled: (v: CertificateView) => void }) {
  const { t, i18n } = useTranslation();
  const notify = useNotify();
  const { run, busy, error } = useFormAction();
  const draft = useP12Draft('certificate-install');
  const { file, password } = draft;
  const [refusal, setRefusal] = useState<string | null>(null);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!file) return;
    setRefusal(null);
    const chosen = file;
    const result = await run(async () => call('certificate.install', { base64: await readAsBase64(chosen), password }));
    if (!result) return; // the file stays chosen: only the password may need retyping
    if (result.configured && !result.ok) {
      setRefusal(result.reason[i18n.language === 'en' ? 'en' : 'es']);
      return;
    }
    onInstalled(result);
    draft.clear();
    notify.ok(t('certificate.installed'));
  };

  return (
    <form className="form-grid subsection" onSubmit={(e) => void submit(e)} noValidate>
      <h4 className="span-all">{t('certificate.install')}</h4>
      <P12Fields
        draft={draft}
        fileLabel={t('certificate.file')}
        passwordLabel={t('certificate.password')}
        fileTestId="cert-file"
        passwordTestId="cert-password"
        autoComplete="new-password"
      />
      {(error || refusal) && (
        <p className="error-note span-all" role="alert" data-testid="cert-error">
          {refusal ?? error?.message}
        </p>
      )}
      <div className="form-actions span-all save-bar">
        <UnsavedNote dirty={draft.chosenOrTyped} />
        <button type="submit" disabled={busy || !file} data-testid="cert-install">
          {busy ? t('certificate.installing') : t('certificate.installButton')}
        </button>
      </div>
    </form>
  );
}

function SigningForm({ view, save }: { view: SettingsView; save: Save }) {
  const { t } = useTranslation();
  const [signing, setSigning] = useState(view.signing);
  // Only what this form edits: the credential and the token are chosen elsewhere, and this copy of them may be stale.
  const edited = (s: SigningView) => {
    const { location, tsaUrl, tsaOptional, revocationOptional, stampPage, stampWhenFull, certifiedPdf } = s;
    return { location: location.trim(), tsaUrl: tsaUrl.trim(), tsaOptional, revocationOptional, stampPage, stampWhenFull, certifiedPdf };
  };
  const changed = JSON.stringify(edited(signing)) !== JSON.stringify(edited(view.signing));
  useUnsaved('signing', changed);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void save({ signing: edited(signing) });
  };

  return (
    <form className="form-grid subsection" onSubmit={submit} noValidate>
      <h4 className="span-all">{t('certificate.signing')}</h4>
      <Field label={t('certificate.location')}>
        <input value={signing.location} onChange={(e) => setSigning({ ...signing, location: e.target.value })} data-testid="signing-location" />
      </Field>
      <Field label={t('certificate.tsaUrl')}>
        <input
          type="url"
          value={signing.tsaUrl}
          placeholder="https://"
          onChange={(e) => setSigning({ ...signing, tsaUrl: e.target.value })}
          data-testid="signing-tsa"
        />
      </Field>
      <Field label={t('certificate.stampPage')}>
        <select value={signing.stampPage} onChange={(e) => setSigning({ ...signing, stampPage: e.target.value as 'first' | 'last' })}>
          <option value="first">{t('certificate.stampFirst')}</option>
          <option value="last">{t('certificate.stampLast')}</option>
        </select>
      </Field>
      <Field label={t('certificate.stampWhenFull')}>
        <select
          value={signing.stampWhenFull}
          onChange={(e) => setSigning({ ...signing, stampWhenFull: e.target.value as SigningView['stampWhenFull'] })}
          data-testid="signing-when-full"
        >
          <option value="signature_page">{t('certificate.whenFull.signature_page')}</option>
          <option value="invisible">{t('certificate.whenFull.invisible')}</option>
        </select>
      </Field>
      <Field label={t('certificate.certifiedPdf')}>
        <select
          value={signing.certifiedPdf}
          onChange={(e) => setSigning({ ...signing, certifiedPdf: e.target.value as SigningView['certifiedPdf'] })}
          data-testid="signing-certified"
        >
          <option value="invisible">{t('certificate.certified.invisible')}</option>
          <option value="refuse">{t('certificate.certified.refuse')}</option>
        </select>
      </Field>
      <label className="check span-all">
        <input
          type="checkbox"
          checked={signing.tsaOptional}
          onChange={(e) => setSigning({ ...signing, tsaOptional: e.target.checked })}
          data-testid="signing-tsa-optional"
        />
        <span>{t('certificate.tsaOptional')}</span>
      </label>
      <Field label={t('certificate.revocationOptional')} wide>
        <select
          value={signing.revocationOptional ? 'lower' : 'wait'}
          onChange={(e) => setSigning({ ...signing, revocationOptional: e.target.value === 'lower' })}
          data-testid="signing-revocation-optional"
        >
          <option value="lower">{t('certificate.revocation.lower')}</option>
          <option value="wait">{t('certificate.revocation.wait')}</option>
        </select>
      </Field>
      <SaveBar dirty={changed} testId="signing-save" />
    </form>
  );
}

function KindRules({ view, save }: { view: SettingsView; save: Save }) {
  const { t } = useTranslation();
  const [kinds, setKinds] = useState(view.results.kinds);
  const changed = KINDS.some((k) => JSON.stringify(kinds[k]) !== JSON.stringify(view.results.kinds[k]));
  useUnsaved('kind-rules', changed);
  const edit = (kind: ResultKind, patch: Partial<KindRuleView>): void => setKinds({ ...kinds, [kind]: { ...kinds[kind], ...patch } });

  const columns: Column<ResultKind>[] = [
    { key: 'kind', header: t('results.kind'), cell: (kind) => t(`resultKind.${kind}`) },
    {
      key: 'signature',
      header: t('certificate.signature'),
      cell: (kind) => (
        <select
          value={kinds[kind].signature}
          aria-label={t('certificate.signature')}
          onChange={(e) => edit(kind, { signature: e.target.value as KindRuleView['signature'] })}
        >
          {SIGNATURES.map((s) => (
            <option key={s} value={s}>
              {t(`certificate.signatureRule.${s}`)}
            </option>
          ))}
        </select>
      ),
    },
    {
      key: 'template',
      header: t('certificate.template'),
      cell: (kind) => (
        <input
          value={kinds[kind].template}
          aria-label={t('certificate.template')}
          onChange={(e) => edit(kind, { template: e.target.value.trim() })}
        />
      ),
    },
    {
      key: 'stampCorner',
      header: t('certificate.stampCorner'),
      cell: (kind) => (
        <select
          value={kinds[kind].stampCorner}
          aria-label={t('certificate.stampCorner')}
          onChange={(e) => edit(kind, { stampCorner: e.target.value as KindRuleView['stampCorner'] })}
          data-testid="kind-stamp-corner"
        >
          {CORNERS.map((c) => (
            <option key={c} value={c}>
              {t(`certificate.corner.${c}`)}
            </option>
          ))}
        </select>
      ),
    },
    {
      key: 'padesLevel',
      header: t('certificate.padesLevel'),
      cell: (kind) => (
        <select
          value={kinds[kind].padesLevel}
          aria-label={t('certificate.padesLevel')}
          onChange={(e) => edit(kind, { padesLevel: e.target.value as KindRuleView['padesLevel'] })}
          data-testid="kind-pades-level"
        >
          {LEVELS.map((level) => (
            <option key={level} value={level}>
              {t(`certificate.level.${level}`)}
            </option>
          ))}
        </select>
      ),
    },
  ];

  return (
    <div className="subsection">
      <h4>{t('certificate.kinds')}</h4>
      <p className="hint">{t('certificate.kindsHint')}</p>
      <p className="hint">{t('certificate.levelHint')}</p>
      <DataTable columns={columns} rows={KINDS} rowKey={(kind) => kind} rowProps={(kind) => ({ 'data-testid': 'kind-rule-row', 'data-kind': kind })} framed="inner" />
      <div className="form-actions save-bar">
        <UnsavedNote dirty={changed} />
        <button
          type="button"
          disabled={!changed}
          onClick={() => {
            // Whole rules, each kind that changed: the core replaces a kind's rule as a unit.
            const patch = Object.fromEntries(KINDS.filter((k) => JSON.stringify(kinds[k]) !== JSON.stringify(view.results.kinds[k])).map((k) => [k, kinds[k]]));
            void save({ results: { kinds: patch } });
          }}
          data-testid="kinds-save"
        >
          {t('common.save')}
        </button>
      </div>
    </div>
  );
}

function ResultsOptions({ view, save }: { view: SettingsView; save: Save }) {
  const { t } = useTranslation();
  const [viewerUrlTemplate, setViewer] = useState(view.results.viewerUrlTemplate);
  const [orthancUrl, setOrthanc] = useState(view.results.orthancUrl);
  const [portalUrlTemplate, setPortal] = useState(view.results.portalUrlTemplate);
  const [sitePortals, setSitePortals] = useState<Record<string, string>>(view.results.portalUrlTemplates);
  // A clinic with several sites may give each its own portal; with one site the clinic's address is enough.
  const sites = useCall('sites.list', {}).data ?? [];
  const trimmedSitePortals = Object.fromEntries(
    Object.entries(sitePortals)
      .map(([id, url]) => [id, url.trim()] as const)
      .filter(([, url]) => url !== ''),
  );
  const changed =
    viewerUrlTemplate.trim() !== view.results.viewerUrlTemplate ||
    orthancUrl.trim() !== view.results.orthancUrl ||
    portalUrlTemplate.trim() !== view.results.portalUrlTemplate ||
    JSON.stringify(trimmedSitePortals) !== JSON.stringify(view.results.portalUrlTemplates);
  useUnsaved('result-links', changed);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void save({
      results: {
        viewerUrlTemplate: viewerUrlTemplate.trim(),
        orthancUrl: orthancUrl.trim(),
        portalUrlTemplate: portalUrlTemplate.trim(),
        portalUrlTemplates: trimmedSitePortals,
      },
    });
  };

  return (
    <div className="subsection">
      <label className="check">
        <input
          type="checkbox"
          checked={view.results.requireManualApproval}
          onChange={(e) => void save({ results: { requireManualApproval: e.target.checked } })}
          data-testid="results-manual-approval"
        />
        <span>{t('certificate.manualApproval')}</span>
      </label>
      <form className="form-grid" onSubmit={submit} noValidate>
        <Field label={t('certificate.viewerUrl')} hint={t('certificate.viewerUrlHint')}>
          <input value={viewerUrlTemplate} onChange={(e) => setViewer(e.target.value)} placeholder="https://…/viewer?StudyInstanceUIDs={studyUid}" />
        </Field>
        <Field label={t('certificate.orthancUrl')}>
          <input value={orthancUrl} onChange={(e) => setOrthanc(e.target.value)} placeholder="http://127.0.0.1:8042" />
        </Field>
        <Field label={t('resultLinks.portalUrl')} hint={t('resultLinks.portalUrlHint')}>
          <input
            value={portalUrlTemplate}
            onChange={(e) => setPortal(e.target.value)}
            placeholder="https://portal.clinica.pe/r/{code}"
            data-testid="results-portal-url"
          />
        </Field>
        {sites.length > 1 &&
          sites.map((site) => (
            <Field key={site.id} label={t('resultLinks.siteUrl', { site: site.name })}>
              <input
                value={sitePortals[String(site.id)] ?? ''}
                onChange={(e) => setSitePortals({ ...sitePortals, [String(site.id)]: e.target.value })}
                placeholder={portalUrlTemplate || 'https://portal.clinica.pe/r/{code}'}
                data-testid={`results-portal-url-${site.id}`}
              />
            </Field>
          ))}
        <SaveBar dirty={changed} testId="results-links-save" />
      </form>
    </div>
  );
}
