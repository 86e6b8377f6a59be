import type { Service, Site } from '../../../../shared/domain';

/** Header texts of the template: ones the import recognises (src/main/core/intake/appointments-csv.ts). */
const headers = {
  es: ['Tipo documento', 'Nº Documento', 'Nombres', 'Apellidos', 'Celular', 'Sede', 'Servicio', 'Fecha', 'Hora', 'ID externo', 'Consentimiento'],
  en: ['Document type', 'Document number', 'First names', 'Last names', 'Mobile', 'Site', 'Service', 'Date', 'Time', 'External id', 'Consent'],
};

const quote = (cell: string): string => (/[;"\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

/**
 * A template to fill in Excel: UTF-8 with a BOM (so Excel shows the accents), ';' between columns (what Excel in
 * Spanish expects) and one example row per site with the clinic's own names, dated a week after `today`.
 */
export function appointmentsCsvTemplate(
  sites: readonly Pick<Site, 'name'>[],
  services: readonly Pick<Service, 'name'>[],
  language: 'es' | 'en',
  today: Date,
): string {
  const day = new Date(today.getTime() + 7 * 86_400_000);
  const date = `${String(day.getDate()).padStart(2, '0')}/${String(day.getMonth() + 1).padStart(2, '0')}/${day.getFullYear()}`;
  const service = services[0]?.name ?? '';
  const yes = language === 'es' ? 'sí' : 'yes';
  const rows = (sites.length ? sites : [{ name: '' }]).map((site, i) => [
    'DNI',
    String(40_000_001 + i),
    'Rosa',
    'Quispe Mamani',
    '987654321',
    site.name,
    service,
    date,
    `${String(9 + i).padStart(2, '0')}:30`,
    `CITA-${i + 1}`,
    yes,
  ]);
  return '\uFEFF' + [headers[language], ...rows].map((r) => r.map(quote).join(';')).join('\r\n') + '\r\n';
}
