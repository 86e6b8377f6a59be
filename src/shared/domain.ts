// Domain types shared by the core, the preload and the UI. Types only: no runtime code lives in src/shared.

export type Epoch = number; // milliseconds since 1970-01-01T00:00:00Z, always UTC

export type Language = 'es' | 'en';
export type ChannelId = 'demo' | 'cloud-api' | 'linked-device';
export type DocumentType = 'DNI' | 'CE' | 'PASAPORTE';
export type ConsentStatus = 'unknown' | 'opted_in' | 'opted_out';
export type ConsentSource = 'reception_form' | 'patient_message' | 'import' | 'demo';

/** `manual`: written by a person at the front desk (text, template or PDF), including test messages. */
export type MessageKind = 'result' | 'reminder' | 'document' | 'campaign' | 'followup' | 'manual';
export type MessageState =
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'read'
  | 'failed'
  | 'expired'
  | 'cancelled'
  /** Left in `sending` by a crash and never confirmed by the provider: a person decides whether to resend. */
  | 'unknown';

export type AppointmentStatus = 'booked' | 'confirmed' | 'cancelled' | 'attended' | 'no_show';
export type ResultKind = 'result' | 'certificate' | 'attestation' | 'receipt';
export type ResultStatus = 'pending_review' | 'approved' | 'queued' | 'sent' | 'dismissed';

export interface Site {
  id: number;
  name: string;
  country: string; // ISO 3166-1 alpha-2, e.g. "PE"
  timeZone: string; // IANA, e.g. "America/Lima"
}

export interface Service {
  id: number;
  name: string;
}

export interface Patient {
  id: number;
  firstNames: string;
  lastNames: string;
  documentType: DocumentType;
  documentNumber: string;
  birthDate: string | null; // YYYY-MM-DD
  phoneRaw: string | null;
  phoneE164: string | null;
  /** Why phoneRaw could not be used, in words a receptionist understands; null when the phone is fine. */
  phoneError: string | null;
  email: string | null;
  language: Language;
  consent: ConsentStatus;
  consentSource: ConsentSource | null;
  consentAt: Epoch | null;
  siteId: number | null;
}

export interface Appointment {
  id: number;
  siteId: number;
  siteName: string;
  serviceId: number;
  serviceName: string;
  patientId: number;
  patientName: string;
  startsAt: Epoch;
  timeZone: string;
  status: AppointmentStatus;
}

export interface ResultItem {
  id: number;
  kind: ResultKind;
  title: string;
  patientId: number;
  patientName: string;
  siteName: string;
  approvedAt: Epoch | null;
  approvedBy: string | null;
  status: ResultStatus;
  reviewReason: string | null;
  /** Carries the site's digital signature (what the preview shows is the signed file). */
  signed: boolean;
  /** Its item in "por revisar" (approve, dismiss go through it); null for results that arrived another way. */
  intakeId: number | null;
  /** The latest message that carries it, when one was written. */
  messageId: number | null;
  messageState: MessageState | null;
  messageError: string | null;
  sentAt: Epoch | null;
  receivedAt: Epoch;
}

/** Resultados' tabs: everything received, the signed ones, those that reached the patient, those that failed. */
export type ResultFilter = 'incoming' | 'signed' | 'sent' | 'failed' | 'dismissed';

export interface Message {
  id: number;
  kind: MessageKind;
  idempotencyKey: string;
  patientId: number | null;
  patientName: string | null;
  toPhone: string;
  channel: ChannelId;
  templateName: string | null;
  body: string;
  priority: number;
  notBefore: Epoch;
  state: MessageState;
  providerId: string | null;
  attempts: number;
  lastErrorCode: string | null;
  lastErrorReason: string | null;
  resendOf: number | null;
  createdAt: Epoch;
  updatedAt: Epoch;
  sentAt: Epoch | null;
  deliveredAt: Epoch | null;
  readAt: Epoch | null;
  failedAt: Epoch | null;
  replyCount: number;
}

export interface PanelSummary {
  from: Epoch;
  to: Epoch;
  total: number;
  byState: Record<MessageState, number>;
  sent: number; // reached the provider: sent, delivered or read
  deliveredPct: number; // of sent
  readPct: number; // of sent
  repliedPct: number; // of sent
  failedByReason: { code: string; reason: string; count: number }[];
  byDay: { day: string; sent: number; delivered: number; read: number; failed: number }[];
}
