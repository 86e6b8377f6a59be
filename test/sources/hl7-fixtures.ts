import { PDFDocument, StandardFonts } from 'pdf-lib';

// HL7 fixtures built from public sample messages, with the patient made Peruvian (DNI in PID-3) and, for results,
// the PDF added as an OBX of type ED. Segments end in CR as the standard says, unless a fixture shows otherwise.
//
// - ORU^R01: NIST's "ORU_R01 2.5.1 Sample Test Case 1" (HL7 2.5.1 lab results IG test data, public domain): its
//   MSH/SFT/ORC/OBR/OBX/SPM layout, OBR-22 and OBR-25, the NM lead result; an ED OBX with the report is added.
// - SIU^S12: the SIU example widely published with HL7 v2.5 tutorials (SCH with SCH-11 timing and a
//   "Scheduled" filler status, RGS/AIG/AIL/AIP); an AIS with the service is added. S13/S15/S26 are the same
//   appointment moved, cancelled and missed.
// - SIU^S14: Corepoint Health's public v2.3 SIU^S14 example, kept with its LF segment ends and trailing space.

export async function makePdf(text = 'Hemograma completo — Ana Quispe'): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([300, 200]);
  page.drawText(text.replace('—', '-'), { x: 20, y: 100, size: 12, font: await doc.embedFont(StandardFonts.Helvetica) });
  // Fixed dates keep the bytes (and so the base64) the same on every run.
  doc.setCreationDate(new Date('2025-01-01T00:00:00Z'));
  doc.setModificationDate(new Date('2025-01-01T00:00:00Z'));
  return Buffer.from(await doc.save());
}

export function oruR01(
  pdf: Buffer,
  options: { status?: string; controlId?: string; interpreter?: boolean; withPdf?: boolean; charset?: string } = {},
): string {
  const status = options.status ?? 'F';
  const base64 = pdf.toString('base64');
  const segments = [
    `MSH|^~\\&|LIS Lab^2.16.840.1.113883.3.72.7.1^HL7|Laboratorio Central^2.16.840.1.113883.3.72.7.2^HL7|AVISA^2.16.840.1.113883.3.72.7.3^HL7|Clinica San Pablo^2.16.840.1.113883.3.72.7.4^HL7|20250310091502-0500||ORU^R01^ORU_R01|${options.controlId ?? 'NIST-100929110701660'}|P|2.5.1||||||${options.charset ?? ''}|||PHLabReport-NoAck^^2.16.840.1.114222.4.10.3^ISO`,
    'SFT|NIST Lab, Inc.|3.6.23|A-1 Lab System|6742873-12||20080303',
    'PID|1||45678912^^^RENIEC^NNPER~H-000123^^^CSP^MR||QUISPE HUAMAN^ANA^MARIA^^^^L||19860930|F|||Av. Arequipa 1234^^Lima^Lima^15046^PER^H||^PRN^PH^^51^1^4445566~^PRN^CP^^51^^987654321',
    'ORC|RE|||||||||||1234^Rojas^Carlos^^^^^^CSP&2.16.840.1.113883.19.4.6&ISO|||||||||Clinica San Pablo^L^^^^CSP&2.16.840.1.113883.19.4.6&ISO^XX^^^1234',
    `OBR|1||9700123^Lab^2.16.840.1.113883.19.3.1.6^ISO|58410-2^Hemograma completo^LN^HEMO^Hemograma^99USI|||200808151030-0500||||||Control anual|||1234^Rojas^Carlos^^^^^^CSP&2.16.840.1.113883.19.4.6&ISO||||||20250310091500-0500|||${status}|||||||${options.interpreter === false ? '' : '4567&Salazar&Lucia&&&Dra.'}`,
    'OBX|1|NM|718-7^Hemoglobin [Mass/volume] in Blood^LN|1|13.5|g/dL^gram per deciliter^UCUM|12-16|N|||F|||20250310080000-0500|||||20250310090000-0500',
  ];
  if (options.withPdf !== false) {
    segments.push(
      `OBX|2|ED|11502-2^Laboratory report^LN|1|LIS^application^pdf^Base64^${base64}||||||${status}|||20250310080000-0500||7788^Mendoza^Pedro^^^Dr.|||20250310091400-0500`,
    );
  }
  segments.push('SPM|1|||122555007^Venous blood specimen^SCT^BLDV^Blood venous^HL70070^20080131^2.5.1');
  return segments.join('\r') + '\r';
}

type SiuEvent = 'S12' | 'S13' | 'S14' | 'S15' | 'S17' | 'S26';

/** The published SIU example as a Peruvian clinic's system would send it; `start` is local time (no offset). */
export function siu(event: SiuEvent, options: { start?: string; controlId?: string; status?: string } = {}): string {
  const start = options.start ?? '20250617084500';
  const end = String(Number(start) + 6000); // + 60 minutes while the hour stays below 23
  return [
    `MSH|^~\\&|SendingApp|SendingFac|AVISA|ClinicaSanPablo|20250613061611||SIU^${event}|${options.controlId ?? `123456789-${event}`}|P|2.5||||||`,
    `SCH|12345^12345|2196178^2196178|||12345|OFFICE^Office visit|reason for the appointment|OFFICE|60|m|^^60^${start}^${end}|||||9^DENT^ARTHUR||||9^DENT^COREY|||||${options.status ?? 'Scheduled'}`,
    'PID|1||42^^^CSP^MR~40123456^^^RENIEC^DNI||Torres Vega^Rosa^Elena||19781012|F|||Jr. Puno 250^^Lima^Lima^15001||^PRN^CP^^51^^912345678|||S||999999999|||||||||||||||||||||',
    'PV1|1|O|||||1^Smith^Miranda^A^MD|2^Withers^Peter^D^MD||||||||||||||||||||||||||||||||||||||||||99158||',
    'RGS|1|A',
    'AIS|1|A|CARD01^Cardiología^L|' + start + '|||60|min',
    'AIG|1|A|1^White, Charles|D^^',
    `AIL|1|A|CONS3^^^Sede Miraflores|^Main Office||${start}|||45|m^Minutes||Scheduled`,
    `AIP|1|A|1^White^Charles^A^MD^^^^|D^White, Charles||${start}|||45|m^Minutes||Scheduled`,
  ].join('\r') + '\r';
}

/** Corepoint's SIU^S14 example as published: v2.3, LF between segments, an untyped PID-3, SCH-11 with a trailing space. */
export const corepointS14 =
  'MSH|^~\\&|GPMS|CTX||MED2000|200803060953||SIU^S14|20080306953450|P|2.3||||||||\n' +
  'SCH|00331839401|||||58||HLCK^HEALTHCHECK ANY AGE|20|MIN|^^^200803061000 |||||JOHN||||VALERIE|||||ARRIVED|\n' +
  'PID|1||489671|0|SMITH^MICHAEL^||20080205|F|||176215TH STREET^HOUSTON^TX^77306||(832)795-8259|||S|||999999999||||||||||||\n' +
  'PV1|1|O|||||HHR^NGUYENSUSAN MD|^||||||||||||||||||||||||||||||||||| ||||||||||\n' +
  'RGS|1|||\n' +
  'AIL|1||HHR^FPCS NGUYEN, MD||||||||||\n' +
  'NTE|1||1MONTH HLCK^^|\n' +
  'AIP|1||PBN^LISAPORTER|50|||||||||\n';
