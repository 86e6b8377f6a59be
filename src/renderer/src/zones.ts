// Countries the wizard offers, with the IANA zones each one uses (the first is the default).
export const COUNTRIES = ['PE', 'CL', 'MX', 'CO', 'AR', 'EC', 'BO'] as const;
export type Country = (typeof COUNTRIES)[number];

const ZONES: Record<Country, readonly [string, ...string[]]> = {
  PE: ['America/Lima'],
  CL: ['America/Santiago', 'America/Punta_Arenas', 'Pacific/Easter'],
  MX: [
    'America/Mexico_City',
    'America/Monterrey',
    'America/Merida',
    'America/Cancun',
    'America/Chihuahua',
    'America/Mazatlan',
    'America/Hermosillo',
    'America/Tijuana',
  ],
  CO: ['America/Bogota'],
  AR: ['America/Argentina/Buenos_Aires', 'America/Argentina/Cordoba', 'America/Argentina/Mendoza', 'America/Argentina/Salta'],
  EC: ['America/Guayaquil', 'Pacific/Galapagos'],
  BO: ['America/La_Paz'],
};

export const DEFAULT_ZONE = Object.fromEntries(COUNTRIES.map((c) => [c, ZONES[c][0]])) as Record<Country, string>;

let allZones: string[] | null = null;

/** The country's zones first, then every zone this browser knows (a clinic abroad still fits). */
export function timeZoneOptions(country: Country): { suggested: string[]; others: string[] } {
  allZones ??= Intl.supportedValuesOf('timeZone');
  const suggested = [...ZONES[country]];
  const taken = new Set(suggested);
  return { suggested, others: allZones.filter((z) => !taken.has(z)) };
}
