import { evidenceTime, labelOf, type Evidence } from './evidence';

// ';' rather than ',': Excel set to Spanish (the clinics' language) splits on ';' when the file is opened with a
// double click, and message texts and reasons are full of commas. The BOM makes Excel read UTF-8 (accents, ñ).
export const CSV_SEPARATOR = ';';
const BOM = '\uFEFF';

const headers = {
  es: ['mensaje', 'tipo', 'canal', 'destino', 'id_proveedor', 'copia_de', 'documento', 'documento_sha256', 'evento',
    'evento_nombre', 'fecha_hora', 'detalle', 'actor', 'auditoria_posicion', 'auditoria_hash'],
  en: ['message', 'kind', 'channel', 'recipient', 'provider_id', 'copy_of', 'document', 'document_sha256', 'event',
    'event_name', 'time', 'detail', 'actor', 'audit_position', 'audit_hash'],
};

function field(value: string | number | null, freeText = false): string {
  let s = value === null ? '' : String(value);
  // A patient's reply starting with = + - @ would run as a formula in a spreadsheet: shown as text instead.
  if (freeText && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[";\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per event of every message (message columns repeated), so the file filters and sorts as is. */
export function evidenceCsv(e: Evidence): string {
  const l = e.language;
  const lines = [headers[l].join(CSV_SEPARATOR)];
  for (const m of e.messages) {
    for (const ev of m.events) {
      lines.push(
        [
          field(m.id),
          field(labelOf.kind(m.kind, l)),
          field(labelOf.channel(m.channel, l)),
          field(m.recipient),
          field(m.providerId),
          field(m.resendOf),
          field(m.document?.name ?? null, true),
          field(m.document?.sha256 ?? null),
          field(ev.event),
          field(labelOf.event(ev.event, l)),
          field(evidenceTime(ev.at, e.timeZone)),
          field(ev.detail, true),
          field(ev.actor),
          field(ev.auditPosition),
          field(ev.auditHash),
        ].join(CSV_SEPARATOR),
      );
    }
  }
  return BOM + lines.join('\r\n') + '\r\n';
}
