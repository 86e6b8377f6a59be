import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiResponse } from '../../src/shared/api';
import { tempDir } from '../helpers/temp';
import { fakeCore, flush, type FakeCore } from './fake-core';
import { fakeElectron, resetFakeElectron } from './fake-electron';
import {
  UI_LANGUAGE_FILE,
  applySavedLocale,
  readSavedLanguage,
  uiLanguageSync,
} from '../../src/main/desktop/ui-locale';

const made = vi.hoisted(() => ({ core: null as FakeCore | null }));

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron());
vi.mock('../../src/main/core/app', () => ({
  createApp() {
    if (!made.core) throw new Error('test forgot to set the fake core');
    return made.core;
  },
}));

let dataDir: string;
const file = (): string => join(dataDir, UI_LANGUAGE_FILE);
const saved = (): unknown => JSON.parse(readFileSync(file(), 'utf8'));
const langSwitch = () => fakeElectron().app.commandLine.switches.get('lang');

beforeEach(() => {
  resetFakeElectron();
  dataDir = tempDir('avisa-ui-locale-');
});

describe('the locale Chromium starts in', () => {
  it('is Latin-American Spanish when nothing was saved yet', () => {
    expect(applySavedLocale(dataDir)).toBe('es-419');
    expect(langSwitch()?.value).toBe('es-419');
  });

  it('is British English (day/month, 24-hour) when English was saved, Latin-American Spanish for Spanish', () => {
    writeFileSync(file(), JSON.stringify({ language: 'en' }));
    expect(applySavedLocale(dataDir)).toBe('en-GB');
    expect(langSwitch()?.value).toBe('en-GB');

    resetFakeElectron();
    writeFileSync(file(), JSON.stringify({ language: 'es' }));
    applySavedLocale(dataDir);
    expect(langSwitch()?.value).toBe('es-419');
  });

  it('falls back to Spanish when the file is broken or holds something else', () => {
    for (const content of ['{"language": "en"', '', 'null', '"en"', '{"language":"fr"}', '{"lang":"en"}', '[]']) {
      writeFileSync(file(), content);
      expect(readSavedLanguage(dataDir), content).toBe('es');
    }
    applySavedLocale(dataDir);
    expect(langSwitch()?.value).toBe('es-419');
  });

  it('keeps a --lang given on the command line', () => {
    writeFileSync(file(), JSON.stringify({ language: 'en' }));
    fakeElectron().app.commandLine.appendSwitch('lang', 'pt-BR');
    expect(applySavedLocale(dataDir)).toBe('pt-BR');
    expect(langSwitch()?.value).toBe('pt-BR');
  });
});

describe('keeping the language for the next start', () => {
  it('writes the file on a language change, and only then', () => {
    const sync = uiLanguageSync(fakeCore(), dataDir);
    sync.remember('en');
    expect(saved()).toEqual({ language: 'en' });
    expect(readSavedLanguage(dataDir)).toBe('en');
    // Owner-only, like every file in the data folder.
    expect(statSync(file()).mode & 0o777).toBe(0o600);

    // Same language again: no write (the file removed behind its back stays removed).
    rmSync(file());
    sync.remember('en');
    expect(existsSync(file())).toBe(false);

    sync.remember('es');
    expect(saved()).toEqual({ language: 'es' });
    expect(existsSync(`${file()}.tmp`)).toBe(false);
  });

  it('does not rewrite a file that already says the same', () => {
    writeFileSync(file(), '{"language":"en"}');
    uiLanguageSync(fakeCore(), dataDir).remember('en');
    // Our own writes end with a newline: the file was left as it was.
    expect(readFileSync(file(), 'utf8')).toBe('{"language":"en"}');
  });

  it('refresh reads the setting from the core', async () => {
    const core = fakeCore({ settings: { language: 'en' } });
    await uiLanguageSync(core, dataDir).refresh();
    expect(core.calls).toEqual([{ name: 'settings.get', args: {} }]);
    expect(saved()).toEqual({ language: 'en' });
  });

  it('a folder it cannot write to is reported and does not throw; a later change still gets written', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const missing = join(dataDir, 'not-there');
    const sync = uiLanguageSync(fakeCore(), missing);
    expect(() => sync.remember('en')).not.toThrow();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(existsSync(join(missing, UI_LANGUAGE_FILE))).toBe(false);
    mkdirSync(missing);
    sync.remember('en');
    expect(readSavedLanguage(missing)).toBe('en');
    warn.mockRestore();
  });

  it('a core that cannot answer leaves the file alone', async () => {
    writeFileSync(file(), '{"language":"en"}');
    const core = fakeCore();
    core.invoke = async () => ({ ok: false, error: { code: 'internal', message: 'db closed' } });
    await uiLanguageSync(core, dataDir).refresh();
    expect(readSavedLanguage(dataDir)).toBe('en');
  });
});

