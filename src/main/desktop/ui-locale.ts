// Chromium draws <input type="date"> and <input type="time"> in its own locale, not the page's `lang`: on a PC with
// Windows in US English a Spanish screen would show mm/dd/yyyy. Electron takes that locale only from the `--lang`
// switch, set before the app is ready, and the clinic's language lives in the database, which opens later. So the
// language is kept in a tiny file in the data folder, written whenever it is saved and read at the next start.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { app } from 'electron';
import type { Language } from '../../shared/domain';
import type { AvisaCore } from '../core/app-types';
import { readSettings } from './login-item';

export const UI_LANGUAGE_FILE = 'ui-language.json';

/**
 * Locales Chromium ships (its locales/*.pak; a build that trims them with `electronLanguages` must keep these two) whose
 * date order is day/month: Latin-American Spanish draws 04/05/2026 and 03:05 p.m. (CLDR's es-419, like es-PE, keeps
 * the 12-hour clock the region uses), British English 04/05/2026 and 15:05. US English would draw 05/04/2026.
 */
const CHROMIUM_LOCALE: Record<Language, string> = { es: 'es-419', en: 'en-GB' };

/** What the app starts in when nothing was saved yet, or the file cannot be read: the product's default. */
const DEFAULT_LANGUAGE: Language = 'es';

function chromiumLocaleFor(language: Language): string {
  return CHROMIUM_LOCALE[language];
}

function isLanguage(value: unknown): value is Language {
  return value === 'es' || value === 'en';
}

/** The language in the file, or null when there is no file or it is not ours. */
function languageInFile(dataDir: string): Language | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(dataDir, UI_LANGUAGE_FILE), 'utf8'));
    const language = typeof parsed === 'object' && parsed !== null ? (parsed as { language?: unknown }).language : null;
    return isLanguage(language) ? language : null;
  } catch {
    return null;
  }
}

/** The language saved last, or Spanish when there is none (a missing or broken file must not stop the app). */
export function readSavedLanguage(dataDir: string): Language {
  return languageInFile(dataDir) ?? DEFAULT_LANGUAGE;
}

/**
 * Starts Chromium in the locale of the saved language. Must run before `app.whenReady()`. A `--lang` given on the
 * command line wins: support can still start the app in another locale to compare.
 */
export function applySavedLocale(dataDir: string): string {
  if (app.commandLine.hasSwitch('lang')) return app.commandLine.getSwitchValue('lang');
  const locale = chromiumLocaleFor(readSavedLanguage(dataDir));
  app.commandLine.appendSwitch('lang', locale);
  return locale;
}

/** Writes the language for the next start; through a temporary file so a crash mid-write leaves the old one whole. */
function writeSavedLanguage(dataDir: string, language: Language): void {
  const path = join(dataDir, UI_LANGUAGE_FILE);
  const temporary = `${path}.tmp`;
  // Owner-only like every file Avisa creates in its data folder.
  writeFileSync(temporary, `${JSON.stringify({ language })}\n`, { encoding: 'utf8', mode: 0o600 });
  renameSync(temporary, path);
}

export interface UiLanguageSync {
  /** Re-reads the setting from the core and keeps it for the next start. */
  refresh(): Promise<void>;
  /** Keeps a value already known (e.g. the answer to a `settings.update`). */
  remember(language: Language): void;
}

/**
 * Keeps the file in line with the `language` setting. index.ts calls `remember` after every successful
 * `settings.update` through IPC, and `refresh` at start, after the setup wizard (which saves the language too) and
 * on quit (a restored backup brings its own language without passing through IPC).
 */
export function uiLanguageSync(core: Pick<AvisaCore, 'invoke'>, dataDir: string): UiLanguageSync {
  let saved: Language | null = null;
  const remember = (language: Language): void => {
    // Only on a real change: most settings saves do not touch the language.
    if (saved === language || (saved === null && languageInFile(dataDir) === language)) {
      saved = language;
      return;
    }
    try {
      writeSavedLanguage(dataDir, language);
      saved = language;
    } catch (error) {
      // The setting itself is saved in the database; only the date fields keep the old locale until this works.
      console.warn(`[avisa] could not keep the language for the next start: ${messageOf(error)}`);
    }
  };
  return {
    remember,
    async refresh() {
      try {
        const settings = await readSettings(core);
        if (settings) remember(settings.language);
      } catch (error) {
        // Called without awaiting after the wizard: a rejection here must not take the app down.
        console.warn(`[avisa] could not read the language setting: ${messageOf(error)}`);
      }
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
