import { useTranslation } from 'react-i18next';
import { useAppStatus } from '../../appStatus';
import { Chip } from '../../components/Chip';

/** Whether Meta's status and reply webhooks can reach Avisa, and what the clinic must put in front of it. */
export function WebhookCard() {
  const { t } = useTranslation();
  const { status } = useAppStatus();
  const webhook = status.webhook;

  return (
    <section className="card" data-testid="settings-webhook">
      <h3>{t('settings.webhook')}</h3>
      {!webhook ? (
        <p className="muted">{t('settings.webhookOff')}</p>
      ) : webhook.listening ? (
        <p data-testid="webhook-status" data-listening="true">
          <Chip tone="good">{t('settings.webhookListening', { port: webhook.port })}</Chip>
        </p>
      ) : (
        <div data-testid="webhook-status" data-listening="false">
          <p>
            <Chip tone="bad">{t('settings.webhookDown', { port: webhook.port })}</Chip>
          </p>
          {webhook.error && <p className="error-note">{webhook.error}</p>}
        </div>
      )}
      <p className="hint">{t('settings.webhookHint', { port: webhook?.port ?? '…' })}</p>
    </section>
  );
}
