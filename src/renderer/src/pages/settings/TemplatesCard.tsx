import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TemplateInfo } from '../../../../shared/api';
import { call } from '../../api/client';
import { useCall } from '../../api/hooks';
import { Chip } from '../../components/Chip';
import { ErrorNote } from '../../components/ErrorNote';
import { useNotify } from '../../components/Notify';
import { templateTone } from '../../components/tones';
import { useFormAction } from '../../components/useFormAction';
import { useFormat } from '../../format';

/** The message templates approved at Meta, copied here so messages can be checked before they go out. */
export function TemplatesCard() {
  const { t } = useTranslation();
  const f = useFormat();
  const notify = useNotify();
  const stored = useCall('cloudApi.templates', {}, false);
  const [synced, setSynced] = useState<TemplateInfo[] | null>(null);
  const { run, busy, error } = useFormAction();
  const templates = synced ?? stored.data;

  const sync = async (): Promise<void> => {
    const result = await run(() => call('cloudApi.syncTemplates', {}));
    if (!result) return;
    setSynced(result);
    notify.ok(t('settings.templatesSynced', { count: result.length }));
  };

  return (
    <section className="card" data-testid="settings-templates">
      <div className="card-head">
        <h3>{t('settings.templates')}</h3>
        <button type="button" className="secondary" disabled={busy} onClick={() => void sync()} data-testid="cloud-sync-templates">
          {busy ? t('settings.syncing') : t('settings.syncTemplates')}
        </button>
      </div>
      <p className="hint">{t('settings.templatesHint')}</p>
      <ErrorNote error={error ?? stored.error} />
      {templates && templates.length > 0 && (
        <div className="card flush inner">
          <table className="table">
            <thead>
              <tr>
                <th>{t('settings.template.name')}</th>
                <th>{t('settings.template.language')}</th>
                <th>{t('settings.template.category')}</th>
                <th>{t('settings.template.status')}</th>
                <th className="num">{t('settings.template.params')}</th>
                <th>{t('settings.template.synced')}</th>
              </tr>
            </thead>
            <tbody>
              {templates.map((x) => (
                <tr key={`${x.name}/${x.language}`} data-testid="cloud-template-row" data-name={x.name}>
                  <td>
                    <code>{x.name}</code>
                    {x.headerFormat && <span className="muted"> · {x.headerFormat}</span>}
                    {x.urlButtonUrl && (
                      <div className="muted" data-testid="cloud-template-url-button">
                        {t('resultLinks.urlButton', { url: x.urlButtonUrl })}
                      </div>
                    )}
                  </td>
                  <td>{x.language}</td>
                  <td>{x.category}</td>
                  <td>
                    <Chip tone={templateTone(x.status)}>{x.status}</Chip>
                  </td>
                  <td className="num">{f.number(x.bodyParams)}</td>
                  <td className="nowrap">{f.dateTime(x.syncedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {templates?.length === 0 && <p className="muted">{t('settings.noTemplates')}</p>}
    </section>
  );
}
