import { getCountries } from 'libphonenumber-js/min';

// The countries the wizard offers and the zones of each, derived rather than typed by hand: every region
// libphonenumber knows (so a phone number there can be read) whose likely language in the browser's CLDR data is
// Spanish, Portuguese or Guaraní (Paraguay's, in CLDR) and whose zones are all in the Americas or its Pacific islands
// (Easter Island, Galápagos) — Latin America, without Spain, Portugal or Equatorial Guinea. Each country's zones come
// from Intl (the same CLDR data behind Intl.supportedValuesOf).

export type Country = string;

const LANGUAGES = new Set(['es', 'pt', 'gn']);

// Where a country has several zones, the one most of its clinics use; the rest come alphabetically after it.
const MAIN_ZONE: Record<string, string> = {
  AR: 'America/Buenos_Aires',
  BR: 'America/Sao_Paulo',
  CL: 'America/Santiago',
  EC: 'America/Guayaquil',
  MX: 'America/Mexico_City',
};

type LocaleWithZones = Intl.Locale & { getTimeZones?: () => string[] | undefined; timeZones?: string[] };

function zonesOfRegion(region: string): string[] {
  try {
    const locale = new Intl.Locale(`und-${region}`) as LocaleWithZones;
    return [...(locale.getTimeZones?.() ?? locale.timeZones ?? [])];
  } catch {
    return [];
  }
}

let countries: Map<Country, readonly [string, ...string[]]> | null = null;

function latinAmerica(): Map<Country, readonly [string, ...string[]]> {
  if (countries) return countries;
  countries = new Map();
  for (const region of getCountries()) {
    const language = new Intl.Locale(`und-${region}`).maximize().language;
    const zones = zonesOfRegion(region);
    if (!LANGUAGES.has(language) || zones.length === 0) continue;
    if (!zones.every((z) => z.startsWith('America/') || z.startsWith('Pacific/'))) continue;
    const main = MAIN_ZONE[region];
    const ordered = main && zones.includes(main) ? [main, ...zones.filter((z) => z !== main)] : zones;
    countries.set(region, ordered as [string, ...string[]]);
  }
  return countries;
}

/** Latin American countries by their name in `language`, Peru's name first among equals only by the alphabet. */
export function countryOptions(language: string): { code: Country; name: string }[] {
  const names = new Intl.DisplayNames([language], { type: 'region' });
  return [...latinAmerica().keys()]
    .map((code) => ({ code, name: names.of(code) ?? code }))
    .sort((a, b) => a.name.localeCompare(b.name, language));
}

/** The zone a new site in the country starts with. */
export function defaultZone(country: Country): string {
  return latinAmerica().get(country)?.[0] ?? 'America/Lima';
}

/** "America/Argentina/Buenos_Aires" → "Buenos Aires": zones are shown by their city. */
export function zoneCity(zone: string): string {
  return (zone.split('/').pop() ?? zone).replace(/_/g, ' ');
}

let allZones: string[] | null = null;

/** The country's zones first, then every zone this browser knows (a clinic abroad still fits). */
export function timeZoneOptions(country: Country): { suggested: string[]; others: string[] } {
  allZones ??= Intl.supportedValuesOf('timeZone');
  const suggested = [...(latinAmerica().get(country) ?? [])];
  const taken = new Set(suggested);
  return { suggested, others: allZones.filter((z) => !taken.has(z)) };
}
