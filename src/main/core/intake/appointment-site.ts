import type { Site } from '../../../shared/domain';

/** A sender's location code that means one of the clinic's sites (Ajustes → HL7). */
export interface SiteCode {
  code: string;
  siteId: number;
}

export type SiteOfAppointment =
  | { ok: true; site: Site; /** false: the source named no site and the clinic has several; the first was taken. */ known: boolean }
  | { ok: false; code: 'no_site' | 'unknown_site'; reason: { es: string; en: string } };

const norm = (text: string): string => text.trim().toLocaleLowerCase('es');

/**
 * The site an appointment belongs to: each location the source named, first through the site codes, then by the
 * site's name. A location that matches nothing is refused — taking another site would read its time in the wrong zone
 * and remind the patient to go to the wrong place. Only when the source names no location at all does the clinic's
 * first site stand in (and the caller says so).
 */
export function siteOfAppointment(
  sites: readonly Site[],
  named: readonly string[],
  codes: readonly SiteCode[] = [],
  /** Where the codes are mapped, for the reason: Ajustes → HL7 or Ajustes → Base de datos de la clínica. */
  source: 'hl7' | 'clinic-db' = 'hl7',
): SiteOfAppointment {
  const first = sites[0];
  if (!first) {
    return {
      ok: false,
      code: 'no_site',
      reason: { es: 'La clínica aún no tiene sedes configuradas.', en: 'The clinic has no sites configured yet.' },
    };
  }
  const locations = named.map(norm).filter(Boolean);
  if (locations.length === 0) return { ok: true, site: first, known: sites.length === 1 };
  for (const location of locations) {
    const mapped = codes.find((c) => norm(c.code) === location);
    const site = mapped ? sites.find((s) => s.id === mapped.siteId) : undefined;
    if (site) return { ok: true, site, known: true };
  }
  for (const location of locations) {
    const site = sites.find((s) => norm(s.name) === location);
    if (site) return { ok: true, site, known: true };
  }
  const shown = named.filter((n) => n.trim()).join(' / ');
  return { ok: false, code: 'unknown_site', reason: unknownSite[source](shown) };
}

const unknownSite = {
  hl7: (shown: string) => ({
    es: `La sede «${shown}» no existe en Avisa. Asigne ese código a una sede en Ajustes → HL7 (o use el nombre exacto de la sede) y vuelva a enviar la cita.`,
    en: `The site "${shown}" does not exist in Avisa. Map that code to a site in Settings → HL7 (or use the site's exact name) and send the appointment again.`,
  }),
  'clinic-db': (shown: string) => ({
    es: `La sede «${shown}» no existe en Avisa. Asigne ese código a una sede en Ajustes → Base de datos de la clínica (o use el nombre exacto de la sede) y pulse «Procesar de nuevo».`,
    en: `The site "${shown}" does not exist in Avisa. Map that code to a site in Settings → Clinic database (or use the site's exact name) and press "Process again".`,
  }),
};
