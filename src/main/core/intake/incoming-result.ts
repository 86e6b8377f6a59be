import type { IncomingPatient } from '../../../shared/api';
import type { ResultKind } from '../../../shared/domain';
import type { Reason } from '../documents/texts';

// The one shape every source (shared folder, clinic database, HL7 ORU) hands to the results intake.

/** What a source knows about the patient; any part may be missing (the API contract's type). */
export type { IncomingPatient };

export interface IncomingResult {
  /** 'folder', 'database', 'hl7', …: shown in the review queue and the audit trail. */
  source: string;
  /**
   * Stable identity of this document at its source: the same key seen again is the same result (folder: content hash
   * and kind; database: the row's id; HL7: the result's placer/filler id). Unique across sources, so prefix it.
   */
  sourceKey: string;
  kind: ResultKind;
  title: string;
  /** The document as received; null when the source could not read it (the reason goes in `problem`). */
  pdf: Uint8Array | null;
  /** Name of the file as the source had it, for the queue and the motivo file. */
  originalName?: string;
  patient: IncomingPatient;
  accessionNumber?: string | null;
  studyUid?: string | null;
  /** Sources deliver approved results; false holds this one for a person's approval whatever the settings say. */
  approved?: boolean;
  approvedBy?: string | null;
  approvedAt?: number | null;
  /** A problem the source found before intake (no metadata, unknown kind, not a PDF): lands in review as is. */
  problem?: { code: SourceProblemCode; reason: Reason };
}

export type SourceProblemCode = 'no_metadata' | 'bad_sidecar' | 'unknown_kind' | 'not_pdf' | 'unreadable';

/** Why a result waits in "por revisar". */
export type ReviewCode =
  | SourceProblemCode
  | 'invalid_pdf'
  /** Certified by its issuer so that no signature may be added (DocMDP P=1), or certified and the clinic refuses those. */
  | 'locked_pdf'
  | 'unknown_patient'
  | 'incomplete_patient'
  | 'bad_phone'
  | 'no_consent'
  | 'opted_out'
  | 'awaiting_approval'
  /** Its kind needs a health professional's validation in Avisa. */
  | 'awaiting_validation'
  | 'no_certificate'
  | 'certificate'
  | 'signature_failed'
  | 'storage_failed'
  /** Something unexpected (the disk, the database): the item waits with the error rather than vanishing. */
  | 'internal';

/**
 * What became of a record. `queued`: signed (when its kind requires it) and in the outbox. `awaiting_approval`: fine,
 * held for a person's click. `review`: a problem a person must fix. `duplicate`: already taken; nothing changed.
 */
export type IntakeState = 'queued' | 'awaiting_approval' | 'review' | 'duplicate';

export interface IntakeOutcome {
  /** The intake item: one per source key, the id the review queue and its actions use. */
  intakeId: number;
  resultId: number | null;
  state: IntakeState;
  code?: ReviewCode;
  reason?: Reason;
  /** When queued: the document as it goes to the patient, and whether it is signed (its source may keep a copy). */
  document?: { file: string; signed: boolean };
}

/** What a source needs from the intake. */
export interface ResultsSink {
  receive(record: IncomingResult): Promise<IntakeOutcome>;
  /** Where the source left its copy of the file (enviados/, errores/), shown in the queue. */
  noteSourceFile(intakeId: number, path: string): void;
}
