// The one API contract between the UI and the core. Desktop: IPC through the preload (window.avisa).
// Server mode: the same handlers over HTTP on loopback. The UI calls `call(name, args)` and never knows which.
import type {
  Appointment,
  ChannelId,
  Epoch,
  Language,
  Message,
  MessageKind,
  MessageState,
  PanelQuery,
  PanelReport,
  Patient,
  ResultFilter,
  ResultItem,
  Service,
  Site,
  DocumentType,
} from './domain';
import type { SecretName, SettingsPatch, SettingsView } from './settings';
import type { ReceptionSettings, ReceptionTest, ReceptionView } from './reception';
import type { SigningHandlers } from './signing-api';
import type { AppointmentHandlers } from './appointments-api';
import type {
  CampaignDraft,
  CampaignSegment,
  CampaignView,
  FollowUpRuleInput,
  FollowUpRuleView,
  SegmentPreview,
} from './campaigns';
import type { PeopleHandlers } from './people';
import type { OperationsEvents, OperationsHandlers, OperationsStatus } from './operations';

export interface AppStatus {
  version: string;
  setupComplete: boolean;
  clinicName: string;
  channel: ChannelId | null;
  demo: boolean;
  sendingPaused: boolean;
  queued: number;
  failed: number;
  /** Messages a crash left unconfirmed, waiting for a person to decide. */
  unknown: number;
  mode: 'desktop' | 'server';
  channelHealth: ChannelHealth;
  /** Where Cloud API webhooks are received, when that channel is chosen. */
  webhook: { port: number; listening: boolean; error: string | null } | null;
  /** The port the HL7 (MLLP) listener is on, when enabled. */
  hl7Port: number | null;
  /** The Cloud API has sent and no webhook came back for too long, since then: "No llegan estados de WhatsApp". */
  webhookSilentSince: Epoch | null;
  /** The Cloud API's pace: what it achieved over the last seconds against the setting. */
  sendRate: SendRate | null;
  /** Backups and the disk under the database (absent only from cores that do not run them). */
  operations?: OperationsStatus;
}

/** Accepted sends per second over the last seconds, the configured pace, the measured latency and sends in flight. */
export interface SendRate {
  perSecond: number;
  pace: number;
  latencyMs: number;
  inFlight: number;
}

export interface ChannelHealth {
  state: 'ready' | 'paused' | 'not_configured';
  /** Why, in words a receptionist understands; null when ready. */
  reason: string | null;
  code: string | null;
}

export interface MessageTimeline {
  message: Message;
  events: { state: MessageState; at: Epoch; errorCode: string | null; errorReason: string | null }[];
  replies: { id: number; body: string; receivedAt: Epoch }[];
  /**
   * The other attempts at the same content, oldest first: the WhatsApp message a copy came from, and the copies
   * (resends, the other WhatsApp channel, the e-mail) that followed it.
   */
  related: Message[];
}

/** A file the core made for the UI to save (the same over IPC and HTTP). */
export interface DownloadFile {
  filename: string;
  mimeType: string;
  base64: string;
}

/** "Enviar prueba" in Ajustes → Correo (SMTP): the server's answer, in the clinic's language. */
export interface EmailTestResult {
  ok: boolean;
  messageId: string | null;
  code: string | null;
  error: string | null;
}

export type ManualSendInput = (
  | { patientId: number; mode: 'text'; text: string }
  | { patientId: number; mode: 'template'; templateName: string; templateLanguage?: string; templateParams: string[] }
  | { patientId: number; mode: 'document'; filename: string; base64: string; caption?: string }
) & {
  /** The caller's own idempotency key: sending again with the same key returns the same message, sends nothing new. */
  clientKey?: string;
};

/** How an integrator finds a message: Avisa's id, its own idempotency key, or WhatsApp's id (wamid). */
export type MessageLookup = { id: number } | { clientKey: string } | { providerId: string };

/** One item of a bulk enqueue: the message, or why that one was refused (the others still go). */
export type BulkSendResult = { ok: true; message: Message; created: boolean } | { ok: false; code: string; message: string };

