import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import { evidenceTime, labelOf, verificationText, type Evidence } from './evidence';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 40;
const WIDTH = A4[0] - 2 * MARGIN;

// The standard fonts speak WinAnsi: Spanish is fine, an emoji in a reply is not. Those become '?'.
const extra = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const winAnsi = (s: string): string =>
  [...s.replace(/[\r\n\t]+/g, ' ')]
    .map((c) => {
      const code = c.codePointAt(0) ?? 0;
      return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || extra.has(c) ? c : '?';
    })
    .join('');

const t = {
  title: { es: 'Evidencia de mensajes por paciente', en: 'Per-patient message evidence' },
  clinic: { es: 'Clínica', en: 'Clinic' },
  patient: { es: 'Paciente', en: 'Patient' },
  range: { es: 'Periodo', en: 'Period' },
  all: { es: 'todo el historial', en: 'the whole history' },
  generated: { es: 'Generado', en: 'Generated' },
  audit: { es: 'Verificación de auditoría', en: 'Audit verification' },
  messages: { es: 'Mensajes', en: 'Messages' },
  none: { es: 'No hay mensajes en el periodo.', en: 'There are no messages in the period.' },
  message: { es: 'Mensaje', en: 'Message' },
  providerId: { es: 'ID del proveedor', en: 'Provider id' },
  copyOf: { es: 'Copia del mensaje', en: 'Copy of message' },
  document: { es: 'Documento', en: 'Document' },
  noHash: { es: 'sin hash (archivo no disponible)', en: 'no hash (file not available)' },
  chain: { es: 'cadena', en: 'chain' },
} as const;

/** Splits text into lines that fit a width, breaking long tokens (hashes, ids) where they must. */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  const fits = (s: string) => font.widthOfTextAtSize(s, size) <= width;
  for (const word of text.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    let rest = word;
    while (!fits(rest)) {
      let n = rest.length - 1;
      while (n > 1 && !fits(rest.slice(0, n))) n--;
      lines.push(rest.slice(0, n));
      rest = rest.slice(n);
    }
    line = rest;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

export async function evidencePdf(e: Evidence): Promise<Uint8Array> {
  const l = e.language;
  const doc = await PDFDocument.create();
  doc.setTitle(winAnsi(`${t.title[l]} — ${e.patient.firstNames} ${e.patient.lastNames}`));
  doc.setProducer('Avisa');
  doc.setCreationDate(new Date(e.generatedAt));
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const mono = await doc.embedFont(StandardFonts.Courier);
  let page: PDFPage = doc.addPage(A4);
  let y = A4[1] - MARGIN;

  const write = (text: string, o: { font?: PDFFont; size?: number; indent?: number; color?: [number, number, number] } = {}) => {
    const font = o.font ?? regular;
    const size = o.size ?? 8.5;
    const indent = o.indent ?? 0;
    for (const line of wrap(winAnsi(text), font, size, WIDTH - indent)) {
      if (y - size < MARGIN) {
        page = doc.addPage(A4);
        y = A4[1] - MARGIN;
      }
      y -= size * 1.3;
      page.drawText(line, { x: MARGIN + indent, y, size, font, color: o.color ? rgb(...o.color) : rgb(0.1, 0.12, 0.15) });
    }
  };
  const gap = (h: number) => (y -= h);

  write(t.title[l], { font: bold, size: 15 });
  gap(6);
  const range =
    e.from === null && e.to === null
      ? t.all[l]
      : `${e.from === null ? '…' : evidenceTime(e.from, e.timeZone)} — ${e.to === null ? '…' : evidenceTime(e.to, e.timeZone)}`;
  write(`${t.clinic[l]}: ${e.clinicName}`, { size: 10 });
  write(`${t.patient[l]}: ${e.patient.firstNames} ${e.patient.lastNames} (${e.patient.documentType} ${e.patient.documentNumber})`, { size: 10 });
  write(`${t.range[l]}: ${range}`, { size: 10 });
  write(`${t.generated[l]}: ${evidenceTime(e.generatedAt, e.timeZone)}`, { size: 10 });
  write(`${t.audit[l]}: ${verificationText(e.verification, l)}`, {
    size: 10,
    font: bold,
    color: e.verification.ok ? [0.05, 0.45, 0.2] : [0.75, 0.1, 0.1],
  });
  gap(10);
  write(`${t.messages[l]} (${e.messages.length})`, { font: bold, size: 12 });
  if (e.messages.length === 0) write(t.none[l]);

  for (const m of e.messages) {
    gap(8);
    write(`${t.message[l]} ${m.id} · ${labelOf.kind(m.kind, l)} · ${labelOf.channel(m.channel, l)} · ${m.recipient}`, { font: bold, size: 10 });
    if (m.resendOf !== null) write(`${t.copyOf[l]} ${m.resendOf}`, { indent: 10 });
    write(`${t.providerId[l]}: ${m.providerId ?? '—'}`, { indent: 10 });
    if (m.document) {
      write(`${t.document[l]}: ${m.document.name}`, { indent: 10 });
      write(`SHA-256: ${m.document.sha256 ?? t.noHash[l]}`, { indent: 10, font: mono, size: 7.5 });
    }
    for (const ev of m.events) {
      const who = ev.actor ? ` · ${ev.actor}` : '';
      write(`${evidenceTime(ev.at, e.timeZone)}  ${labelOf.event(ev.event, l)}${who}`, { indent: 10, font: bold, size: 8 });
      if (ev.detail) write(ev.detail, { indent: 20, size: 8 });
      if (ev.auditPosition !== null) {
        write(`${t.chain[l]} #${ev.auditPosition} ${ev.auditHash ?? ''}`, { indent: 20, font: mono, size: 7 });
      }
    }
  }
  return doc.save();
}
