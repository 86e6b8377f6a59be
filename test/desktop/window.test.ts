import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeElectron, resetFakeElectron, type FakeBrowserWindow } from './fake-electron';
import {
  CSP,
  contentSecurityPolicy,
  installSessionPolicy,
  isAppUrl,
  mainWindow,
  preloadPath,
  rendererIndexPath,
} from '../../src/main/desktop/window';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron());

const onlyWindow = (): FakeBrowserWindow => {
  const all = fakeElectron().BrowserWindow.instances;
  expect(all).toHaveLength(1);
  return all[0] as FakeBrowserWindow;
};
const appFileUrl = (): string => pathToFileURL(rendererIndexPath()).href;

describe('main window', () => {
  beforeEach(() => {
    resetFakeElectron();
    delete process.env.ELECTRON_RENDERER_URL;
  });
  afterEach(() => {
    delete process.env.ELECTRON_RENDERER_URL;
  });

  it('is isolated and sandboxed, with the CommonJS preload from out/preload', () => {
    mainWindow({ iconPath: '/res/icon.png' });
    const { webPreferences, show, icon } = onlyWindow().options;
    expect(webPreferences.contextIsolation).toBe(true);
    expect(webPreferences.sandbox).toBe(true);
    expect(webPreferences.nodeIntegration).toBe(false);
    expect(webPreferences.webSecurity).toBe(true);
    expect(webPreferences.webviewTag).toBe(false);
    expect(webPreferences.preload).toBe(preloadPath());
    expect(isAbsolute(webPreferences.preload)).toBe(true);
    expect(webPreferences.preload.endsWith(join('preload', 'index.cjs'))).toBe(true);
    expect(icon).toBe('/res/icon.png');
    // Shown on ready-to-show, not before: no white flash.
    expect(show).toBe(false);
    expect(onlyWindow().visible).toBe(false);
    onlyWindow().emit('ready-to-show');
    expect(onlyWindow().visible).toBe(true);
  });

  it('loads the built index.html when there is no dev server', () => {
    mainWindow();
    expect(onlyWindow().loadedFile).toBe(rendererIndexPath());
    expect(rendererIndexPath().endsWith(join('renderer', 'index.html'))).toBe(true);
    expect(onlyWindow().loadedUrl).toBeNull();
  });

  it('loads the dev server URL in development, but never in a packaged app', () => {
    process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173';
    mainWindow();
    expect(onlyWindow().loadedUrl).toBe('http://localhost:5173');

    resetFakeElectron();
    fakeElectron().app.isPackaged = true;
    mainWindow();
    expect(onlyWindow().loadedUrl).toBeNull();
    expect(onlyWindow().loadedFile).toBe(rendererIndexPath());
  });

  it('hides instead of closing, until the app is quitting', () => {
    const main = mainWindow();
    const win = onlyWindow();
    win.show();
    const event = win.close();
    expect(event.defaultPrevented).toBe(true);
    expect(win.visible).toBe(false);
    expect(win.destroyed).toBe(false);

    main.markQuitting();
    expect(win.close().defaultPrevented).toBe(false);
    expect(win.destroyed).toBe(true);
    expect(main.current()).toBeNull();
  });

  it('show() restores, shows and focuses; it re-creates a destroyed window', () => {
    const main = mainWindow();
    const win = onlyWindow();
    win.minimized = true;
    main.show();
    expect(win.minimized).toBe(false);
    expect(win.visible).toBe(true);
    expect(win.focusCount).toBe(1);

    main.markQuitting();
    win.close();
    main.show();
    const all = fakeElectron().BrowserWindow.instances;
    expect(all).toHaveLength(2);
    expect(main.current()).toBe(all[1]);
  });

  it('denies window.open and sends web links to the browser', () => {
    mainWindow();
    const handler = onlyWindow().webContents.openHandler;
    expect(handler).not.toBeNull();
    expect(handler?.({ url: 'https://wa.me/51987654321' })).toEqual({ action: 'deny' });
    expect(handler?.({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(handler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(fakeElectron().shell.opened).toEqual(['https://wa.me/51987654321']);
  });

  it('blocks navigation away from the app', () => {
    mainWindow();
    const contents = onlyWindow().webContents;
    const away = { url: 'https://evil.example/phish', defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    contents.emit('will-navigate', away);
    expect(away.defaultPrevented).toBe(true);
    expect(fakeElectron().shell.opened).toEqual(['https://evil.example/phish']);

    const local = { url: 'file:///etc/passwd', defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    contents.emit('will-navigate', local);
    expect(local.defaultPrevented).toBe(true);
    expect(fakeElectron().shell.opened).toHaveLength(1);

    const own = { url: `${appFileUrl()}#/mensajes`, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    contents.emit('will-navigate', own);
    expect(own.defaultPrevented).toBe(false);
  });
});

describe('app URL check', () => {
  afterEach(() => {
    delete process.env.ELECTRON_RENDERER_URL;
    resetFakeElectron();
  });

  it('accepts only the built index.html (any hash) outside development', () => {
    expect(isAppUrl(appFileUrl())).toBe(true);
    expect(isAppUrl(`${appFileUrl()}#/pacientes?x=1`)).toBe(true);
    expect(isAppUrl('file:///tmp/evil.html')).toBe(false);
    expect(isAppUrl('http://localhost:5173/')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('accepts the dev server origin only while developing', () => {
    process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173';
    expect(isAppUrl('http://localhost:5173/#/panel')).toBe(true);
    expect(isAppUrl('http://localhost:5174/')).toBe(false);
    fakeElectron().app.isPackaged = true;
    expect(isAppUrl('http://localhost:5173/')).toBe(false);
  });
});

describe('session policy', () => {
  beforeEach(() => {
    resetFakeElectron();
    delete process.env.ELECTRON_RENDERER_URL;
  });

  const headersAfterPolicy = (): Record<string, string[]> | undefined => {
    const listener = fakeElectron().session.defaultSession.headersListener;
    expect(listener).not.toBeNull();
    let result: Record<string, string[]> | undefined;
    listener?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, (response) => {
      result = response.responseHeaders;
    });
    return result;
  };

  it('adds the strict CSP header to every response and keeps the other headers', () => {
    installSessionPolicy();
    expect(headersAfterPolicy()).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
          "connect-src 'self'; frame-src blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
      ],
    });
  });

  it('relaxes only what the Vite dev server needs, only in development', () => {
    process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173';
    installSessionPolicy();
    const policy = headersAfterPolicy()?.['Content-Security-Policy']?.[0] ?? '';
    expect(policy).toContain("script-src 'self' 'unsafe-inline';");
    expect(policy).toContain("connect-src 'self' ws://localhost:5173;");
    expect(policy).toContain("object-src 'none'");
    expect(contentSecurityPolicy(null)).toBe(CSP);
  });

  it('denies web permissions except writing to the clipboard', () => {
    installSessionPolicy();
    const handler = fakeElectron().session.defaultSession.permissionHandler;
    const answers: Record<string, boolean> = {};
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-sanitized-write']) {
      handler?.({}, permission, (granted) => {
        answers[permission] = granted;
      });
    }
    expect(answers).toEqual({
      media: false,
      geolocation: false,
      notifications: false,
      'clipboard-sanitized-write': true,
    });
  });
});
