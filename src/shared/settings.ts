import type { ChannelId, Language, MessageKind } from './domain';
import type { ClinicDbSourceSettings } from './api';

/** Settings as the UI sees them. Secrets are never sent to the UI: only whether each one is set. */
export interface SettingsView {
  clinicName: string;
  setupComplete: boolean;
  language: Language;
  channel: ChannelId | null;
  sendingPaused: boolean;
  openAtLogin: boolean;
  cloudApi: {
    baseUrl: string;
    apiVersion: string;
    phoneNumberId: string;
    wabaId: string;
    maxPerSecond: number;
    recipientGapMs: number;
    fallbackTemplate: string;
    documentTemplate: string;
    retryBaseSeconds: number;
    templateLanguage: string;
    webhookPort: number;
  };
  dailyCap: number;
  unknownAfterMinutes: number;
  autoResendUnknown: boolean;
  channelProblem: { code: string; reason: string; at: number } | null;
  linkedDevice: LinkedDeviceBudgetSettings;
  /** The clinic's SMTP server, for e-mail copies of what WhatsApp could not deliver (the password is a secret). */
  email: EmailSettingsView;
  /** Per kind of message: the channel it goes through and the one it falls back to after a definitive failure. */
  routing: Partial<Record<MessageKind, ChannelRoute>>;
  results: ResultsSettingsView;
  folderSource: FolderSourceSettingsView;
  /** siteCodes: the sender's location codes that mean each site (when they are not the site's name). */
  hl7: {
    enabled: boolean;
    host: string;
    port: number;
    siteCodes: { code: string; siteId: number }[];
    allowedAddresses: string[];
    trustedSenders: string[];
    maxMessageMb: number;
    idleTimeoutSeconds: number;
    maxConnections: number;
    tlsCertFile: string;
    tlsKeyFile: string;
  };
  /** Configured through `sources.clinicDb.set`; passwords are secrets and never appear here. */
  clinicDb: { results: ClinicDbSourceSettings | null; appointments: ClinicDbSourceSettings | null };
  signing: SigningSettingsView;
  /** Desktop auto-lock and browser session lifetimes; whether Recepción may launch campaigns (else Administración). */
  people: { autoLockMinutes: number; sessionIdleMinutes: number; sessionMaxHours: number; receptionLaunchesCampaigns: boolean };
  /** Kinds that wait for a health professional's validation; sources whose own validation is trusted. */
  signOff: { requiredKinds: ('result' | 'certificate' | 'attestation' | 'receipt')[]; trustedSources: string[] };
  secrets: Record<SecretName, boolean>;
}

export interface KindRuleView {
  /** required: never sent unsigned; if_available: signed when a certificate is set; never: as received. */
  signature: 'required' | 'if_available' | 'never';
  template: string;
  imagingTemplate: string;
  filePrefix: string;
  signReason: string;
  /** Where the stamp starts looking for an empty spot. */
  stampCorner: 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';
  /** PAdES level when a TSA is configured. */
  padesLevel: 'B-T' | 'B-LT' | 'B-LTA';
}

export interface ResultsSettingsView {
  requireManualApproval: boolean;
  defaultDocumentType: 'DNI' | 'CE' | 'PASAPORTE';
  /** Tokens {studyUid} and {accession}. */
  viewerUrlTemplate: string;
  orthancUrl: string;
  orthancUsername: string;
  /** Tokens {code}, {resultId}, {accession}; e.g. https://portal.clinica.pe/r/{code}. */
  portalUrlTemplate: string;
  /** Site id → its own portal template. */
  portalUrlTemplates: Record<string, string>;
  kinds: Record<'result' | 'certificate' | 'attestation' | 'receipt', KindRuleView>;
}

export interface FolderSourceSettingsView {
  enabled: boolean;
  path: string;
  /** Tokens {documentNumber} {documentType} {accession} {kind} {title} {studyUid}. */
  pattern: string;
  usePolling: boolean;
  pollIntervalMs: number;
  stabilityMs: number;
  sidecarWaitMs: number;
  /** Also write the signed PDF to enviados/ as <name>.firmado.pdf. */
  signedCopy: boolean;
}

export interface SigningSettingsView {
  location: string;
  tsaUrl: string;
  tsaOptional: boolean;
  revocationOptional: boolean;
  stampPage: 'first' | 'last';
  stampWhenFull: 'signature_page' | 'invisible';
  certifiedPdf: 'invisible' | 'refuse';
  credential: 'p12' | 'token';
  token: TokenCredentialSettings | null;
  keepTokenSession: boolean;
  sealProfessionalSignatures: boolean;
  keepProfessionalSession: boolean;
}

export interface TokenCredentialSettings {
  modulePath: string;
  tokenSerial: string;
  certificateId: string;
  holderId: number | null;
}

export interface EmailSettingsView {
  /** Send the same content by e-mail when WhatsApp cannot deliver and the patient has an address. */
  fallback: boolean;
  host: string;
  port: number;
  /** tls: TLS from the first byte (usually port 465); starttls: upgrade required (587); none: only a local relay. */
  security: 'tls' | 'starttls' | 'none';
  user: string;
  fromAddress: string;
  fromName: string;
}

export interface ChannelRoute {
  primary: ChannelId;
  fallback: ChannelId | null;
}

/** How gently the clinic's own phone sends (0 = no cap / never pause). */
export interface LinkedDeviceBudgetSettings {
  minGapSeconds: number;
  maxGapSeconds: number;
  dailyCap: number;
  firstContactDailyCap: number;
  failurePauseCount: number;
  failureWindowMinutes: number;
  /** A new link starts at this daily cap and grows to dailyCap over warmupDays (0 = no warm-up). */
  warmupStartCap: number;
  warmupDays: number;
  /** Replies WhatsApp held while Avisa was closed are acted on only if at most this old. */
  offlineReplyMaxDays: number;
}

export type SecretName =
  | 'cloudApi.accessToken'
  | 'cloudApi.appSecret'
  | 'cloudApi.verifyToken'
  | 'cloudApi.tunnelToken'
  | 'certificate.password'
  | 'email.password';

export type SettingsPatch = Partial<
  Pick<
    SettingsView,
    | 'clinicName'
    | 'language'
    | 'channel'
    | 'sendingPaused'
    | 'openAtLogin'
    | 'dailyCap'
    | 'unknownAfterMinutes'
    | 'autoResendUnknown'
    | 'routing'
    | 'signOff'
  >
> & {
  people?: Partial<SettingsView['people']>;
  cloudApi?: Partial<SettingsView['cloudApi']>;
  linkedDevice?: Partial<LinkedDeviceBudgetSettings>;
  email?: Partial<EmailSettingsView>;
  folderSource?: Partial<FolderSourceSettingsView>;
  hl7?: Partial<SettingsView['hl7']>;
  signing?: Partial<SigningSettingsView>;
  results?: Partial<Omit<ResultsSettingsView, 'kinds'>> & { kinds?: Partial<ResultsSettingsView['kinds']> };
};
