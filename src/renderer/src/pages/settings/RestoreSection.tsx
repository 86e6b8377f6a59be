import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RestoreCheck } from '../../../../shared/operations';
import { call } from '../../api/client';
import { useAction } from '../../components/Notify';
import { useFormat } from '../../format';

/**
 * Ajustes → Restaurar: a backup is checked in full first (nothing is touched); restoring moves the current data aside
 * and Avisa restarts on the copy with sending paused.
 */
export function RestoreSection() {
  const { t } = useTranslation();
  const f = useFormat();
  const [run, busy] = useAction();
  const [path, setPath] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [checked, setChecked] = useState<RestoreCheck | null>(null);
  const [restoring, setRestoring] = useState(false);
  const args = () => ({ path: path.trim(), ...(passphrase ? { passphrase } : {}) });

  const check = async (): Promise<void> => {
    setChecked(null);
    const result = await run(() => call('backup.checkRestore', args()));
    if (result) setChecked(result);
  };
  const restore = async (): Promise<void> => {
    if (!window.confirm(t('restore.confirm'))) return;
    const result = await run(() => call('backup.restore', args()));
    if (result) setRestoring(true);
  };

  return (
    <section className="card" id="settings-restore" data-testid="restore-section">
      <h3>{t('restore.title')}</h3>
      <p className="hint">{t('restore.hint')}</p>
      <div className="row">
        <label className="field grow">
          <span>{t('restore.path')}</span>
          <input value={path} onChange={(e) => { setPath(e.target.value); setChecked(null); }} data-testid="restore-path" />
        </label>
        <label className="field">
          <span>{t('restore.passphrase')}</span>
          <input type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} data-testid="restore-passphrase" />
        </label>
      </div>
      <div className="row">
        <button type="button" className="secondary" disabled={busy || !path.trim()} onClick={() => void check()} data-testid="restore-check">
          {t('restore.check')}
        </button>
        <button type="button" className="danger" disabled={busy || !checked || restoring} onClick={() => void restore()} data-testid="restore-run">
          {t('restore.run')}
        </button>
      </div>
      {checked && (
        <p className="ok-note" role="status" data-testid="restore-checked">
          {t('restore.checked', {
            at: f.dateTime(checked.takenAt),
            version: checked.avisaVersion,
            messages: f.number(checked.counts.messages ?? 0),
            events: f.number(checked.counts.audit_events ?? 0),
          })}
          {checked.sending > 0 && ` ${t('restore.sending', { n: f.number(checked.sending) })}`}
          {checked.secrets === 'reenter' && ` ${t('restore.reenter')}`}
        </p>
      )}
      {restoring && <p className="muted" role="status">{t('restore.restarting')}</p>}
    </section>
  );
}
