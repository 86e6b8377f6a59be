import { useTranslation } from 'react-i18next';
import { call } from '../api/client';
import { useAppStatus } from '../appStatus';
import { useNav } from '../nav';
import { useAction } from './Notify';

/** The disk under the database (sending paused until it answers) and a failed backup, above every page. */
export function OperationsBanners() {
  const { t } = useTranslation();
  const { status, refresh } = useAppStatus();
  const { goTo } = useNav();
  const [run, busy] = useAction();
  const storage = status.operations?.storage ?? null;
  const backup = status.operations?.backup ?? null;
  return (
    <>
      {storage && (
        <div className="banner banner-bad" role="alert" data-testid="storage-banner" data-code={storage.code}>
          <div>
            <strong>{t('storage.title')}</strong> — {storage.reason}
            <small className="muted"> ({storage.detail})</small>
          </div>
          <button type="button" disabled={busy} onClick={() => void run(() => call('storage.retry', {})).then(refresh)}>
            {t('storage.retry')}
          </button>
        </div>
      )}
      {backup?.state === 'failed' && backup.failure && (
        <div className="banner banner-warn" role="status" data-testid="backup-banner">
          <div>
            <strong>{t('backup.failedTitle')}</strong> — {backup.failure.reason}
          </div>
          <button type="button" className="secondary" onClick={() => goTo({ page: 'settings', section: 'backups' })} data-testid="backup-banner-fix">
            {t('header.openSettings')}
          </button>
        </div>
      )}
    </>
  );
}