export interface TemplateInfo {
  name: string;
  language: string;
  status: string;
  category: string;
  bodyParams: number;
  headerFormat: string | null;
  /** The template's first URL button, e.g. https://portal.clinica.pe/r/{{1}}: Avisa fills the {{1}} suffix. */
  urlButtonIndex: number | null;
  urlButtonUrl: string | null;
  syncedAt: Epoch;
}

/** The clinic's phone linked like WhatsApp Web: connection, linking codes, and the sending budget. */
export interface LinkedDeviceView {
  connection: {
    state: 'disconnected' | 'connecting' | 'qr' | 'open' | 'logged_out' | 'replaced' | 'update_required' | 'account_restricted';
    /** The QR to render while linking (it changes every ~20 s). */
    qr: string | null;
    /** The 8-character code to type on the phone when linking by number. */
    pairingCode: string | null;
    /** The linked phone in E.164, once known. */
    phone: string | null;
    /** Why it is not open, in the clinic's language; null when open. */
    reason: string | null;
    /** Baileys' last close reason, e.g. "connectionLost (408)", for whoever troubleshoots. */
    lastClose: string | null;
    /** When the next automatic reconnect happens, if one is planned. */
    reconnectAt: Epoch | null;
    since: Epoch;
  };
  budget: {
    day: string;
    sent: number;
    dailyCap: number;
    firstContacts: number;
    firstContactDailyCap: number;
    minGapMs: number;
    maxGapMs: number;
    recentFailures: number;
    failureThreshold: number;
    failureWindowMs: number;
    pause: { code: string; detail: string | null; since: Epoch; until: Epoch | null } | null;
    /** Why sending through the phone is held, in the clinic's language; null when it may send. */
    reason: string | null;
    /** While a new link warms up (dailyCap is then today's smaller cap). */
    warmup: {
      /** Whole days since the link (0 on the day it was made). */
      day: number;
      days: number;
      /** The cap once the warm-up is over. */
      fullCap: number;
    } | null;
    /** WhatsApp's own quota of new chats, when it reported one. */
    whatsappQuota: { total: number; used: number } | null;
  };
  /** Replies from @lid ids still waiting for their phone number. */
  pendingReplies: number;
  /** Replies held offline longer than the limit, counted and not acted on. */
  oldOfflineReplies: number;
}

export interface ReminderRuleView {
  id: number;
  /** The reminder slot ("24h", "2h"); part of the message's idempotency key, so it never changes. */
  ruleKey: string;
  siteId: number | null; // null: every site
  serviceId: number | null; // null: every service
  leadMinutes: number;
  templateName: string;
  templateLanguage: string;
  enabled: boolean;
}

export interface ReminderSettingsView {
  /** null: the defaults for every site without its own. */
  siteId: number | null;
  /** Local minutes after midnight; null: no quiet hours. */
  quietHours: { startMinute: number; endMinute: number } | null;
  minLeadMinutes: number;
  catchUpMinBeforeMinutes: number;
}

export interface ReminderPreview {
  planned: { ruleKey: string; sendAt: Epoch; localWhen: string; movedForQuietHours: boolean; templateName: string }[];
  skipped: { ruleKey: string; code: 'too_close_to_booking' | 'quiet_hours' | 'merged'; sendAt: Epoch; localWhen: string }[];
}

/** Citas: a day's appointments with their reminders, the patients' answers, and what will not go and why. */
export interface Hl7RefusedView {
  id: number;
  receivedAt: Epoch;
  remote: string;
  controlId: string | null;
  messageType: string | null;
  ack: 'AE' | 'AR';
  code: string;
  reason: string;
}

/** An appointment row of the clinic's database that Avisa could not take, with the reason (Ajustes → Base de datos). */
export interface ClinicDbRefusedView {
  id: number;
  receivedAt: Epoch;
  /** An appointment Avisa could not take, or a result row it could not read. */
  kind: 'appointment' | 'result';
  /** The clinic's own id of the row: the appointment's id, or the result's when `kind` is result. */
  appointmentId: string;
  patientName: string;
  /** The site the row named, as written. */
  site: string | null;
  /** The start as the row wrote it (local, without offset) or as an instant. */
  start: string;
  code: string;
  reason: string;
  /** For IT: what exactly the row held (column names, the raw value), when known. */
  detail: string | null;
}

