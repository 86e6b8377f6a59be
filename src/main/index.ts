// Electron entry: single instance, core on the user's data folder, then window, tray, notifications.
// Everything Electron-specific lives in ./desktop; the core knows nothing of Electron.
import { app, dialog } from 'electron';
import { createRestartableApp } from './core/restartable-app';
import { registerIpc } from './desktop/ipc';
import { loginItemSync, settingsFrom } from './desktop/login-item';
import { failureNotifier } from './desktop/notifications';
import { desktopSecretBox } from './desktop/desktop-secret-box';
import { createTray, resourcePath } from './desktop/tray';
import { applySavedLocale, uiLanguageSync } from './desktop/ui-locale';
import { installSessionPolicy, mainWindow, type MainWindow } from './desktop/window';

/** Windows shows notifications only for an app with an AppUserModelID; it must match appId in electron-builder.yml. */
export const APP_USER_MODEL_ID = 'pe.avisa.desktop';

let window: MainWindow | null = null;

async function start(): Promise<void> {
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  const dataDir = app.getPath('userData');
  const core = createRestartableApp({ dataDir, secretBox: desktopSecretBox(dataDir), mode: 'desktop' });
  await core.start();

  installSessionPolicy();
  const loginItem = loginItemSync(core);
  const uiLanguage = uiLanguageSync(core, dataDir);
  const disposeIpc = registerIpc(core, {
    afterCall(name, response) {
      const settings = name === 'settings.update' ? settingsFrom(response) : null;
      if (settings) loginItem.apply(settings.openAtLogin);
      if (settings) uiLanguage.remember(settings.language);
      if (name === 'setup.complete' && response.ok) void uiLanguage.refresh();
    },
  });
  const win = mainWindow({ iconPath: resourcePath('icon.png') });
  window = win;
  const tray = createTray({ core, showWindow: () => win.show(), quit: () => app.quit() });
  const disposeNotifier = failureNotifier({ core, showWindow: () => win.show() });
  await loginItem.refresh();
  await uiLanguage.refresh();

  // Closing the window only hides it; the app keeps sending from the tray. Without this listener Electron would quit.
  app.on('window-all-closed', () => undefined);
  app.on('activate', () => win.show());

  let stopping = false;
  let stopped = false;
  app.on('before-quit', (event) => {
    win.markQuitting();
    if (stopped) return;
    // Hold the quit until the core has closed the database cleanly, then quit again.
    event.preventDefault();
    if (stopping) return;
    stopping = true;
    disposeIpc();
    disposeNotifier();
    tray.dispose();
    // The language may have changed where IPC does not see it (a restored backup): keep it for next start.
    uiLanguage
      .refresh()
      .then(() => core.stop())
      .catch((error: unknown) => console.error('[avisa] stopping the core failed', error))
      .finally(() => {
        stopped = true;
        app.quit();
      });
  });
}

function fatal(error: unknown): void {
  console.error('[avisa] could not start', error);
  const detail = error instanceof Error ? error.message : String(error);
  dialog.showErrorBox('Avisa no pudo iniciar / Avisa could not start', detail);
  app.exit(1);
}

if (!app.requestSingleInstanceLock()) {
  // Another Avisa already runs (it receives `second-instance` and shows itself): two would share one database.
  app.quit();
} else {
  // Date and time fields follow the clinic's language only if Chromium starts in it (read before ready).
  applySavedLocale(app.getPath('userData'));
  app.on('second-instance', () => window?.show());
  app.whenReady().then(start).catch(fatal);
}