describe('the Electron entry', () => {
  let core: FakeCore;

  async function boot(): Promise<void> {
    const app = fakeElectron().app;
    const getPath = app.getPath.bind(app);
    app.getPath = (name: string) => (name === 'userData' ? dataDir : getPath(name));
    vi.resetModules();
    await import('../../src/main/index');
    await flush();
  }

  async function callThroughIpc(name: string, args: unknown): Promise<ApiResponse<unknown>> {
    const handler = fakeElectron().ipcMain.handlers.get('avisa:call');
    const { rendererIndexPath } = await import('../../src/main/desktop/window');
    const event = { senderFrame: { url: pathToFileURL(rendererIndexPath()).href } };
    return (await handler?.(event, name, args)) as ApiResponse<unknown>;
  }

  beforeEach(() => {
    delete process.env.ELECTRON_RENDERER_URL;
    core = fakeCore({ settings: { language: 'es' } });
    made.core = core;
  });

  it('sets --lang from the saved file before the app is ready', async () => {
    writeFileSync(file(), JSON.stringify({ language: 'en' }));
    core.settings = { ...core.settings, language: 'en' };
    await boot();
    expect(langSwitch()).toEqual({ value: 'en-GB', readyCallsBefore: 0 });
    expect(fakeElectron().app.whenReadyCalls).toBe(1);
  });

  it('starts in Spanish without a file, and writes the saved language once the core is up', async () => {
    core.settings = { ...core.settings, language: 'en' };
    await boot();
    expect(langSwitch()).toEqual({ value: 'es-419', readyCallsBefore: 0 });
    // The database said English: the next start uses it.
    expect(saved()).toEqual({ language: 'en' });
  });

  it('a language saved in Ajustes is written for the next start; the running locale stays', async () => {
    await boot();
    expect(saved()).toEqual({ language: 'es' });
    const response = await callThroughIpc('settings.update', { language: 'en' });
    expect(response.ok).toBe(true);
    expect(saved()).toEqual({ language: 'en' });
    expect(langSwitch()?.value).toBe('es-419');
  });

  it('a language changed where IPC does not see it (remote access, a restore) is written when the app quits', async () => {
    await boot();
    expect(saved()).toEqual({ language: 'es' });
    core.settings = { ...core.settings, language: 'en' };
    // What the file says when the core stops: the setting must be read while the core still answers.
    let atStop: unknown = null;
    const stop = core.stop.bind(core);
    core.stop = async () => {
      atStop = saved();
      await stop();
    };
    fakeElectron().app.quit();
    await vi.waitFor(() => expect(fakeElectron().app.quitted).toBe(true));
    expect(atStop).toEqual({ language: 'en' });
    expect(core.stopped).toBe(1);
  });

  it('the language chosen in the setup wizard is written too', async () => {
    const invoke = core.invoke.bind(core);
    core.invoke = async (name, args, caller) => {
      if (name !== 'setup.complete') return invoke(name, args, caller);
      core.settings = { ...core.settings, language: 'en' };
      return { ok: true, result: { setupComplete: true } };
    };
    await boot();
    expect(saved()).toEqual({ language: 'es' });
    expect((await callThroughIpc('setup.complete', {})).ok).toBe(true);
    await vi.waitFor(() => expect(saved()).toEqual({ language: 'en' }));
  });
});