/** How server mode serves the UI beyond this machine: HTTPS with which certificate (none on the desktop or loopback). */
export type RemoteAccessView =
  | { https: false }
  | {
      https: true;
      /** Made by Avisa at first start (browsers warn about it until someone trusts it). */
      selfSigned: boolean;
      /** SHA-256 fingerprint as browsers show it (AA:BB:…). */
      fingerprintSha256: string;
      /** Where the certificate file is (PEM): IT can install it as trusted on the clinic's computers. */
      certFile: string;
      validTo: string;
      /** The names and addresses it is valid for. */
      names: string[];
    };

export interface AppointmentDay {
  appointments: Appointment[];
  reminders: {
    appointmentId: number;
    messageId: number;
    ruleKey: string;
    state: MessageState;
    notBefore: Epoch;
    sentAt: Epoch | null;
    lastErrorReason: string | null;
  }[];
  answers: { appointmentId: number; answer: 'confirmed' | 'cancelled'; at: Epoch; replyBody: string | null }[];
  issues: { appointmentId: number; ruleKey: string; code: string; severity: string; reason: string }[];
}

/** A column of an appointments CSV, whatever the file calls it. */
export type AppointmentCsvField =
  | 'documentType'
  | 'documentNumber'
  | 'firstNames'
  | 'lastNames'
  | 'phone'
  | 'site'
  | 'service'
  | 'date'
  | 'time'
  | 'dateTime'
  | 'externalId'
  | 'status'
  | 'consent';

/** One row of an appointments CSV as the preview shows it: ready to import, or with the reasons it cannot be. */
export interface AppointmentCsvRow {
  /** The row number in the file (the header is row 1), as a spreadsheet shows it. */
  line: number;
  documentType: DocumentType | null;
  documentNumber: string;
  patientName: string | null;
  phone: string | null;
  siteName: string | null;
  serviceName: string | null;
  startsAt: Epoch | null;
  /** dd/MM/yyyy HH:mm in the site's zone. */
  localWhen: string | null;
  externalId: string | null;
  status: Appointment['status'] | null;
  /** Why the row cannot be imported; empty when it can. */
  errors: { field: AppointmentCsvField; reason: string }[];
  /** Imported all the same, but worth knowing (no mobile number, a date already past). */
  warnings: string[];
  /** What importing it would do (preview) or did (import); null for a row with errors. */
  action: 'create' | 'update' | 'unchanged' | null;
}

/** One change of a patient's consent, as Pacientes shows it. */
export interface ConsentHistoryItem {
  id: number;
  status: Patient['consent'];
  /** reception_form, patient_message (BAJA / ALTA), import, demo. */
  source: Patient['consentSource'];
  at: Epoch;
  /** The person's name (personId set), or 'patient', 'import', 'system'; 'usuario' on changes from before people. */
  actor: string | null;
  personId: number | null;
  /** The patient's message that caused it, as received. */
  replyBody: string | null;
  note: string | null;
}

/** What still goes to a patient who wrote BAJA / STOP (campaigns and follow-ups never do). */
export interface ConsentPolicyView {
  resultsAfterOptOut: boolean;
  documentsAfterOptOut: boolean;
  remindersAfterOptOut: boolean;
}

export interface AppointmentCsvPreview {
  rows: AppointmentCsvRow[];
  /** A problem with the whole file (unreadable, a required column missing). */
  fileError: string | null;
  columns: string[];
  delimiter: string;
  valid: number;
  invalid: number;
}

export interface AppointmentCsvImport extends AppointmentCsvPreview {
  created: number;
  updated: number;
  unchanged: number;
  /** Patients registered from the file. */
  patientsCreated: number;
}

export interface OpenReply {
  replyId: number;
  appointmentId: number | null;
  intent: string;
  reason: string | null;
  body: string;
  fromPhone: string;
  patientId: number | null;
  receivedAt: Epoch;
}

