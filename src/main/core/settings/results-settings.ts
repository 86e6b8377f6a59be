import { z } from 'zod';

// The settings of the results path (sources, approval, signing rules per kind, imaging links), as zod fragments the
// composition root plugs into the settings schema. Kept here so the defaults sit beside the code that reads them.

/** required: never sent unsigned; if_available: signed when a valid certificate is configured; never: as received. */
export const signatureRuleSchema = z.enum(['required', 'if_available', 'never']);
export type SignatureRule = z.infer<typeof signatureRuleSchema>;

const kindRule = (defaults: { signature: SignatureRule; template: string; filePrefix: string; signReason: string }) =>
  z
    .object({
      signature: signatureRuleSchema.default(defaults.signature),
      /** Cloud API template; its body parameters are [first name, title]. */
      template: z.string().min(1).default(defaults.template),
      /**
       * Used instead of `template` when the message carries an imaging link: [first name, title, link]. Empty: the
       * link only travels in the text (linked device), since a template's parameter count is fixed at Meta.
       */
      imagingTemplate: z.string().default(''),
      /** First word of the file name the patient sees, e.g. Resultado_Hemograma_2025-03-05.pdf. */
      filePrefix: z.string().min(1).default(defaults.filePrefix),
      /** The signature's /Reason. */
      signReason: z.string().min(1).default(defaults.signReason),
      /** The corner from which the stamp looks for an empty spot on the page. */
      stampCorner: z.enum(['bottom-right', 'bottom-left', 'top-right', 'top-left']).default('bottom-right'),
      /** PAdES level when a TSA is configured: B-LT embeds the validation data, B-LTA adds a document timestamp. */
      padesLevel: z.enum(['B-T', 'B-LT', 'B-LTA']).default('B-LT'),
    })
    .prefault({});

export const resultsSettingsSchema = z
  .object({
    /** Results wait for a person's approval click in Resultados before they are signed and sent. */
    requireManualApproval: z.boolean().default(false),
    /** Document type assumed when a source gives only a number (most patients in Peru identify with their DNI). */
    defaultDocumentType: z.enum(['DNI', 'CE', 'PASAPORTE']).default('DNI'),
    /** Tokens {studyUid} and {accession}, e.g. https://pacs.clinica.pe/viewer?StudyInstanceUIDs={studyUid}. */
    viewerUrlTemplate: z.string().default(''),
    /** Orthanc REST base URL, to find a study's UID from its accession number; empty: no lookup. */
    orthancUrl: z.string().default(''),
    orthancUsername: z.string().default(''),
    /**
     * The patient portal's page of one item, e.g. https://portal.clinica.pe/r/{code}; tokens {code} (verification
     * code), {resultId}, {accession}. Empty: no portal link. Sent in the text and in a template's URL button.
     */
    portalUrlTemplate: z.string().default(''),
    /** Per site (by id), when each site has its own portal; a site without an entry uses portalUrlTemplate. */
    portalUrlTemplates: z.record(z.string(), z.string()).default({}),
    kinds: z
      .object({
        result: kindRule({
          signature: 'required',
          template: 'resultado_listo',
          filePrefix: 'Resultado',
          signReason: 'Resultado de laboratorio',
        }),
        certificate: kindRule({
          signature: 'required',
          template: 'certificado_listo',
          filePrefix: 'Certificado',
          signReason: 'Certificado médico',
        }),
        attestation: kindRule({
          signature: 'required',
          template: 'constancia_lista',
          filePrefix: 'Constancia',
          signReason: 'Constancia',
        }),
        receipt: kindRule({
          signature: 'if_available',
          template: 'recibo_listo',
          filePrefix: 'Recibo',
          signReason: 'Recibo',
        }),
      })
      .prefault({}),
  })
  .prefault({});

export const folderSourceSettingsSchema = z
  .object({
    enabled: z.boolean().default(false),
    path: z.string().default(''),
    /** Tokens: {documentNumber} {documentType} {accession} {kind} {title} {studyUid}; matched without case. */
    pattern: z.string().min(1).default('{documentNumber}_{accession}_{kind}.pdf'),
    /** Network shares (SMB) deliver no change events: polling is the default that always works. */
    usePolling: z.boolean().default(true),
    pollIntervalMs: z.number().int().min(50).max(60_000).default(2000),
    /** A file is taken once its size has not changed for this long. */
    stabilityMs: z.number().int().min(50).max(120_000).default(2000),
    /** How long a PDF whose name does not follow the pattern waits for its .json sidecar (and a sidecar for its PDF). */
    sidecarWaitMs: z.number().int().min(0).max(600_000).default(10_000),
    /** Beside the original in enviados/, the signed PDF as the patient got it: <name>.firmado.pdf. */
    signedCopy: z.boolean().default(true),
  })
  .prefault({});

export const signingSettingsSchema = z
  .object({
    /** The signature's /Location, e.g. "Lima, Perú". */
    location: z.string().default(''),
    /** RFC 3161 Time Stamping Authority: with it signatures reach PAdES B-T. */
    tsaUrl: z.string().default(''),
    /** When the TSA fails: false refuses to sign (the result waits in review); true signs at B-B. */
    tsaOptional: z.boolean().default(false),
    /** When no OCSP responder or CRL answers: true signs at B-T (the warning is kept), false waits in review. */
    revocationOptional: z.boolean().default(true),
    stampPage: z.enum(['first', 'last']).default('last'),
    /** No empty spot for the stamp on that page: add a signature page at the end, or sign without a stamp. */
    stampWhenFull: z.enum(['signature_page', 'invisible']).default('signature_page'),
    /** A PDF certified by its issuer (DocMDP): signed without a stamp (validators allow no new visible field), or refused. */
    certifiedPdf: z.enum(['invisible', 'refuse']).default('invisible'),
    /** What signs: the PKCS#12 file installed in Ajustes, or a token / smart card (DNIe) through its PKCS#11 module. */
    credential: z.enum(['p12', 'token']).default('p12'),
    /** The token's module, the token (by serial) and the certificate on it (CKA_ID, hex); the PIN is never stored. */
    token: z
      .object({
        modulePath: z.string().min(1),
        tokenSerial: z.string().min(1),
        certificateId: z.string().regex(/^[0-9a-f]+$/i),
        /** The professional who holds this credential (a person's id), when it is not the site's. */
        holderId: z.number().int().positive().nullable().default(null),
      })
      .nullable()
      .default(null),
    /** Keep the card's session open after "Firmar pendientes" until the app closes or a person locks it. */
    keepTokenSession: z.boolean().default(false),
    /** A result signed with a professional's own certificate is then sealed with the site's (a second signature). */
    sealProfessionalSignatures: z.boolean().default(false),
    /** Keep a professional's card session (or opened .p12) after they sign, while their own session lasts. */
    keepProfessionalSession: z.boolean().default(false),
  })
  .prefault({});

export type ResultsSettings = z.infer<typeof resultsSettingsSchema>;
export type KindRule = ResultsSettings['kinds']['result'];
export type FolderSourceSettings = z.infer<typeof folderSourceSettingsSchema>;
export type SigningSettings = z.infer<typeof signingSettingsSchema>;
