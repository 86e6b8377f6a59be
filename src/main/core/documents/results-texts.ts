import type { DocumentType } from '../../../shared/domain';
import type { Reason } from './texts';

// Why a result waits in "por revisar", in words a receptionist understands and with what to do about it. Spanish is
// also what the shared folder's motivo files carry.

export const reviewReasons = {
  no_metadata: (file: string, pattern: string): Reason => ({
    es: `El nombre del archivo «${file}» no sigue el patrón configurado (${pattern}) y no hay un archivo .json con sus datos. Renómbrelo según el patrón o asigne el paciente desde Avisa.`,
    en: `The file name "${file}" does not follow the configured pattern (${pattern}) and there is no .json file with its data. Rename it to follow the pattern or assign the patient in Avisa.`,
  }),
  bad_sidecar: (file: string, detail: string): Reason => ({
    es: `El archivo de datos «${file}» no se pudo leer (${detail}). Corríjalo y vuelva a copiar el PDF con él.`,
    en: `The data file "${file}" could not be read (${detail}). Fix it and copy the PDF again with it.`,
  }),
  unknown_kind: (word: string): Reason => ({
    es: `Tipo de documento «${word}» desconocido: use resultado, certificado, constancia o recibo.`,
    en: `Unknown document kind "${word}": use resultado (result), certificado, constancia or recibo.`,
  }),
  not_pdf: (file: string): Reason => ({
    es: `El archivo «${file}» no es un PDF: solo se firman y envían documentos PDF.`,
    en: `The file "${file}" is not a PDF: only PDF documents are signed and sent.`,
  }),
  unreadable: (file: string, detail: string): Reason => ({
    es: `No se pudo leer el archivo «${file}» (${detail}).`,
    en: `The file "${file}" could not be read (${detail}).`,
  }),
  missing_original: (): Reason => ({
    es: 'Ya no se encuentra la copia del documento recibido; pida al laboratorio que lo envíe otra vez.',
    en: 'The copy of the document as received is missing; ask the lab to send it again.',
  }),
  unknown_patient: (who: string): Reason => ({
    es: `No hay ningún paciente registrado con ${who}. Registre al paciente o asigne el correcto y reintente.`,
    en: `No patient is registered with ${who}. Register the patient or assign the right one and retry.`,
  }),
  no_identity: (): Reason => ({
    es: 'El documento no indica a qué paciente pertenece (sin número de documento ni historia clínica). Asigne el paciente y reintente.',
    en: 'The document does not say which patient it belongs to (no document number or medical record number). Assign the patient and retry.',
  }),
  incomplete_patient: (): Reason => ({
    es: 'El paciente no está registrado y faltan datos para registrarlo (nombres, apellidos y número de documento).',
    en: 'The patient is not registered and there is not enough data to register them (names, surnames and document number).',
  }),
  bad_phone: (name: string, problem: string | null): Reason => ({
    es: `${name} no tiene un celular válido para WhatsApp${problem ? ` (${problem})` : ''}. Corrija el número y reintente.`,
    en: `${name} has no valid mobile number for WhatsApp${problem ? ` (${problem})` : ''}. Fix the number and retry.`,
  }),
  no_consent: (name: string): Reason => ({
    es: `${name} aún no autorizó recibir mensajes por WhatsApp. Registre su consentimiento y reintente.`,
    en: `${name} has not agreed to receive WhatsApp messages yet. Record their consent and retry.`,
  }),
  opted_out: (name: string): Reason => ({
    es: `${name} pidió no recibir más mensajes. Envíe el documento solo si el paciente lo vuelve a autorizar.`,
    en: `${name} asked to receive no more messages. Send the document only if the patient agrees again.`,
  }),
  awaiting_approval: (): Reason => ({
    es: 'Esperando aprobación: revise el documento y apruébelo para firmarlo y enviarlo.',
    en: 'Awaiting approval: check the document and approve it to sign and send it.',
  }),
  no_certificate: (): Reason => ({
    es: 'No hay un certificado de firma configurado (Ajustes → Certificado) y este documento debe enviarse firmado.',
    en: 'No signing certificate is configured (Settings → Certificate) and this document must be sent signed.',
  }),
  storage_failed: (detail: string): Reason => ({
    es: `No se pudo guardar el documento firmado (${detail}). Revise el espacio en disco y reintente.`,
    en: `The signed document could not be saved (${detail}). Check the disk space and retry.`,
  }),
  internal: (detail: string): Reason => ({
    es: `Error interno al recibir el documento (${detail}). Vuelva a copiarlo; si se repite, avise a soporte.`,
    en: `Internal error while receiving the document (${detail}). Copy it again; if it happens again, contact support.`,
  }),
};

export function describeIdentity(p: {
  documentType?: DocumentType;
  documentNumber?: string;
  medicalRecordNumber?: string;
}, defaultType: DocumentType): string {
  const parts: string[] = [];
  if (p.documentNumber) parts.push(`${p.documentType ?? defaultType} ${p.documentNumber}`);
  if (p.medicalRecordNumber) parts.push(`HC ${p.medicalRecordNumber}`);
  return parts.join(' / ');
}

/** How a kind is named in messages to the patient. */
export const kindNouns: Record<'es' | 'en', Record<'result' | 'certificate' | 'attestation' | 'receipt', string>> = {
  es: { result: 'resultado', certificate: 'certificado médico', attestation: 'constancia', receipt: 'recibo' },
  en: { result: 'result', certificate: 'medical certificate', attestation: 'attestation', receipt: 'receipt' },
};

export const defaultTitles: Record<'result' | 'certificate' | 'attestation' | 'receipt', string> = {
  result: 'Resultado de laboratorio',
  certificate: 'Certificado médico',
  attestation: 'Constancia',
  receipt: 'Recibo',
};