/** "Nuevo documento": a certificate, attestation or receipt issued at the front desk. */
export interface IssueDocumentInput {
  /** Made when the form opens: submitting twice issues one document. */
  requestId: string;
  patientId: number;
  kind: ResultItem['kind'];
  title: string;
  content: { type: 'text'; body: string } | { type: 'pdf'; base64: string; filename: string };
}

export interface IssuedDocument {
  intakeId: number;
  resultId: number | null;
  /** queued: signed per its kind's rule and in the outbox; review: waiting in "por revisar" with the reason. */
  state: 'queued' | 'awaiting_approval' | 'review' | 'duplicate';
  code: string | null;
  reason: string | null;
}

export interface ResultDocument {
  filename: string;
  /** The PDF's bytes, base64. */
  base64: string;
  signed: boolean;
}

/** A result or document whose message could not go (failed for good, expired): shown in "por revisar" with its fix. */
export interface UndeliveredResult {
  resultId: number;
  kind: ResultItem['kind'];
  title: string;
  patientId: number;
  patientName: string;
  /** The number as the clinic typed it, and why it cannot take WhatsApp when it cannot. */
  patientPhone: string | null;
  phoneError: string | null;
  consent: 'unknown' | 'opted_in' | 'opted_out';
  messageId: number;
  messageState: 'failed' | 'expired';
  /** The reason in words; the provider's code for the details line. */
  reason: string;
  errorCode: string | null;
  /** What fixes it: the patient's mobile, their consent, the channel's setup, or simply another try. */
  fix: 'phone' | 'consent' | 'channel' | 'resend';
  failedAt: Epoch | null;
}

/** One document in "por revisar": what the source said, why it cannot go yet, and what can fix it. */
export interface ReviewItem {
  id: number;
  resultId: number | null;
  resultStatus: ResultItem['status'] | null;
  kind: ResultItem['kind'];
  title: string;
  source: string;
  originalName: string | null;
  /** Where the source left its file (the shared folder's errores/). */
  sourceFile: string | null;
  /** Avisa's copy of the document as received, for the preview. */
  documentFile: string | null;
  /** e.g. unknown_patient, bad_phone, no_consent, awaiting_approval, no_certificate, certificate, invalid_pdf. */
  code: string;
  reason: string;
  patientId: number | null;
  patientName: string | null;
  patientPhone: string | null;
  /** What the source said, to show beside the fix form. */
  incoming: IncomingPatient & { accessionNumber: string | null; studyUid: string | null };
  receivedAt: Epoch;
  updatedAt: Epoch;
}

/** What a source or a person knows about a patient; any part may be missing. */
export interface IncomingPatient {
  documentType?: DocumentType;
  documentNumber?: string;
  medicalRecordNumber?: string;
  firstNames?: string;
  lastNames?: string;
  phone?: string;
  /** The patient's opt-in: held by the source (recorded with provenance 'import'), or given at the front desk. */
  consent?: boolean;
}

/** A correction of a review item: assign an existing patient (`patientId`), or identify / register one. */
export interface ReviewFix extends IncomingPatient {
  id: number;
  patientId?: number;
  kind?: ResultItem['kind'];
  title?: string;
}

export interface CertificateInfo {
  subject: { commonName: string | null; organization: string | null; serialNumber: string | null; dn: string };
  issuer: { commonName: string | null; organization: string | null; dn: string };
  serial: string;
  notBefore: string;
  notAfter: string;
  /** Whole days left; negative once expired. */
  expiresInDays: number;
  /** Valid now but within 30 days of its end. */
  expiringSoon: boolean;
  fingerprintSha256: string;
  keyType: string;
}

/** The site's signing certificate as Ajustes shows it (never the key). */
export type CertificateView =
  | { configured: false }
  | { configured: true; ok: true; info: CertificateInfo }
  | { configured: true; ok: false; code: string; reason: { es: string; en: string }; info?: CertificateInfo };

