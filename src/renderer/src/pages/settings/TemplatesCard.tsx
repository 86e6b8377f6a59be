import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TemplateInfo } from '../../../../shared/api';
import { call } from '../../api/client';
import { useCall } from '../../api/hooks';
import { Chip } from '../../components/Chip';
import { DataTable, type Column } from '../../components/DataTable';
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
  const stored = useCall('cloudApi.templates', {});
  const [synced, setSynced] = useState<TemplateInfo[] | null>(null);
  const { run, busy, error } = useFormAction();
  const templates = synced ?? stored.data;

  const sync = async (): Promise<void> => {
    const result = await run(() => call('cloudApi.syncTemplates', {}));
    if (!result) return;
    setSynced(result);
    notify.ok(t('settings.templatesSynced', { count: result.length }));
  };

  const columns: Column<TemplateInfo>[] = [
    {
      key: 'name',
      header: t('settings.template.name'),
      cell: (x) => (
        <>
          <code>{x.name}</code>
          {x.headerFormat && <span className="muted"> · {x.headerFormat}</span>}
          {x.urlButtonUrl && (
            <div className="muted" data-testid="cloud-template-url-button">
              {t('resultLinks.urlButton', { url: x.urlButtonUrl })}
            </div>
          )}
        </>
      ),
    },
    { key: 'language', header: t('settings.template.language'), cell: (x) => x.language },
    { key: 'category', header: t('settings.template.category'), cell: (x) => x.category },
    { key: 'status', header: t('settings.template.status'), cell: (x) => <Chip tone={templateTone(x.status)}>{x.status}</Chip> },
    { key: 'params', header: t('settings.template.params'), cell: (x) => f.number(x.bodyParams), className: 'num', headerClassName: 'num' },
    { key: 'synced', header: t('settings.template.synced'), cell: (x) => f.dateTime(x.syncedAt), className: 'nowrap' },
  ];

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
      <DataTable
        columns={columns}
        rows={templates}
        rowKey={(x) => `${x.name}/${x.language}`}
        rowProps={(x) => ({ 'data-testid': 'cloud-template-row', 'data-name': x.name })}
        framed="inner"
      />
      {templates?.length === 0 && <p className="muted">{t('settings.noTemplates')}</p>}
    </section>
  );
}
