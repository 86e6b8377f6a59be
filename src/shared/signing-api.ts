import type { CertificateInfo } from './api';
import type { TokenCredentialSettings } from './settings';

// The typed API of signing with a token or smart card (PKCS#11), and of "Ver firma".

export interface TokenView {
  serial: string;
  label: string;
  manufacturer: string;
  model: string;
  pinCountLow: boolean;
  pinFinalTry: boolean;
  pinLocked: boolean;
}

export interface TokenCertificateView {
  id: string;
  label: string;
  info: CertificateInfo;
}

/** "Firmar pendientes": how many went, how many still wait; when the PIN or the card failed, why (nothing was signed). */
export type SignPendingResult =
  | { ok: true; signed: number; waiting: number }
  | { ok: false; code: string; reason: string; signed: 0; waiting: number };

/** "Ver firma": who signed the document as sent, when, at which level, and whether its validation data is complete. */
export interface SignatureReportView {
  signatures: {
    field: string;
    kind: 'signature' | 'document_timestamp';
    signer: string | null;
    signedAt: string | null;
    timestampedAt: string | null;
    subFilter: string | null;
  }[];
  level: 'B-B' | 'B-T' | 'B-LT' | 'B-LTA' | null;
  validationData: { certificates: number; ocspResponses: number; crls: number; complete: boolean; missing: string[] };
}

export interface SigningHandlers {
  /** "Ver firma" of a result's stored document. */
  'results.signature': (args: { id: number }) => Promise<SignatureReportView>;
  /** PKCS#11 modules found where the usual middleware installs them (OpenSC, SoftHSM, DNIe and token vendors). */
  'token.modules': (args: Record<string, never>) => string[];
  'token.list': (args: { modulePath: string }) => TokenView[];
  /** The certificates on a token (no PIN needed), to choose the one to sign with. */
  'token.certificates': (args: { modulePath: string; tokenSerial: string }) => TokenCertificateView[];
  /** Sign with this token and certificate from now on (the PIN is typed at signing time, never stored). */
  'token.use': (args: TokenCredentialSettings) => { ok: true };
  /** One PIN for every approved document that waits for a signature. */
  'token.signPending': (args: { pin: string }) => Promise<SignPendingResult>;
  /** Close the card's session now. */
  'token.lock': (args: Record<string, never>) => { ok: true };
}