/** One clinic-database source as configured in Ajustes → Fuentes (the password is a secret, never here). */
export interface ClinicDbSourceSettings {
  enabled: boolean;
  kind: 'results' | 'appointments';
  connection:
    | { driver: 'sqlite'; file: string }
    | { driver: 'postgres' | 'mysql'; host: string; port: number; database: string; user: string; ssl: boolean; sslCaFile?: string; password?: string };
  /** SELECT with the documented column aliases, filtered by :cursor. */
  query: string;
  cursorColumn: string;
  initialCursor: string | number;
  keyPrefix: string;
  timeZone: string;
  statusMap: Record<string, 'booked' | 'rescheduled' | 'cancelled' | 'attended' | 'no_show'>;
  fileBaseDir: string;
  pollSeconds: number;
  timeoutSeconds: number;
  writeBack: {
    table: string;
    keyColumn: string;
    column: string;
    sql: string;
    confirmedValue: string | number;
    cancelledValue: string | number;
  } | null;
  /** Results read from this database go without a person's approval (the clinic trusts it validated them). */
  trustedResults?: boolean;
  /** The database's site codes → Avisa's sites (appointments). */
  siteCodes?: { code: string; siteId: number }[];
}

export type ClinicDbTestResult =
  | { ok: true; columns: string[]; rows: Record<string, string | null>[]; missing: string[] }
  | { ok: false; code: string; es: string; en: string; detail: string };

export interface CloudApiCheck {
  ok: boolean;
  displayPhoneNumber: string | null;
  verifiedName: string | null;
  qualityRating: string | null;
  error: string | null;
}

export interface SetupInput {
  clinicName: string;
  sites: { name: string; country: string; timeZone: string }[];
  services: { name: string }[];
  channel: ChannelId;
  language?: Language;
}

export interface NewPatientInput {
  firstNames: string;
  lastNames: string;
  documentType: DocumentType;
  documentNumber: string;
  birthDate?: string | null;
  phone?: string | null;
  email?: string | null;
  siteId?: number | null;
  consent?: boolean;
}

export interface PatientUpdate {
  id: number;
  firstNames?: string;
  lastNames?: string;
  birthDate?: string | null;
  phone?: string | null;
  email?: string | null;
  siteId?: number | null;
  consent?: boolean;
}

export interface Page<T> {
  rows: T[];
  total: number;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** Id of the first event whose link is broken (edited, or the one after a deleted row). */
  firstBrokenId: number | null;
  reason: string | null;
}

