import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../../shared/domain';
import es from './es.json';
import enJson from './en.json';

// English must carry every Spanish key: a missing one fails the type check instead of showing a raw key.
const en: typeof es = enJson;

export const resources = { es: { translation: es }, en: { translation: en } } as const;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof es };
  }
}

const LANGUAGE_KEY = 'avisa.language';

// Remembered so the first screens (loading, login) already speak the clinic's language; the setting wins later.
function rememberedLanguage(): Language {
  try {
    return localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'es';
  } catch {
    return 'es';
  }
}

void i18n.use(initReactI18next).init({
  resources,
  lng: rememberedLanguage(),
  fallbackLng: 'es',
  // React already escapes what it renders.
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** Locale for Intl: neutral Latin American Spanish, since clinics span several countries. */
export function localeOf(language: string): string {
  return language === 'en' ? 'en-US' : 'es-419';
}

export function setLanguage(language: Language): void {
  if (i18n.language !== language) void i18n.changeLanguage(language);
  document.documentElement.lang = language;
  try {
    localStorage.setItem(LANGUAGE_KEY, language);
  } catch {
    // Only a convenience for the next start.
  }
}

document.documentElement.lang = i18n.language;

export default i18n;
