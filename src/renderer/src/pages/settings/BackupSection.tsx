import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupConfigView, BackupListItem } from '../../../../shared/operations';
import { call } from '../../api/client';
import { useCall, useEvent } from '../../api/hooks';
import { useBackups } from '../../api/settingsResources';
import { useAppStatus } from '../../appStatus';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorNote } from '../../components/ErrorNote';
import { useAction, useNotify } from '../../components/Notify';
import { useFormat } from '../../format';
import { UnsavedNote, useUnsaved } from './unsaved';
import { useSectionAnchor } from './useSectionAnchor';

/** Ajustes → Copias de seguridad: where and when, how many to keep, encryption, and "Hacer copia ahora". */
export function BackupSection() {
  const { t } = useTranslation();
  const config = useCall('backup.config', {});
  const [saved, setSaved] = useState<BackupConfigView | null>(null);
  const view = saved ?? config.data;
  const anchor = useSectionAnchor<HTMLElement>('backups');
  return (
    <section className="card" id="settings-backups" data-testid="backup-section" ref={anchor}>
      <h3>{t('backup.title')}</h3>
      <p className="hint">{t('backup.hint')}</p>
      <ErrorNote error={config.error} onRetry={config.reload} retryLabel={t('common.retry')} />
      {view && <BackupForm key={JSON.stringify(view)} view={view} onSaved={setSaved} />}
      {view?.secretsNote && <p className="hint" data-testid="backup-secrets-note">{view.secretsNote}</p>}
      <BackupNow />
      <BackupList />
    </section>
  );
}

function BackupForm({ view, onSaved }: { view: BackupConfigView; onSaved: (v: BackupConfigView) => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [run, busy] = useAction('backup.config');
  const [folder, setFolder] = useState(view.folder);
  const [time, setTime] = useState(view.time);
  const [keepDaily, setKeepDaily] = useState(view.keepDaily);
  const [keepWeekly, setKeepWeekly] = useState(view.keepWeekly);
  const [encrypt, setEncrypt] = useState(view.encrypt);
  const [passphrase, setPassphrase] = useState('');
  const dirty =
    folder.trim() !== view.folder ||
    time !== view.time ||
    keepDaily !== view.keepDaily ||
    keepWeekly !== view.keepWeekly ||
    encrypt !== view.encrypt ||
    passphrase !== '';
  useUnsaved('backups', dirty);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const updated = await run(() =>
      call('backup.setConfig', { folder: folder.trim(), time, keepDaily, keepWeekly, encrypt, ...(passphrase ? { passphrase } : {}) }),
    );
    if (!updated) return;
    setPassphrase('');
    onSaved(updated);
    notify.ok(t('common.saved'), 'backup.config');
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <div className="row">
        <label className="field grow">
          <span>{t('backup.folder')}</span>
          <input value={folder} onChange={(e) => setFolder(e.target.value)} placeholder={t('backup.folderPlaceholder')} data-testid="backup-folder" />
        </label>
        <label className="field">
          <span>{t('backup.time')}</span>
          <input type="time" value={time} onChange={(e) => setTime(e.target.value)} data-testid="backup-time" />
        </label>
      </div>
      <div className="row">
        <label className="field">
          <span>{t('backup.keepDaily')}</span>
          <input type="number" min={1} max={365} value={keepDaily} onChange={(e) => setKeepDaily(Number(e.target.value))} />
        </label>
        <label className="field">
          <span>{t('backup.keepWeekly')}</span>
          <input type="number" min={0} max={520} value={keepWeekly} onChange={(e) => setKeepWeekly(Number(e.target.value))} />
        </label>
      </div>
      <label className="check">
        <input type="checkbox" checked={encrypt} onChange={(e) => setEncrypt(e.target.checked)} data-testid="backup-encrypt" />
        <span>{t('backup.encrypt')}</span>
      </label>
      {encrypt && (
        <label className="field">
          <span>{view.hasPassphrase ? t('backup.replacePassphrase') : t('backup.passphrase')}</span>
          <input type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} data-testid="backup-passphrase" />
          <small className="hint">{t('backup.passphraseHint')}</small>
        </label>
      )}
      <div className="form-actions save-bar">
        <UnsavedNote dirty={dirty} />
        <button type="submit" disabled={busy} data-testid="backup-save">
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}

function BackupNow() {
  const { t } = useTranslation();
  const f = useFormat();
  const notify = useNotify();
  const { status } = useAppStatus();
  const [run, busy] = useAction();
  const [fraction, setFraction] = useState<number | null>(null);
  useEvent('backup.progress', (p) => setFraction(p.fraction));
  const health = status.operations?.backup;

  const now = async (): Promise<void> => {
    setFraction(0);
    const done = await run(() => call('backup.runNow', {}));
    setFraction(null);
    if (done?.name) notify.ok(t('backup.done', { name: done.name }));
  };

  return (
    <div className="backup-now">
      <div className="row">
        <button type="button" className="secondary" disabled={busy || health?.state === 'running'} onClick={() => void now()} data-testid="backup-now">
          {t('backup.now')}
        </button>
        {(busy || health?.state === 'running') && (
          <progress max={1} value={fraction ?? health?.progress ?? 0} aria-label={t('backup.progress')} data-testid="backup-progress" />
        )}
      </div>
      {health && (
        <p className={health.state === 'failed' ? 'error-note' : 'muted'} data-testid="backup-health" role="status">
          {health.lastGoodAt ? t('backup.lastGood', { at: f.dateTime(health.lastGoodAt) }) : t('backup.never')}
          {health.failure && ` — ${health.failure.reason}`}
          {health.nextRetryAt && ` ${t('backup.nextRetry', { at: f.dateTime(health.nextRetryAt) })}`}
        </p>
      )}
      {health?.failure && <small className="muted">{health.failure.detail}</small>}
    </div>
  );
}

function BackupList() {
  const { t } = useTranslation();
  const f = useFormat();
  const list = useBackups();
  const columns: Column<BackupListItem>[] = [
    { key: 'name', header: t('backup.name'), cell: (b) => b.name },
    { key: 'takenAt', header: t('backup.takenAt'), cell: (b) => f.dateTime(b.takenAt) },
    { key: 'size', header: t('backup.size'), cell: (b) => `${f.number(Math.round(b.bytes / 1024))} KB` },
    { key: 'encrypted', header: t('backup.encrypted'), cell: (b) => (b.encrypted ? t('common.yes') : t('common.no')) },
  ];
  // No folder yet, or nothing in it: no empty list (the section says how to set it up).
  return <DataTable columns={columns} rows={list.data} rowKey={(b) => b.name} error={list.error} onRetry={list.reload} testId="backup-list" framed={false} />;
}