/** Every handler: name → (args) => result. Args are validated again in the core (zod): the UI is not trusted. */
export interface AvisaHandlers extends PeopleHandlers, OperationsHandlers, SigningHandlers, AppointmentHandlers {
  'app.status': (args: Record<string, never>) => AppStatus;
  'setup.complete': (args: SetupInput) => AppStatus;
  'panel.summary': (args: PanelQuery) => PanelReport;
  /** What the Panel shows for the same question, as CSV (UTF-8 with BOM, so Excel reads the accents). */
  'panel.csv': (args: PanelQuery) => { filename: string; csv: string };
  'messages.list': (args: {
    state?: MessageState;
    search?: string;
    /** Only failures nobody has resent yet (what the header's "N con falla" counts). */
    openFailures?: boolean;
    limit?: number;
    offset?: number;
  }) => Page<Message>;
  'messages.resend': (args: { id: number }) => Message;
  'messages.cancel': (args: { id: number }) => Message;
  /** A message WhatsApp cannot deliver to this number: its document by e-mail to the patient (the new message). */
  'messages.sendByEmail': (args: { id: number }) => Message;
  'messages.timeline': (args: { id: number }) => MessageTimeline;
  'messages.send': (args: ManualSendInput) => Message;
  'messages.lookup': (args: MessageLookup) => Message | null;
  'messages.counts': (args: { channel?: ChannelId; kind?: MessageKind }) => Record<MessageState, number>;
  'messages.sendBulk': (args: { messages: ManualSendInput[] }) => BulkSendResult[];
  /** Clears a pause (a person's or an account problem's) and lets the queue flow again. */
  'sending.resume': (args: Record<string, never>) => AppStatus;
  'cloudApi.templates': (args: Record<string, never>) => TemplateInfo[];
  'cloudApi.syncTemplates': (args: Record<string, never>) => Promise<TemplateInfo[]>;
  'cloudApi.check': (args: Record<string, never>) => Promise<CloudApiCheck>;
  'cloudApi.sendTest': (args: { phone: string; text?: string }) => Message;
  'reception.view': (args: Record<string, never>) => ReceptionView;
  'reception.configure': (args: Partial<ReceptionSettings>) => Promise<ReceptionView>;
  'reception.register': (args: Record<string, never>) => Promise<ReceptionView>;
  'reception.test': (args: Record<string, never>) => Promise<ReceptionTest>;
  /** Null unless the linked-device channel is chosen. */
  'linkedDevice.view': (args: Record<string, never>) => LinkedDeviceView | null;
  'linkedDevice.link': (args: { method: 'qr' } | { method: 'code'; phone: string }) => LinkedDeviceView | null;
  'linkedDevice.unlink': (args: Record<string, never>) => Promise<LinkedDeviceView | null>;
  /** "Usar aquí": take the session back after another WhatsApp Web replaced it, or retry now. */
  'linkedDevice.reconnect': (args: Record<string, never>) => LinkedDeviceView | null;
  'patients.list': (args: { search?: string; limit?: number; offset?: number }) => Page<Patient>;
  'patients.create': (args: NewPatientInput) => Patient;
  /** Fix a patient's details; a new phone is normalised again, a consent change is recorded with its time. */
  'patients.update': (args: PatientUpdate) => Patient;
  /** Every change of the patient's consent, newest first: status, source, time, who, and the message that caused it. */
  'patients.consentHistory': (args: { patientId: number }) => ConsentHistoryItem[];
  'consent.policy': (args: Record<string, never>) => ConsentPolicyView;
  /** Re-plans reminders of patients who opted out, since the policy decides whether theirs go. */
  'consent.setPolicy': (args: ConsentPolicyView) => ConsentPolicyView;
  'appointments.list': (args: { from: Epoch; to: Epoch; siteId?: number }) => Appointment[];
  'appointments.day': (args: { from: Epoch; to: Epoch; siteId?: number }) => AppointmentDay;
  /** Manual entry at the front desk; its reminders are planned at once. */
  'appointments.create': (args: { patientId: number; siteId: number; serviceId: number; startsAt: Epoch }) => Appointment;
  'appointments.setStatus': (args: { id: number; status: 'booked' | 'cancelled' | 'attended' | 'no_show' }) => Appointment;
  /** "Importar CSV": every row checked, nothing written. */
  'appointments.csvPreview': (args: { csv: string }) => AppointmentCsvPreview;
  /** Imports the valid rows (patients matched or registered, appointments upserted and planned); again is a no-op. */
  'appointments.csvImport': (args: { csv: string }) => AppointmentCsvImport;
  'reminders.rules': (args: Record<string, never>) => { rules: ReminderRuleView[]; settings: ReminderSettingsView[] };
  'reminders.saveRule': (args: {
    id?: number;
    siteId: number | null;
    serviceId: number | null;
    leadMinutes: number;
    templateName: string;
    templateLanguage?: string;
    enabled?: boolean;
  }) => { rules: ReminderRuleView[]; settings: ReminderSettingsView[] };
  'reminders.deleteRule': (args: { id: number }) => { rules: ReminderRuleView[]; settings: ReminderSettingsView[] };
  'reminders.saveSettings': (args: {
    siteId: number | null;
    quietHours?: { startMinute: number; endMinute: number } | null;
    minLeadMinutes?: number;
    catchUpMinBeforeMinutes?: number;
  }) => { rules: ReminderRuleView[]; settings: ReminderSettingsView[] };
  /** When each reminder of an appointment would go, with quiet hours and the minimum lead applied. */
  'reminders.preview': (args: { siteId: number; serviceId: number; startsAt: Epoch; bookedAt?: Epoch }) => ReminderPreview;
  'replies.open': (args: Record<string, never>) => OpenReply[];
  'replies.attend': (args: { replyId: number }) => OpenReply[];
  'results.list': (args: { filter?: ResultFilter; limit?: number; offset?: number }) => Page<ResultItem>;
  /** The PDF as it is (or will be) sent: the signed copy when there is one, else the original; of a review item, what arrived. */
  'results.document': (args: { id: number; of?: 'result' | 'review' }) => ResultDocument;
  /** Send a result that has not gone yet: approves it when it waits for approval (or was dismissed), then signs and queues it. */
  'results.send': (args: { id: number }) => Promise<ResultItem>;
  /** Send a result again (the patient lost it, or the last attempt failed): a new message with the same document. */
  'results.resend': (args: { id: number }) => ResultItem;
  /** "Por revisar": documents that cannot go yet, with the reason. */
  'results.review': (args: { limit?: number; offset?: number }) => Page<ReviewItem>;
  /** "Por revisar" too: results and documents whose message failed for good or expired, each with what fixes it. */
  'results.undelivered': (args: { limit?: number; offset?: number }) => Page<UndeliveredResult>;
  'documents.issue': (args: IssueDocumentInput) => Promise<IssuedDocument>;
  /** Fix the patient or the document's details, then try again. */
  'results.fix': (args: ReviewFix) => Promise<Page<ReviewItem>>;
  'results.approve': (args: { id: number }) => Promise<Page<ReviewItem>>;
  /** Try again as it is (e.g. after installing the certificate). */
  'results.retry': (args: { id: number }) => Promise<Page<ReviewItem>>;
  'results.dismiss': (args: { id: number }) => Page<ReviewItem>;
  'certificate.info': (args: Record<string, never>) => CertificateView;
  /** Configures (or removes, with null) one clinic-database source; a new password is stored encrypted. */
  /** HL7 messages answered AE/AR, newest first, with the reason; they stay until processed again and taken. */
  'hl7.refused': (args: Record<string, never>) => Hl7RefusedView[];
  /** Processes a kept message again (after mapping its site code, for instance). */
  'hl7.retry': (args: { id: number }) => { taken: boolean; reason: string | null };
  /** Appointments of the clinic's database refused (unknown site…), newest first, until processed again and taken. */
  'clinicDb.refused': (args: Record<string, never>) => ClinicDbRefusedView[];
  /** Processes a refused appointment again (after mapping its site code, for instance). */
  'clinicDb.retry': (args: { id: number }) => { taken: boolean; reason: string | null };
  /** The clinic database's site codes → Avisa's sites; changes nothing else (the cursor stays where it is). */
  'clinicDb.setSiteCodes': (args: { siteCodes: { code: string; siteId: number }[] }) => ClinicDbSourceSettings | null;
  /** Server mode's HTTPS certificate, so IT can compare its fingerprint with the browser's warning. */
  'remoteAccess.certificate': (args: Record<string, never>) => RemoteAccessView;
  'sources.clinicDb.set': (args: {
    kind: 'results' | 'appointments';
    config: ClinicDbSourceSettings | null;
    password?: string;
  }) => Promise<{ results: ClinicDbSourceSettings | null; appointments: ClinicDbSourceSettings | null }>;
  /** "Probar consulta": the first rows the query returns, or the database's error. */
  'sources.clinicDb.test': (args: { kind: 'results' | 'appointments' }) => Promise<ClinicDbTestResult>;
  /** Checks the PKCS#12 (.p12/.pfx) and its password, and installs both (encrypted) only when they are valid. */
  'certificate.install': (args: { base64: string; password: string }) => CertificateView;
  'sites.list': (args: Record<string, never>) => Site[];
  'services.list': (args: Record<string, never>) => Service[];
  'settings.get': (args: Record<string, never>) => SettingsView;
  'settings.update': (args: SettingsPatch) => SettingsView;
  'secrets.set': (args: { name: SecretName; value: string }) => SettingsView;
  'audit.verify': (args: Record<string, never>) => AuditVerification;

