import { useTranslation } from 'react-i18next';
import { call } from '../api/client';
import { useAppStatus } from '../appStatus';
import { useFormat } from '../format';
import { channelFixAt, useNav } from '../nav';
import { useAction } from './Notify';
import { OperationsBanners } from './OperationsBanners';

/** What stops or slows sending, shown above every page until someone acts on it. */
export function Banners() {
  return (
    <>
      <OperationsBanners />
      <ChannelBanner />
      <UnknownBanner />
      <WebhookBanner />
      <SilenceBanner />
    </>
  );
}

function ChannelBanner() {
  const { t } = useTranslation();
  const { status } = useAppStatus();
  const { goTo } = useNav();
  const health = status.channelHealth;
  const fixAt = channelFixAt(status.channel);

  // An account problem (token expired, account locked) outranks a person's pause: the resume button clears both.
  if (health.state === 'paused') {
    return (
      <div className="banner banner-bad" role="alert" data-testid="channel-banner" data-state="paused">
        <div>
          <strong>{t('paused.problemTitle')}</strong>
          {health.reason && <span> — {health.reason}</span>}
        </div>
        <div className="banner-actions">
          <button type="button" className="secondary" onClick={() => goTo(fixAt)} data-testid="channel-banner-fix">
            {t('header.openSettings')}
          </button>
          <ResumeButton />
        </div>
      </div>
    );
  }
  if (status.sendingPaused) {
    return (
      <div className="banner banner-warn" role="status" data-testid="channel-banner" data-state="paused">
        <div>
          <strong>{t('paused.title')}</strong> — {t('paused.byPerson')}
        </div>
        <ResumeButton />
      </div>
    );
  }
  if (health.state === 'not_configured') {
    return (
      <div className="banner banner-info" role="status" data-testid="channel-banner" data-state="not_configured">
        <div>
          <strong>{t('header.notConfigured')}</strong>
          {health.reason && <span> — {health.reason}</span>}
        </div>
        <button type="button" className="secondary" onClick={() => goTo(fixAt)} data-testid="channel-banner-fix">
          {t('header.openSettings')}
        </button>
      </div>
    );
  }
  return null;
}

function ResumeButton() {
  const { t } = useTranslation();
  const { apply } = useAppStatus();
  const [run, busy] = useAction();
  const resume = async (): Promise<void> => {
    const next = await run(() => call('sending.resume', {}));
    if (next) apply(next);
  };
  return (
    <button type="button" disabled={busy} onClick={() => void resume()} data-testid="resume-sending">
      {t('paused.resume')}
    </button>
  );
}

function UnknownBanner() {
  const { t } = useTranslation();
  const f = useFormat();
  const { status } = useAppStatus();
  const { goTo } = useNav();
  if (status.unknown <= 0) return null;
  return (
    <div className="banner banner-warn" role="status" data-testid="unknown-banner">
      <div>
        <strong>{t('header.unknownTitle', { count: status.unknown, n: f.number(status.unknown) })}</strong> —{' '}
        {t('header.unknown', { count: status.unknown })}
      </div>
      <button type="button" className="secondary" onClick={() => goTo({ page: 'messages', messageState: 'unknown' })}>
        {t('header.review')}
      </button>
    </div>
  );
}

/** The Cloud API sends but no status comes back: every message would sit at "Enviado" without anyone noticing. */
function SilenceBanner() {
  const { t } = useTranslation();
  const f = useFormat();
  const { status } = useAppStatus();
  const { goTo } = useNav();
  if (status.webhookSilentSince === null) return null;
  return (
    <div className="banner banner-warn" role="status" data-testid="silence-banner">
      <div>
        <strong>{t('header.silentTitle')}</strong> — {t('header.silent', { since: f.moment(status.webhookSilentSince) })}
      </div>
      <button type="button" className="secondary" onClick={() => goTo({ page: 'settings', section: 'reception' })}>
        {t('header.openReception')}
      </button>
    </div>
  );
}

function WebhookBanner() {
  const { t } = useTranslation();
  const { status } = useAppStatus();
  const { goTo } = useNav();
  if (!status.webhook?.error) return null;
  return (
    <div className="banner banner-warn" role="status" data-testid="webhook-banner">
      <div>
        <strong>{t('header.webhookError')}</strong> — {status.webhook.error}
      </div>
      <button type="button" className="secondary" onClick={() => goTo({ page: 'settings', section: 'reception' })} data-testid="webhook-banner-fix">
        {t('header.openSettings')}
      </button>
    </div>
  );
}
