import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, session, shell, type Session } from 'electron';

// main is bundled into out/main/index.js, so these resolve to out/preload and out/renderer.
export const preloadPath = (): string => fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
export const rendererIndexPath = (): string => fileURLToPath(new URL('../renderer/index.html', import.meta.url));

/**
 * The dev server URL, only when not packaged: an installed app must never let an environment variable point its
 * window (and with it the trusted IPC channel) at another site.
 */
export function devRendererUrl(): string | null {
  const url = process.env.ELECTRON_RENDERER_URL;
  return !app.isPackaged && url ? url : null;
}

/** Whether a URL is the app's own UI: the built index.html or, in development, the dev server. */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const dev = devRendererUrl();
  if (dev && parsed.origin === new URL(dev).origin) return true;
  // The UI routes with the hash; query and hash do not change which document it is.
  return parsed.protocol === 'file:' && parsed.pathname === pathToFileURL(rendererIndexPath()).pathname;
}

// frame-src blob: only for the PDF preview, which shows the core's document from a blob URL.
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; frame-src blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** Vite's dev server needs an inline React Refresh preamble and its HMR websocket; only in development. */
export function contentSecurityPolicy(devUrl: string | null): string {
  if (!devUrl) return CSP;
  const ws = new URL(devUrl);
  ws.protocol = ws.protocol === 'https:' ? 'wss:' : 'ws:';
  return CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "connect-src 'self'",
    `connect-src 'self' ${ws.origin}`,
  );
}

/** Every response gets the CSP header, so even a compromised page cannot load scripts from elsewhere. */
export function installSessionPolicy(target: Session = session.defaultSession): void {
  const policy = contentSecurityPolicy(devRendererUrl());
  target.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
  // Notifications are native (main process); the UI needs no camera, location, etc. Copying text is allowed.
  target.setPermissionRequestHandler((_webContents, permission, callback) => {
    callback(permission === 'clipboard-sanitized-write');
  });
}

const isWebLink = (url: string): boolean => /^https?:\/\//i.test(url);

export interface MainWindow {
  /** Shows the window, creating it again if it was destroyed. */
  show(): void;
  /** From now on closing the window really closes it (the app is quitting). */
  markQuitting(): void;
  current(): BrowserWindow | null;
}

export function mainWindow(options: { iconPath?: string } = {}): MainWindow {
  let quitting = false;
  let win: BrowserWindow | null = null;

  const create = (): BrowserWindow => {
    const created = new BrowserWindow({
      width: 1200,
      height: 800,
      minWidth: 900,
      minHeight: 600,
      show: false,
      title: 'Avisa',
      icon: options.iconPath,
      autoHideMenuBar: true,
      webPreferences: {
        preload: preloadPath(),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        webviewTag: false,
        // Chromium's PDF viewer, for the preview of results in an iframe (no other plugin exists any more).
        plugins: true,
      },
    });
    created.webContents.setWindowOpenHandler(({ url }) => {
      // Links (help pages, wa.me) go to the user's browser; the app never opens windows of its own.
      if (isWebLink(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    created.webContents.on('will-navigate', (event) => {
      if (isAppUrl(event.url)) return;
      event.preventDefault();
      if (isWebLink(event.url)) void shell.openExternal(event.url);
    });
    created.on('close', (event) => {
      // The app lives in the tray: closing only hides, so reminders keep going out.
      if (quitting) return;
      event.preventDefault();
      created.hide();
    });
    created.on('closed', () => {
      if (win === created) win = null;
    });
    created.once('ready-to-show', () => created.show());

    const dev = devRendererUrl();
    const loading = dev ? created.loadURL(dev) : created.loadFile(rendererIndexPath());
    loading.catch((error: unknown) => console.error('[avisa] the window could not load the UI', error));
    return created;
  };

  win = create();
  return {
    show() {
      if (!win || win.isDestroyed()) {
        win = create();
        return;
      }
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
    },
    markQuitting() {
      quitting = true;
    },
    current: () => win,
  };
}