  // Campañas, post-visit follow-up and patient tags.
  'campaigns.list': (args: Record<string, never>) => CampaignView[];
  /** Who a segment reaches now, and who it leaves out and why (no consent, opted out, no mobile). */
  'campaigns.preview': (args: { segment: CampaignSegment }) => SegmentPreview;
  'campaigns.create': (args: CampaignDraft) => CampaignView;
  /** Now, or at a local date-time (YYYY-MM-DDTHH:mm) in the clinic's zone. */
  'campaigns.schedule': (args: { id: number; localDateTime?: string }) => CampaignView;
  'campaigns.cancel': (args: { id: number }) => CampaignView;
  'followUps.rules': (args: Record<string, never>) => FollowUpRuleView[];
  'followUps.saveRule': (args: FollowUpRuleInput) => FollowUpRuleView[];
  /** Deleting a rule withdraws its follow-ups that have not gone yet. */
  'followUps.deleteRule': (args: { id: number }) => FollowUpRuleView[];
  'tags.list': (args: Record<string, never>) => { tag: string; patients: number }[];
  'patients.tags': (args: { ids: number[] }) => { patientId: number; tags: string[] }[];
  'patients.setTags': (args: { id: number; tags: string[] }) => string[];
  /** Sends one e-mail now with the saved SMTP settings (not through the queue). */
  'email.sendTest': (args: { to: string }) => Promise<EmailTestResult>;
  /**
   * "Exportar evidencia": every message to one patient created in [from, to), with its document's SHA-256, provider
   * id, each status with its time, replies, and each event's place and hash in the audit chain.
   */
  'evidence.export': (args: { patientId: number; from?: Epoch; to?: Epoch; format: 'csv' | 'pdf' }) => Promise<DownloadFile>;
}

