// The one API contract between the UI and the core. Desktop: IPC through the preload (window.avisa).
// Server mode: the same handlers over HTTP on loopback. The UI calls `call(name, args)` and never knows which.
import type {
  Appointment,
  ChannelId,
  Epoch,
  Language,
  Message,
  MessageState,
  PanelSummary,
  Patient,
  ResultItem,
  Service,
  Site,
  DocumentType,
} from './domain';
import type { SecretName, SettingsPatch, SettingsView } from './settings';

export interface AppStatus {
  version: string;
  setupComplete: boolean;
  clinicName: string;
  channel: ChannelId | null;
  demo: boolean;
  sendingPaused: boolean;
  queued: number;
  failed: number;
  mode: 'desktop' | 'server';
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
export interface AvisaHandlers {
  'app.status': (args: Record<string, never>) => AppStatus;
  'setup.complete': (args: SetupInput) => AppStatus;
  'panel.summary': (args: { from?: Epoch; to?: Epoch }) => PanelSummary;
  'messages.list': (args: {
    state?: MessageState;
    search?: string;
    limit?: number;
    offset?: number;
  }) => Page<Message>;
  'messages.resend': (args: { id: number }) => Message;
  'messages.cancel': (args: { id: number }) => Message;
  'patients.list': (args: { search?: string; limit?: number; offset?: number }) => Page<Patient>;
  'patients.create': (args: NewPatientInput) => Patient;
  'appointments.list': (args: { from: Epoch; to: Epoch; siteId?: number }) => Appointment[];
  'results.list': (args: { limit?: number; offset?: number }) => Page<ResultItem>;
  'sites.list': (args: Record<string, never>) => Site[];
  'services.list': (args: Record<string, never>) => Service[];
  'settings.get': (args: Record<string, never>) => SettingsView;
  'settings.update': (args: SettingsPatch) => SettingsView;
  'secrets.set': (args: { name: SecretName; value: string }) => SettingsView;
  'audit.verify': (args: Record<string, never>) => AuditVerification;
}

export type HandlerName = keyof AvisaHandlers;
export type ArgsOf<N extends HandlerName> = Parameters<AvisaHandlers[N]>[0];
export type ResultOf<N extends HandlerName> = ReturnType<AvisaHandlers[N]>;

/** Live events pushed from the core to every open UI. */
export interface AvisaEvents {
  'message.changed': { id: number; state: MessageState };
  'status.changed': AppStatus;
  'reply.received': { id: number; messageId: number | null; body: string };
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
