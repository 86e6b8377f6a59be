import type { CertificateInfo } from './api';
import type { ResultValidation } from './people';
import type { TokenCredentialSettings } from './settings';

// The typed API of signing with a token or smart card (PKCS#11), and of "Ver firma".

export interface TokenView {
  serial: string;
  label: string;
  manufacturer: string;
  model: string;
  /** The token counts wrong PINs: one more may lock it. */
  pinCountLow: boolean;
  pinFinalTry: boolean;
  pinLocked: boolean;
}

export interface TokenCertificateView {
  /** CKA_ID of the certificate and its private key, hex. */
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
    /** The claimed time (/M) of a signature. */
    signedAt: string | null;
    /** The TSA's time: of the signature timestamp, or of the document timestamp. */
    timestampedAt: string | null;
    subFilter: string | null;
  }[];
  /** The level of the last signature (not counting document timestamps). */
  level: 'B-B' | 'B-T' | 'B-LT' | 'B-LTA' | null;
  validationData: {
    certificates: number;
    ocspResponses: number;
    crls: number;
    /** Every certificate of the last signature's chain (roots aside) has an OCSP response or a CRL in the DSS. */
    complete: boolean;
    /** Certificates without revocation data. */
    missing: string[];
  };
}

/** A professional's own signing credential, linked to their person (Ajustes → Certificado). */
export interface ProfessionalCredentialView {
  personId: number;
  personName: string;
  registryNumber: string | null;
  kind: 'token' | 'p12';
  /** The certificate's subject (CN), as the stamp will name the signer. */
  subject: string;
  notAfter: string;
  tokenSerial: string | null;
  /** Open now: the next result they validate is signed without asking for the PIN or password. */
  open: boolean;
}

/** What a professional sees of their own credential. */
export type MyCredentialView =
  | { linked: false }
  | { linked: true; kind: 'token' | 'p12'; subject: string; notAfter: string; open: boolean; waiting: number };

/** Validated and signed with the professional's own credential (queued), or validated and waiting, with the reason. */
export interface ValidateSignedResult {
  validation: ResultValidation;
  state: 'queued' | 'waiting';
  reason: string | null;
}

export interface ProfessionalSigningHandlers {
  'professional.credentials': (args: Record<string, never>) => ProfessionalCredentialView[];
  /** Links a certificate on a token to a professional (no PIN needed to choose it; it is typed when they sign). */
  'professional.linkToken': (args: { personId: number; modulePath: string; tokenSerial: string; certificateId: string }) => Promise<ProfessionalCredentialView>;
  /** Links a .p12 to a professional: the password is typed to check it, and never stored. */
  'professional.linkP12': (args: { personId: number; base64: string; password: string }) => ProfessionalCredentialView;
  'professional.unlink': (args: { personId: number }) => { ok: true };
  'professional.mine': (args: Record<string, never>) => MyCredentialView;
  /** One PIN or password for every result this professional validated that waits for their signature. */
  'professional.signMine': (args: { secret: string }) => Promise<SignPendingResult>;
  'professional.lockMine': (args: Record<string, never>) => { ok: true };
  /** Validate a result and sign it with one's own credential, its PIN or password typed now (or kept open). */
  'results.validateSigned': (args: { id: number; secret?: string }) => Promise<ValidateSignedResult>;
}

export interface SigningHandlers extends ProfessionalSigningHandlers {
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
