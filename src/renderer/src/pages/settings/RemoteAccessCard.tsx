import { useTranslation } from 'react-i18next';
import { useCall } from '../../api/hooks';
import { ErrorNote } from '../../components/ErrorNote';
import { useFormat } from '../../format';

/**
 * Ajustes → Acceso remoto: server mode beyond this machine speaks HTTPS only. With Avisa's own (self-signed)
 * certificate every browser warns at first; its SHA-256 fingerprint here lets the clinic's IT check that the warning
 * is about this server before accepting it, and the file's place lets them install it as trusted instead.
 */
export function RemoteAccessCard() {
  const { t } = useTranslation();
  const f = useFormat();
  const loaded = useCall('remoteAccess.certificate', {});
  const view = loaded.data;

  return (
    <section className="card settings-group" data-testid="settings-remote-access">
      <h3>{t('remoteAccess.title')}</h3>
      <ErrorNote error={loaded.error} onRetry={loaded.reload} retryLabel={t('common.retry')} />
      {view && !view.https && (
        <p className="hint" data-testid="remote-access-local">
          {t('remoteAccess.local')}
        </p>
      )}
      {view?.https && (
        <>
          <p className="hint">{view.selfSigned ? t('remoteAccess.selfSigned') : t('remoteAccess.clinicCertificate')}</p>
          <dl className="review-facts">
            <dt>{t('remoteAccess.fingerprint')}</dt>
            <dd>
              <code data-testid="remote-access-fingerprint">
                {view.fingerprintSha256}
              </code>
            </dd>
            <dt>{t('remoteAccess.file')}</dt>
            <dd>
              <code data-testid="remote-access-file">
                {view.certFile}
              </code>
            </dd>
            {view.validTo && (
              <>
                <dt>{t('remoteAccess.validTo')}</dt>
                <dd>{f.dateTime(Date.parse(view.validTo))}</dd>
              </>
            )}
            {view.names.length > 0 && (
              <>
                <dt>{t('remoteAccess.names')}</dt>
                <dd data-testid="remote-access-names">{view.names.join(', ')}</dd>
              </>
            )}
          </dl>
          <p className="hint">{t('remoteAccess.howToCheck')}</p>
        </>
      )}
    </section>
  );
}
