import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsView } from '../../../../shared/settings';
import type { Save } from './types';
import { wholeNumber } from './SendingSection';
import { UnsavedNote, useUnsaved } from './unsaved';
import { useSectionAnchor } from './useSectionAnchor';

const TOKENS = ['documentNumber', 'documentType', 'accession', 'kind', 'title', 'studyUid'] as const;

/** Ajustes → Carpeta compartida: where the lab's system drops the PDFs, and how their names are read. */
export function FolderSourceSection({ view, save }: { view: SettingsView; save: Save }) {
  const { t } = useTranslation();
  const saved = view.folderSource;
  const [enabled, setEnabled] = useState(saved.enabled);
  const [path, setPath] = useState(saved.path);
  const [pattern, setPattern] = useState(saved.pattern);
  const [usePolling, setUsePolling] = useState(saved.usePolling);
  const [poll, setPoll] = useState(String(saved.pollIntervalMs));
  const [stability, setStability] = useState(String(saved.stabilityMs));
  const [sidecar, setSidecar] = useState(String(saved.sidecarWaitMs));
  const [signedCopy, setSignedCopy] = useState(saved.signedCopy);
  const pollMs = wholeNumber(poll, 50, 60_000);
  const stabilityMs = wholeNumber(stability, 50, 120_000);
  const sidecarMs = wholeNumber(sidecar, 0, 600_000);
  const pathMissing = enabled && !path.trim();
  const invalid = pollMs === null || stabilityMs === null || sidecarMs === null || pathMissing || !pattern.trim();
  const dirty =
    enabled !== saved.enabled ||
    path.trim() !== saved.path ||
    pattern.trim() !== saved.pattern ||
    usePolling !== saved.usePolling ||
    pollMs !== saved.pollIntervalMs ||
    stabilityMs !== saved.stabilityMs ||
    sidecarMs !== saved.sidecarWaitMs ||
    signedCopy !== saved.signedCopy;
  useUnsaved('folder', dirty);
  const anchor = useSectionAnchor<HTMLElement>('folder');

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (invalid) return;
    void save({
      folderSource: {
        enabled,
        path: path.trim(),
        pattern: pattern.trim(),
        usePolling,
        pollIntervalMs: pollMs,
        stabilityMs,
        sidecarWaitMs: sidecarMs,
        signedCopy,
      },
    });
  };

  const numberField = (label: string, value: string, set: (v: string) => void, ok: boolean, min: number, max: number, testId: string) => (
    <label className="field">
      <span>{label}</span>
      <input type="number" min={0} step={100} value={value} onChange={(e) => set(e.target.value)} aria-invalid={!ok} data-testid={testId} />
      {!ok && <small className="field-error">{t('folder.errors.ms', { min, max })}</small>}
    </label>
  );

  return (
    <section className="card settings-group" data-testid="settings-folder" ref={anchor}>
      <h3>{t('folder.title')}</h3>
      <p className="hint">{t('folder.hint')}</p>
      <form className="form-grid" onSubmit={submit} noValidate>
        <label className="check span-all">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} data-testid="folder-enabled" />
          <span>{t('folder.enabled')}</span>
        </label>
        <label className="field span-all">
          <span>{t('folder.path')}</span>
          <input
            value={path}
            placeholder={t('folder.pathPlaceholder')}
            onChange={(e) => setPath(e.target.value)}
            aria-invalid={pathMissing}
            data-testid="folder-path"
          />
          <small className={pathMissing ? 'field-error' : 'hint'}>{pathMissing ? t('folder.errors.path') : t('folder.pathHint')}</small>
        </label>
        <label className="field span-all">
          <span>{t('folder.pattern')}</span>
          <input value={pattern} onChange={(e) => setPattern(e.target.value)} aria-invalid={!pattern.trim()} data-testid="folder-pattern" />
          <small className="hint">{t('folder.patternHint')}</small>
        </label>
        <ul className="token-list span-all">
          {TOKENS.map((token) => (
            <li key={token}>
              <code>{`{${token}}`}</code> — {t(`folder.token.${token}`)}
            </li>
          ))}
        </ul>
        <label className="check span-all">
          <input type="checkbox" checked={usePolling} onChange={(e) => setUsePolling(e.target.checked)} data-testid="folder-polling" />
          <span>{t('folder.usePolling')}</span>
        </label>
        <label className="check span-all">
          <input type="checkbox" checked={signedCopy} onChange={(e) => setSignedCopy(e.target.checked)} data-testid="folder-signed-copy" />
          <span>{t('folder.signedCopy')}</span>
        </label>
        {numberField(t('folder.pollInterval'), poll, setPoll, pollMs !== null, 50, 60_000, 'folder-poll-ms')}
        {numberField(t('folder.stability'), stability, setStability, stabilityMs !== null, 50, 120_000, 'folder-stability-ms')}
        {numberField(t('folder.sidecarWait'), sidecar, setSidecar, sidecarMs !== null, 0, 600_000, 'folder-sidecar-ms')}
        <p className="hint span-all">{t('folder.intervalsHint')}</p>
        <div className="form-actions span-all save-bar">
          <UnsavedNote dirty={dirty} />
          <button type="submit" disabled={invalid} data-testid="folder-save">
            {t('common.save')}
          </button>
        </div>
      </form>
    </section>
  );
}
