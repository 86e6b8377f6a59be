import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/main/core/store/db';
import { pdftotext } from '../documents/pdf-tools';
import { cloudRig } from '../helpers/cloud';
import { tempDir } from '../helpers/temp';

type Rig = Awaited<ReturnType<typeof cloudRig>>;
const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
});

async function pdfBytes(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage().drawText('Constancia de atención', { font: await doc.embedFont(StandardFonts.Helvetica), x: 50, y: 700 });
  return doc.save();
}

/** A patient who got a PDF, saw it, and answered; another patient's message that must stay out of the export. */
async function history() {
  const r = await cloudRig();
  rigs.push(r);
  const p = await r.patient('911111111');
  const other = await r.patient('922222222');
  const bytes = await pdfBytes();
  // The patient wrote first: the 24-hour window is open for a document.
  await r.fake.inbound({ from: '+51911111111', text: 'Hola, ¿está mi constancia?' });
  await expect.poll(async () => (await r.call('replies.open', {})).length, { timeout: 10_000 }).toBeGreaterThan(0);
  const m = await r.call('messages.send', {
    patientId: p.id,
    mode: 'document',
    filename: 'constancia.pdf',
    base64: Buffer.from(bytes).toString('base64'),
    caption: 'Su constancia',
  });
  await r.call('messages.send', { patientId: other.id, mode: 'template', templateName: 'aviso_clinica', templateParams: ['Otro'] });
  await expect.poll(async () => (await r.call('messages.timeline', { id: m.id })).message.providerId, { timeout: 10_000 }).not.toBeNull();
  const wamid = (await r.call('messages.timeline', { id: m.id })).message.providerId!;
  await r.fake.status(wamid, 'delivered');
  await r.fake.status(wamid, 'read');
  await r.fake.inbound({ from: '+51911111111', text: '=Gracias; "recibido"', contextId: wamid });
  await expect.poll(async () => (await r.call('messages.timeline', { id: m.id })).replies.length, { timeout: 10_000 }).toBe(1);
  await expect.poll(async () => (await r.call('messages.timeline', { id: m.id })).message.state).toBe('read');
  return { r, p, m, wamid, sha256: createHash('sha256').update(bytes).digest('hex') };
}

const decode = (base64: string) => Buffer.from(base64, 'base64');

