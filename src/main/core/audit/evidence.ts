import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import type { AuditVerification } from '../../../shared/api';
import type { ChannelId, Language, MessageKind, MessageState, Patient } from '../../../shared/domain';
import { sha256Hex } from '../hash';
import type { Db } from '../store/db';
import {
  messageAuditEvents,
  patientMessages,
  repliesOf,
  resultValidationAudits,
  statusesOf,
  type EvidenceAuditRow,
  type EvidenceMessageRow,
} from '../store/evidence-repo';

/** One line of a message's history: a status, a reply or a person's action, with its place in the audit chain. */
export interface EvidenceEvent {
  at: number;
  /** A message state, `reply`, or the audit action of something a person did (e.g. message.manual_send). */
  event: MessageState | 'reply' | string;
  detail: string;
  actor: string;
  auditPosition: number | null;
  auditHash: string | null;
}

export interface EvidenceMessage {
  id: number;
  kind: MessageKind;
  channel: ChannelId;
  /** The phone, or the e-mail address of an e-mail copy. */
  recipient: string;
  providerId: string | null;
  resendOf: number | null;
  document: { name: string; sha256: string | null } | null;
  events: EvidenceEvent[];
}

export interface Evidence {
  clinicName: string;
  patient: Pick<Patient, 'id' | 'firstNames' | 'lastNames' | 'documentType' | 'documentNumber'>;
  from: number | null;
  to: number | null;
  generatedAt: number;
  timeZone: string;
  language: Language;
  verification: AuditVerification;
  messages: EvidenceMessage[];
}

/**
 * The hash of the exact bytes that went. Documents are kept by content (manual PDFs under their own hash, signed
 * results next to the hash the pipeline stored), so hashing the file now gives the hash of what was sent; when the
 * file is gone, the hash recorded at signing time is all that is left.
 */
function documentOf(m: EvidenceMessageRow): EvidenceMessage['document'] {
  if (!m.documentPath) return null;
  let sha256 = m.resultSha256;
  try {
    sha256 = sha256Hex(readFileSync(m.documentPath));
  } catch {
    // Kept as the stored hash (or none): the export says what it knows.
  }
  return { name: m.documentFilename ?? 'documento.pdf', sha256 };
}

/** A validation names the professional's registry number beside their name. */
function detailOf(a: EvidenceAuditRow): string {
  if (a.action !== 'result.validated') return '';
  const data = JSON.parse(a.data) as { registryNumber?: string | null };
  return data.registryNumber ?? '';
}

function eventsOf(
  statuses: ReturnType<typeof statusesOf>,
  replies: ReturnType<typeof repliesOf>,
  audits: EvidenceAuditRow[],
): EvidenceEvent[] {
  const unused = new Set(audits);
  // Each status change and its audit event were written in one transaction, with the same moment and action.
  const take = (match: (a: EvidenceAuditRow) => boolean): EvidenceAuditRow | null => {
    for (const a of unused) {
      if (match(a)) {
        unused.delete(a);
        return a;
      }
    }
    return null;
  };
  const events: EvidenceEvent[] = [];
  for (const s of statuses) {
    const a = take((x) => x.action === `message.${s.state}` && x.at === s.at);
    events.push({
      at: s.at,
      event: s.state,
      detail: [s.errorReason, s.errorCode ? `(${s.errorCode})` : null].filter(Boolean).join(' '),
      actor: a?.actor ?? '',
      auditPosition: a?.id ?? null,
      auditHash: a?.hash ?? null,
    });
  }
  for (const r of replies) {
    const a = take((x) => x.action === 'reply.received' && (JSON.parse(x.data) as { replyId?: number }).replyId === r.id);
    events.push({
      at: r.receivedAt,
      event: 'reply',
      detail: r.body,
      actor: a?.actor ?? 'patient',
      auditPosition: a?.id ?? null,
      auditHash: a?.hash ?? null,
    });
  }
  for (const a of unused) {
    events.push({ at: a.at, event: a.action, detail: detailOf(a), actor: a.actor, auditPosition: a.id, auditHash: a.hash });
  }
  // In the order the chain recorded them: provider times come in whole seconds and may read earlier than ours.
  const place = (e: EvidenceEvent) => e.auditPosition ?? Number.MAX_SAFE_INTEGER;
  return events.sort((x, y) => place(x) - place(y) || x.at - y.at);
}

export function collectEvidence(
  db: Db,
  input: {
    patient: Evidence['patient'];
    from?: number;
    to?: number;
    clinicName: string;
    timeZone: string;
    language: Language;
    now: number;
    verification: AuditVerification;
  },
): Evidence {
  const messages = patientMessages(db, input.patient.id, input.from ?? 0, input.to ?? Number.MAX_SAFE_INTEGER);
  const ids = messages.map((m) => m.id);
  const statuses = statusesOf(db, ids);
  const replies = repliesOf(db, ids);
  const audits = [...resultValidationAudits(db, ids), ...messageAuditEvents(db, ids)];
  return {
    clinicName: input.clinicName,
    patient: input.patient,
    from: input.from ?? null,
    to: input.to ?? null,
    generatedAt: input.now,
    timeZone: input.timeZone,
    language: input.language,
    verification: input.verification,
    messages: messages.map((m) => ({
      id: m.id,
      kind: m.kind,
      channel: m.channel,
      recipient: m.channel === 'email' ? (m.toEmail ?? '') : m.toPhone,
      providerId: m.providerId,
      resendOf: m.resendOf,
      document: documentOf(m),
      events: eventsOf(
        statuses.filter((s) => s.messageId === m.id),
        replies.filter((r) => r.messageId === m.id),
        audits.filter((a) => a.entityId === String(m.id)),
      ),
    })),
  };
}

/** A moment in the clinic's zone with its UTC offset, so the evidence reads the same anywhere. */
export function evidenceTime(at: number, zone: string): string {
  return DateTime.fromMillis(at, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
}

// The words live with every other export's; re-exported for the evidence writers.
export { labelOf } from './export-words';

export function verificationText(v: AuditVerification, language: Language): string {
  if (v.ok) {
    return language === 'es'
      ? `Íntegra: ${v.checked} eventos verificados, cadena de hashes sin alteraciones.`
      : `Intact: ${v.checked} events verified, hash chain unaltered.`;
  }
  return language === 'es'
    ? `ALTERADA: enlace roto en el evento ${v.firstBrokenId} (${v.reason ?? ''}) tras ${v.checked} eventos válidos.`
    : `ALTERED: broken link at event ${v.firstBrokenId} (${v.reason ?? ''}) after ${v.checked} valid events.`;
}
