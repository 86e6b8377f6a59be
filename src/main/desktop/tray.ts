import { join } from 'node:path';
import { app, Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import type { AppStatus } from '../../shared/api';
import type { Language } from '../../shared/domain';
import type { AvisaCore } from '../core/app-types';
import { readSettings, settingsFrom } from './login-item';

/** Where icons live: beside the app when packaged (electron-builder extraResources), the repo's resources/ in dev. */
export function resourcesDir(): string {
  return app.isPackaged ? process.resourcesPath : join(app.getAppPath(), 'resources');
}

export const resourcePath = (name: string): string => join(resourcesDir(), name);

const words = {
  es: {
    queued: (n: number) => `${n} en cola`,
    failed: (n: number) => (n === 1 ? '1 fallido' : `${n} fallidos`),
    paused: 'envíos en pausa',
    channelHeld: 'canal detenido',
    notConnected: 'canal sin configurar',
    silent: 'No llegan estados de WhatsApp',
    demo: 'modo demostración',
    idle: 'todo al día',
    notSetUp: 'falta configurar',
    storage: 'problema de disco: envíos en pausa',
    backupFailed: 'la copia de seguridad falló',
    open: 'Abrir Avisa',
    pause: 'Pausar envíos',
    resume: 'Reanudar envíos',
    quit: 'Salir',
  },
  en: {
    queued: (n: number) => `${n} queued`,
    failed: (n: number) => `${n} failed`,
    paused: 'sending paused',
    channelHeld: 'channel stopped',
    notConnected: 'channel not set up',
    silent: 'No WhatsApp statuses arriving',
    demo: 'demo mode',
    idle: 'all caught up',
    notSetUp: 'setup pending',
    storage: 'disk problem: sending paused',
    backupFailed: 'the backup failed',
    open: 'Open Avisa',
    pause: 'Pause sending',
    resume: 'Resume sending',
    quit: 'Quit',
  },
} as const;

/** One line summary, e.g. `Avisa — 3 en cola · 1 fallido · envíos en pausa`. */
export function traySummary(status: AppStatus, lang: Language = 'es'): string {
  const w = words[lang];
  if (!status.setupComplete) return w.notSetUp;
  const parts: string[] = [];
  // The disk under the database comes first: until it is fixed nothing else can move.
  if (status.operations?.storage) parts.push(w.storage);
  if (status.queued > 0) parts.push(w.queued(status.queued));
  if (status.failed > 0) parts.push(w.failed(status.failed));
  if (status.sendingPaused) parts.push(w.paused);
  // The channel's own trouble (a refused token, the phone unlinked) is what a receptionist must see first.
  else if (status.channelHealth.state === 'paused') parts.push(w.channelHeld);
  else if (status.channelHealth.state === 'not_configured') parts.push(w.notConnected);
  if (status.webhookSilentSince !== null) parts.push(w.silent);
  if (status.operations?.backup.state === 'failed') parts.push(w.backupFailed);
  if (status.demo) parts.push(w.demo);
  return parts.length > 0 ? parts.join(' · ') : w.idle;
}

export function trayTooltip(status: AppStatus, lang: Language = 'es'): string {
  return `Avisa — ${traySummary(status, lang)}`;
}

export type TrayAction = 'open' | 'toggle-pause' | 'quit';
export type TrayMenuItem =
  | { kind: 'info'; label: string }
  | { kind: 'action'; action: TrayAction; label: string }
  | { kind: 'separator' };

/**
 * The tray menu as data. The first line repeats the summary because Linux tray hosts (AppIndicator) show no tooltip.
 */
export function trayMenuModel(status: AppStatus, lang: Language = 'es'): TrayMenuItem[] {
  const w = words[lang];
  return [
    { kind: 'info', label: traySummary(status, lang) },
    { kind: 'separator' },
    { kind: 'action', action: 'open', label: w.open },
    { kind: 'action', action: 'toggle-pause', label: status.sendingPaused ? w.resume : w.pause },
    { kind: 'separator' },
    { kind: 'action', action: 'quit', label: w.quit },
  ];
}

export function menuTemplate(
  model: TrayMenuItem[],
  run: (action: TrayAction) => void,
): MenuItemConstructorOptions[] {
  return model.map((item): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'info':
        return { label: item.label, enabled: false };
      case 'action':
        return { label: item.label, click: () => run(item.action) };
    }
  });
}

export interface TrayDeps {
  core: Pick<AvisaCore, 'invoke' | 'subscribe' | 'status'>;
  showWindow: () => void;
  quit: () => void;
  iconPath?: string;
}

export interface AvisaTray {
  /** Pause or resume sending, then redraw from the core's answer. */
  togglePause(): Promise<void>;
  dispose(): void;
}

export function createTray(deps: TrayDeps): AvisaTray {
  const { core } = deps;
  let icon = nativeImage.createFromPath(deps.iconPath ?? resourcePath('tray.png'));
  if (icon.isEmpty()) console.warn('[avisa] tray icon not found; the tray may be invisible');
  // macOS draws menu bar icons at 16 pt; a 32 px image would be twice too large.
  else if (process.platform === 'darwin') icon = icon.resize({ width: 16, height: 16 });
  const tray = new Tray(icon);

  let status = core.status();
  let lang: Language = 'es';

  const render = (): void => {
    tray.setToolTip(trayTooltip(status, lang));
    tray.setContextMenu(Menu.buildFromTemplate(menuTemplate(trayMenuModel(status, lang), run)));
  };

  const refreshLanguage = async (): Promise<void> => {
    const settings = await readSettings(core);
    if (settings && settings.language !== lang) {
      lang = settings.language;
      render();
    }
  };

  const togglePause = async (): Promise<void> => {
    const response = await core.invoke('settings.update', { sendingPaused: !status.sendingPaused });
    const settings = settingsFrom(response);
    if (!settings) {
      console.error('[avisa] could not change sending pause', response);
      return;
    }
    // The core's status.changed arrives a moment later (it is debounced); show the new state right away.
    status = { ...status, sendingPaused: settings.sendingPaused };
    render();
  };

  function run(action: TrayAction): void {
    if (action === 'open') deps.showWindow();
    else if (action === 'toggle-pause') void togglePause();
    else deps.quit();
  }

  render();
  void refreshLanguage();
  tray.on('click', () => deps.showWindow());

  const unsubscribe = core.subscribe((event) => {
    if (event.name !== 'status.changed') return;
    status = event.data;
    render();
    void refreshLanguage();
  });

  return {
    togglePause,
    dispose() {
      unsubscribe();
      tray.destroy();
    },
  };
}