describe('per-patient evidence export', () => {
  it('CSV: UTF-8 with BOM, ";" separated, every status with its time, the reply, document hash and audit chain place', async () => {
    const { r, p, m, wamid, sha256 } = await history();
    const file = await r.call('evidence.export', { patientId: p.id, format: 'csv' });
    expect(file.mimeType).toBe('text/csv;charset=utf-8');
    expect(file.filename).toMatch(/^evidencia-DNI-\d+-\d{8}\.csv$/);
    const raw = decode(file.base64);
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(raw, { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([
      'mensaje', 'tipo', 'canal', 'destino', 'id_proveedor', 'copia_de', 'documento', 'documento_sha256', 'evento',
      'evento_nombre', 'fecha_hora', 'detalle', 'actor', 'auditoria_posicion', 'auditoria_hash',
    ]);
    // Only this patient's message.
    expect(new Set(rows.map((x) => x.mensaje))).toEqual(new Set([String(m.id)]));
    for (const row of rows) {
      expect(row).toMatchObject({
        tipo: 'Manual',
        canal: 'WhatsApp Cloud API',
        destino: '+51911111111',
        id_proveedor: wamid,
        documento: 'constancia.pdf',
        documento_sha256: sha256,
      });
      expect(row.fecha_hora).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-05:00$/);
    }
    const events = rows.map((x) => x.evento ?? '');
    expect(events.filter((e) => !e.startsWith('message.'))).toEqual(['queued', 'sending', 'sent', 'delivered', 'read', 'reply']);
    expect(events).toContain('message.manual_send');
    const reply = rows.find((x) => x.evento === 'reply')!;
    // Read back exactly, quotes and separator included; a leading "=" is kept from running as a formula.
    expect(reply.detalle).toBe(`'=Gracias; "recibido"`);
    expect(reply.actor).toBe('patient');
    expect(rows.find((x) => x.evento === 'message.manual_send')!.actor).toBe('usuario');
    // The code is for machines; every event also has its name in the clinic's words.
    expect(rows.find((x) => x.evento === 'message.manual_send')!.evento_nombre).toBe('Enviado a mano');
    for (const row of rows) expect(row.evento_nombre).not.toMatch(/^[a-z]+([._][a-z]+)*$/);

    // Every event names its own row of the hash chain.
    const db = new Database(join(r.dataDir, DATABASE_FILE), { readonly: true });
    for (const row of rows) {
      expect(row.auditoria_posicion).toMatch(/^\d+$/);
      const audit = db.prepare('SELECT hash, entity_id AS entityId FROM audit_events WHERE id = ?').get(Number(row.auditoria_posicion)) as {
        hash: string;
        entityId: string;
      };
      expect(audit).toEqual({ hash: row.auditoria_hash, entityId: String(m.id) });
    }
    db.close();

    // A range that ends before the message: only the header.
    const none = await r.call('evidence.export', { patientId: p.id, format: 'csv', from: 0, to: m.createdAt });
    expect(parse(decode(none.base64), { bom: true, delimiter: ';', columns: true })).toEqual([]);
  });

  it('PDF: header with clinic, patient, range, time and audit verification; the hashes and ids as text', async () => {
    const { r, p, m, wamid, sha256 } = await history();
    const file = await r.call('evidence.export', { patientId: p.id, format: 'pdf', from: m.createdAt - 60_000, to: m.createdAt + 3_600_000 });
    expect(file.mimeType).toBe('application/pdf');
    const path = join(tempDir(), file.filename);
    writeFileSync(path, decode(file.base64));
    const text = pdftotext(path);
    expect(text).toContain('Evidencia de mensajes por paciente');
    expect(text).toContain('Clínica: Clínica Prueba');
    expect(text).toContain(`Paciente: ${p.firstNames} ${p.lastNames} (DNI ${p.documentNumber})`);
    expect(text).toMatch(/Periodo: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-05:00 — \d{4}-/);
    expect(text).toMatch(/Verificación de auditoría: Íntegra: \d+ eventos verificados/);
    expect(text).toContain(`Mensaje ${m.id}`);
    expect(text).toContain(wamid);
    expect(text).toContain(`SHA-256: ${sha256}`);
    expect(text).toContain('Respuesta');
    const db = new Database(join(r.dataDir, DATABASE_FILE), { readonly: true });
    const last = db
      .prepare(`SELECT id, hash FROM audit_events WHERE entity = 'message' AND entity_id = ? AND action = 'message.read'`)
      .get(String(m.id)) as { id: number; hash: string };
    db.close();
    expect(text).toContain(`cadena #${last.id} ${last.hash}`);

    // Someone edits an event in the database: the next export says so in its header.
    const rw = new Database(join(r.dataDir, DATABASE_FILE));
    rw.prepare(`UPDATE audit_events SET actor = 'otro' WHERE id = ?`).run(last.id);
    rw.close();
    const tampered = await r.call('evidence.export', { patientId: p.id, format: 'pdf' });
    const path2 = join(tempDir(), 'alterada.pdf');
    writeFileSync(path2, decode(tampered.base64));
    const text2 = pdftotext(path2);
    expect(text2).toContain(`ALTERADA: enlace roto en el evento ${last.id}`);
    expect(text2).toContain('todo el historial');
  });

  it('is an audited action, and refuses an unknown patient or a range that ends before it starts', async () => {
    const { r, p } = await history();
    await r.call('evidence.export', { patientId: p.id, format: 'csv' });
    const db = new Database(join(r.dataDir, DATABASE_FILE), { readonly: true });
    const row = db.prepare(`SELECT actor, entity_id AS entityId FROM audit_events WHERE action = 'evidence.exported'`).get();
    db.close();
    expect(row).toEqual({ actor: 'usuario', entityId: String(p.id) });
    await expect(r.call('evidence.export', { patientId: 999_999, format: 'csv' })).rejects.toThrow(/not_found/);
    await expect(r.call('evidence.export', { patientId: p.id, format: 'csv', from: 10, to: 5 })).rejects.toThrow(/invalid_args/);
  });
});
