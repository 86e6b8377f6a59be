import type { ChannelId, MessageKind, MessageState } from '../../../shared/domain';
import { prepared, type Db } from './db';

/** One message to a patient as the evidence export needs it (with the document that went and its stored hash). */
export interface EvidenceMessageRow {
  id: number;
  kind: MessageKind;
  channel: ChannelId;
  toPhone: string;
  toEmail: string | null;
  providerId: string | null;
  state: MessageState;
  resendOf: number | null;
  templateName: string | null;
  body: string;
  documentPath: string | null;
  documentFilename: string | null;
  resultSha256: string | null;
  createdAt: number;
}

export interface EvidenceStatusRow {
  messageId: number;
  state: MessageState;
  at: number;
  errorCode: string | null;
  errorReason: string | null;
}

export interface EvidenceReplyRow {
  id: number;
  messageId: number;
  body: string;
  receivedAt: number;
}

export interface EvidenceAuditRow {
  id: number;
  at: number;
  actor: string;
  action: string;
  entityId: string;
  data: string;
  hash: string;
}

/** A patient's messages created in [from, to), oldest first. */
export function patientMessages(db: Db, patientId: number, from: number, to: number): EvidenceMessageRow[] {
  return prepared(
    db,
    `SELECT m.id, m.kind, m.channel, m.to_phone AS toPhone, m.to_email AS toEmail, m.provider_id AS providerId,
      m.state, m.resend_of AS resendOf, m.template_name AS templateName, m.body, m.document_path AS documentPath,
      m.document_filename AS documentFilename, r.sha256 AS resultSha256, m.created_at AS createdAt
     FROM messages m LEFT JOIN results r ON r.id = m.result_id
     WHERE m.patient_id = @patientId AND m.created_at >= @from AND m.created_at < @to
     ORDER BY m.created_at, m.id`,
  ).all({ patientId, from, to }) as EvidenceMessageRow[];
}

const idsParam = (ids: readonly number[]) => JSON.stringify(ids);

export function statusesOf(db: Db, messageIds: readonly number[]): EvidenceStatusRow[] {
  return prepared(
    db,
    `SELECT message_id AS messageId, state, at, error_code AS errorCode, error_reason AS errorReason
     FROM message_events WHERE message_id IN (SELECT value FROM json_each(@ids)) ORDER BY id`,
  ).all({ ids: idsParam(messageIds) }) as EvidenceStatusRow[];
}

export function repliesOf(db: Db, messageIds: readonly number[]): EvidenceReplyRow[] {
  return prepared(
    db,
    `SELECT id, message_id AS messageId, body, received_at AS receivedAt
     FROM replies WHERE message_id IN (SELECT value FROM json_each(@ids)) ORDER BY id`,
  ).all({ ids: idsParam(messageIds) }) as EvidenceReplyRow[];
}

/** The audit events about these messages; the id is the event's position in the hash chain. */
export function messageAuditEvents(db: Db, messageIds: readonly number[]): EvidenceAuditRow[] {
  return prepared(
    db,
    `SELECT id, at, actor, action, entity_id AS entityId, data, hash FROM audit_events
     WHERE entity = 'message' AND entity_id IN (SELECT CAST(value AS TEXT) FROM json_each(@ids)) ORDER BY id`,
  ).all({ ids: idsParam(messageIds) }) as EvidenceAuditRow[];
}

/**
 * A professional's validation of the results these messages carry, as audit events keyed by the message: the
 * evidence shows who validated what went.
 */
export function resultValidationAudits(db: Db, messageIds: readonly number[]): EvidenceAuditRow[] {
  return prepared(
    db,
    `SELECT a.id, a.at, a.actor, a.action, CAST(m.id AS TEXT) AS entityId, a.data, a.hash
     FROM messages m JOIN audit_events a ON a.entity = 'result' AND a.action = 'result.validated'
       AND a.entity_id = CAST(m.result_id AS TEXT)
     WHERE m.id IN (SELECT value FROM json_each(@ids)) ORDER BY a.id`,
  ).all({ ids: idsParam(messageIds) }) as EvidenceAuditRow[];
}