export type HandlerName = keyof AvisaHandlers;
export type ArgsOf<N extends HandlerName> = Parameters<AvisaHandlers[N]>[0];
export type ResultOf<N extends HandlerName> = Awaited<ReturnType<AvisaHandlers[N]>>;

/** Live events pushed from the core to every open UI. */
export interface AvisaEvents extends OperationsEvents {
  'message.changed': { id: number; state: MessageState };
  'status.changed': AppStatus;
  'reply.received': { id: number; messageId: number | null; body: string };
  'linkedDevice.changed': LinkedDeviceView;
  /** Something a person must know now (the phone was unlinked, another session took over, sending paused). */
  'channel.alert': { channel: ChannelId; alert: string; reason: string };
  /** Patients were added or changed (by a person, an import, or a result naming someone new); null: several. */
  'patients.changed': { id: number | null };
  /** Results or the items waiting for review arrived or changed (approved, fixed, dismissed, retried); null: several. */
  'results.changed': { id: number | null };
  /** Campaigns were created, scheduled or cancelled, or their messages moved; null: several. */
  'campaigns.changed': { id: number | null };
  /** Appointments or the replies to attend changed (by a person, an import, HL7, the clinic database); null: several. */
  'appointments.changed': { id: number | null };
  /** An HL7 message was refused (AE/AR) and kept, or one kept was processed again; id: the kept message. */
  'hl7Refused.changed': { id: number | null };
  /** A clinic-database appointment was refused and kept, or left that list (taken, read again); null: several. */
  'clinicDbRefused.changed': { id: number | null };
  /** A calendar job ran, or the jobs were set again (a time or a zone changed); null: several. */
  'jobs.changed': { name: string | null };
  /** A backup finished (its run's id) or the backups' folder changed (null): the list of backups may differ. */
  'backups.changed': { id: number | null };
  /** What Ajustes → Recepción shows changed: tunnel, public address, registration, a webhook received or refused. */
  'reception.changed': { id: number | null };
  /** A professional's own signing credential was linked, unlinked, opened or locked; id: the person, null: unknown. */
  'professionalCredentials.changed': { id: number | null };
}
export type EventName = keyof AvisaEvents;
export type AvisaEvent = { [N in EventName]: { name: N; data: AvisaEvents[N] } }[EventName];

/** A failure the UI shows as is: `message` is already in the user's language, `code` is stable. */
export interface ApiErrorBody {
  code: string;
  message: string;
}

export type ApiResponse<T> = { ok: true; result: T } | { ok: false; error: ApiErrorBody };

/** What the preload exposes as window.avisa and what the browser client implements over HTTP. */
export interface AvisaBridge {
  call<N extends HandlerName>(name: N, args: ArgsOf<N>): Promise<ApiResponse<ResultOf<N>>>;
  subscribe(listener: (event: AvisaEvent) => void): () => void;
}
