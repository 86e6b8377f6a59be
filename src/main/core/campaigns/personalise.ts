/** The patient fields a campaign or follow-up text may carry, by the names a receptionist types. */
export interface PatientFields {
  firstNames: string;
  lastNames: string;
  siteName: string | null;
}

const fields: Record<string, (p: PatientFields) => string> = {
  nombre: (p) => firstWord(p.firstNames),
  first_name: (p) => firstWord(p.firstNames),
  nombres: (p) => p.firstNames.trim(),
  apellidos: (p) => p.lastNames.trim(),
  last_name: (p) => p.lastNames.trim(),
  nombre_completo: (p) => `${p.firstNames.trim()} ${p.lastNames.trim()}`,
  full_name: (p) => `${p.firstNames.trim()} ${p.lastNames.trim()}`,
  sede: (p) => p.siteName ?? '',
  site: (p) => p.siteName ?? '',
};

// "María José" is greeted as "María": a message reads like a person wrote it.
function firstWord(names: string): string {
  return names.trim().split(/\s+/)[0] ?? '';
}

/** Replaces {nombre}-style fields with the patient's; unknown names stay as typed, so a typo shows in the preview. */
export function personalise(template: string, p: PatientFields): string {
  return template.replace(/\{\s*([a-z_]+)\s*\}/gi, (whole, name: string) => fields[name.toLowerCase()]?.(p) ?? whole);
}
