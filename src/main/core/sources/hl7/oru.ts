import type { SourceResult } from '../clinic-db/records';
import { parseDtm, patientFromPid, personFromNdl, personFromXcn, textOfCoded } from './fields';
import { errorCodes, refusal, type Hl7Header, type Hl7Refusal } from './header';
import { firstRepetition, firstSegment, get, rawField, repetitions, value, type Hl7Message, type Segment } from './parse';

// ORU^R01 → results. Each OBR with an OBX of type ED holding a base64 PDF is one result; OBXs with discrete values
// beside it are ignored (the PDF is what the patient receives).

interface OrderGroup {
  /** The PID the order follows: one ORU may carry several patients, each with their own orders. */
  pid: Segment;
  obr: Segment;
  obrIndex: number;
  obx: Segment[];
}

export function resultsFromOru(message: Hl7Message, header: Hl7Header, zone: string): SourceResult[] | Hl7Refusal {
  if (!firstSegment(message, 'PID')) {
    return refusal('AE', errorCodes.requiredFieldMissing, ['PID'], 'El mensaje no trae paciente (PID).', 'The message has no patient (PID).');
  }
  const groups = orderGroups(message);
  if (groups.length === 0) {
    return refusal('AE', errorCodes.requiredFieldMissing, ['OBR'], 'El mensaje no trae orden (OBR).', 'The message has no order (OBR).');
  }
  const facility = header.sendingFacility || header.sendingApplication || 'hl7';
  const results: SourceResult[] = [];
  let firstRefusal: Hl7Refusal | null = null;
  for (const group of groups) {
    const pdf = pdfOf(message, group);
    if (!pdf.ok) {
      firstRefusal ??= pdf.refusal;
      continue;
    }
    const { obr } = group;
    const patient = patientFromPid(message, group.pid);
    if (!patient.documentNumber && !patient.medicalRecordNumber) {
      firstRefusal ??= refusal('AE', errorCodes.requiredFieldMissing, ['PID', '1', '3'], 'El paciente no trae documento ni historia clínica (PID-3).', 'The patient has no document or record number (PID-3).');
      continue;
    }
    const status = (get(message, obr, 25) || get(message, pdf.obx, 11)).toUpperCase();
    if (status !== 'F' && status !== 'C') {
      // Only approved results go out: preliminary (P), partial (A, I, R) and the rest are not sent.
      firstRefusal ??= refusal(
        'AE',
        errorCodes.tableValueNotFound,
        ['OBR', String(group.obrIndex), '25'],
        `El resultado no está aprobado (estado "${status || 'vacío'}", se espera F o C).`,
        `The result is not approved (status "${status || 'empty'}", F or C expected).`,
      );
      continue;
    }
    const approvedRaw =
      get(message, obr, 22, 1) || get(message, pdf.obx, 19, 1) || get(message, pdf.obx, 14, 1) || get(message, obr, 7, 1);
    const approved = parseDtm(approvedRaw, zone)?.at ?? header.sentAt;
    if (approved === null) {
      firstRefusal ??= refusal('AE', errorCodes.dataType, ['OBR', String(group.obrIndex), '22'], 'La fecha de aprobación no es válida.', 'The approval time is not valid.');
      continue;
    }
    const filler = get(message, obr, 3, 1);
    const placer = get(message, obr, 2, 1);
    const resultId = filler || placer || (groups.length > 1 ? `${header.controlId}-${group.obrIndex}` : header.controlId);
    results.push({
      kind: 'result',
      source: 'hl7',
      sourceKey: `hl7:${facility}:${resultId}`,
      resultId,
      patient,
      approvedAt: approved,
      approvedBy: approver(message, obr, pdf.obx),
      accessionNumber: get(message, obr, 18, 1) || filler || null,
      title: textOfCoded(message, firstRepetition(message, obr, 4)) ?? textOfCoded(message, firstRepetition(message, pdf.obx, 3)),
      site: get(message, firstSegment(message, 'PV1'), 3, 4) || get(message, firstSegment(message, 'ORC'), 21, 1) || null,
      service: get(message, obr, 24) || null,
      corrected: status === 'C',
      file: { kind: 'bytes', bytes: pdf.bytes, mediaType: 'application/pdf' },
    });
  }
  if (results.length > 0) return results;
  return firstRefusal ?? refusal('AE', errorCodes.requiredFieldMissing, ['OBX'], 'No hay PDF en el mensaje.', 'There is no PDF in the message.');
}

function orderGroups(message: Hl7Message): OrderGroup[] {
  const groups: OrderGroup[] = [];
  let obrIndex = 0;
  let pid: Segment | undefined;
  for (const segment of message.segments) {
    if (segment.name === 'PID') pid = segment;
    else if (segment.name === 'OBR' && pid) groups.push({ pid, obr: segment, obrIndex: ++obrIndex, obx: [] });
    else if (segment.name === 'OBX') groups.at(-1)?.obx.push(segment);
  }
  return groups;
}

type PdfOutcome = { ok: true; obx: Segment; bytes: Buffer } | { ok: false; refusal: Hl7Refusal };

/** The first OBX of type ED whose data is a base64 PDF (ED: source^type^subtype^encoding^data). */
function pdfOf(message: Hl7Message, group: OrderGroup): PdfOutcome {
  let refusalFound: Hl7Refusal | null = null;
  for (const obx of group.obx) {
    if (get(message, obx, 2).toUpperCase() !== 'ED') continue;
    const setId = get(message, obx, 1) || '1';
    const ed = repetitions(message, obx, 5)[0] ?? '';
    const type = value(message, ed, 2).toLowerCase();
    const subtype = value(message, ed, 3).toLowerCase();
    const encoding = value(message, ed, 4).toLowerCase();
    if (subtype !== 'pdf' && !(type === 'application' && subtype === '')) continue;
    const where = ['OBX', setId, '5'];
    if (encoding !== 'base64') {
      refusalFound ??= refusal('AE', errorCodes.dataType, where, `El PDF no viene en Base64 (viene "${encoding}").`, `The PDF is not Base64 encoded ("${encoding}").`);
      continue;
    }
    // Senders wrap long base64 or escape line breaks (\.br\, \X0D0A\): only base64 characters count.
    const data = value(message, ed, 5).replace(/[^A-Za-z0-9+/=]/g, '');
    const bytes = Buffer.from(data, 'base64');
    if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') {
      refusalFound ??= refusal('AE', errorCodes.dataType, where, 'El dato del OBX no es un PDF válido.', 'The OBX data is not a valid PDF.');
      continue;
    }
    return { ok: true, obx, bytes };
  }
  return {
    ok: false,
    refusal:
      refusalFound ??
      refusal('AE', errorCodes.requiredFieldMissing, ['OBX'], 'El resultado no trae el PDF (OBX de tipo ED).', 'The result carries no PDF (OBX of type ED).'),
  };
}

/** Who approved: OBR-32 principal result interpreter, else OBX-16 responsible observer. */
function approver(message: Hl7Message, obr: Segment, obx: Segment): string | null {
  const interpreter = rawField(obr, 32);
  if (interpreter) {
    const name = personFromNdl(message, repetitions(message, obr, 32)[0] ?? '');
    if (name) return name;
  }
  const observer = repetitions(message, obx, 16)[0];
  return observer ? personFromXcn(message, observer) : null;
}
