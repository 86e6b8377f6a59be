// Domain types shared by the core, the preload and the UI. Types only: no runtime code lives in src/shared.

export type Epoch = number; // milliseconds since 1970-01-01T00:00:00Z, always UTC

export type Language = 'es' | 'en';
/** `email`: the clinic's SMTP, only ever as the copy of a message WhatsApp could not deliver. */
export type ChannelId = 'demo' | 'cloud-api' | 'linked-device' | 'email';
/** The channels a clinic chooses to send through (e-mail only ever follows one of them). */
export type WhatsAppChannelId = Exclude<ChannelId, 'email'>;
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
  source: AppointmentSource;
}

/** Where an appointment came from: 'clinic-db' or 'hl7' (the clinic's own system, which keeps its own copy), a CSV
 * file, Citas ('manual'), or the demo. */
export type AppointmentSource = 'clinic-db' | 'hl7' | 'csv' | 'manual' | 'demo';

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
  /** PAdES level reached (B-B, B-T, B-LT, B-LTA), when signed. */
  signatureLevel: string | null;
  /** Signed, but not as asked (e.g. without a timestamp because the TSA did not answer). */
  signatureWarning: string | null;
  /** Its item in "por revisar" (approve, dismiss go through it); null for results that arrived another way. */
  intakeId: number | null;
  /** The latest message that carries it, when one was written. */
  messageId: number | null;
  messageState: MessageState | null;
  messageError: string | null;
  sentAt: Epoch | null;
  /** When the patient's phone got it and when they opened it (WhatsApp's blue ticks), for "send it again?". */
  deliveredAt: Epoch | null;
  readAt: Epoch | null;
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
  /** The address an e-mail copy went to; null for WhatsApp messages. */
  toEmail: string | null;
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
  /** Set on a queued reminder in Mensajes: why it waits, in facts the UI can put in words. */
  reminderWait?: ReminderWait;
  /** Set on a message WhatsApp cannot deliver to this number when its document can go by e-mail instead: the address. */
  emailCopyTo?: string;
}

/** A queued reminder goes `leadMinutes` before the appointment at `appointmentAt`, earlier when quiet hours moved it. */
export interface ReminderWait {
  appointmentAt: Epoch;
  /** The rule's lead; null when the rule was deleted since (the reminder keeps its time). */
  leadMinutes: number | null;
  movedForQuietHours: boolean;
  /** The site's zone: the appointment's day is the site's day. */
  timeZone: string;
}

/** The Panel's question: clinic days `from`..`to` (YYYY-MM-DD, both included) and optional filters. */
export interface PanelQuery {
  from?: string;
  to?: string;
  siteId?: number;
  serviceId?: number;
  kind?: MessageKind;
  channel?: ChannelId;
  /** The time series: one row per clinic day or per week (weeks start on Monday). */
  period?: 'day' | 'week';
  /** The breakdown table and chart. */
  breakdown?: 'site' | 'service' | 'kind' | 'channel';
}

/**
 * A median time read from a latency histogram: the true median lies in [fromMs, toMs) (toMs null: 7 days or more).
 * Buckets are at most 2× wide (1 s wide under 3 s, 1 min wide from 1 to 3 min).
 */
export interface MedianRange {
  fromMs: number;
  toMs: number | null;
}

/** The figures of a set of messages. Rates are 0–100 with one decimal, of the messages sent. */
export interface PanelFigures {
  total: number;
  byState: Record<MessageState, number>;
  sent: number; // reached the provider: sent, delivered or read
  delivered: number; // delivered or read
  read: number;
  replied: number; // sent messages with at least one reply
  failed: number;
  deliveredPct: number;
  readPct: number;
  repliedPct: number;
  /** From sent to delivered, and from sent to read; null with nothing measured. */
  medianToDelivery: MedianRange | null;
  medianToRead: MedianRange | null;
}

export interface PanelRow extends PanelFigures {
  /** Day or Monday (YYYY-MM-DD), site or service id, kind or channel. */
  key: string;
  /** What the UI shows for the key when it is not a date (site and service names; kinds and channels are ids). */
  label: string;
  /** Part of this day or week had Cloud API sends with no webhooks coming back: delivered and read are unknown. */
  statusesIncomplete?: boolean;
}

/** No-shows among appointments that have happened (attended or no-show). */
export interface NoShowFigure {
  appointments: number;
  noShows: number;
  pct: number;
}

/** Appointments starting in the range (site and service filters apply; kind and channel do not). */
export interface ReminderFigures {
  appointments: number;
  /** With at least one reminder that reached WhatsApp. */
  reminded: number;
  /** Of those, confirmed by the patient for the time it was reminded of. */
  confirmed: number;
  confirmationPct: number;
  withConfirmedReminder: NoShowFigure;
  withoutConfirmedReminder: NoShowFigure;
}

export interface PanelReport {
  from: string;
  to: string;
  /** The clinic zone whose midnights split the days. */
  timeZone: string;
  filters: { siteId: number | null; serviceId: number | null; kind: MessageKind | null; channel: ChannelId | null };
  totals: PanelFigures;
  period: 'day' | 'week';
  series: PanelRow[];
  breakdown: 'site' | 'service' | 'kind' | 'channel';
  breakdownRows: PanelRow[];
  failedByReason: { code: string; reason: string; count: number }[];
  reminders: ReminderFigures;
  /** Periods without webhooks after Cloud API sends: delivered and read figures are incomplete there. */
  statusGaps: { from: Epoch; to: Epoch }[];
}
