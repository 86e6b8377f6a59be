import type { ChannelId, Language, Message, MessageKind, MessageState } from '../../../shared/domain';
import { appendAudit, type AuditEntry } from '../audit/audit-log';
import type { EventBus } from '../events';
import { text } from '../i18n';
import type { Db } from '../store/db';
import { getPatient } from '../store/patients-repo';
import {
  getMessage,
  getMessageByProviderId,
  insertMessage,
  insertMessageEvent,
  insertReply,
  latestMessageIdTo,
  messageRecordOf,
  messageState,
  updateMessageState,
  type MessageRecord,
} from '../store/messages-repo';
import type { InboundReply, ProviderStatus } from '../channels/channel';
import { canMove, impliedStates } from './state-machine';

export interface MoveDetails {
  providerId?: string;
  errorCode?: string | null;
  errorReason?: string | null;
  notBefore?: number;
  countAttempt?: boolean;
  actor?: string;
}

/** One audit entry for a whole batch instead of one per message, built from what the batch created. */
export type BatchAudit = (createdIds: readonly number[]) => AuditEntry;

export interface EnqueueManyOptions {
  actor?: string;
  /** Given: the batch is audited by this one entry (same transaction); otherwise one `message.queued` per message. */
  audit?: BatchAudit;
  /** False: the caller tells the bus itself once its own transaction is over (a bulk writer announces a few). */
  announce?: boolean;
}

export interface Outbox {
  enqueue(record: MessageRecord, actor?: string): { message: Message; created: boolean };
  /**
   * Many messages in one transaction, each routed, queued with its event and audited like `enqueue`; a key already
   * stored is left as it is (created: false). Results in the order of `records`.
   */
  enqueueMany(records: readonly MessageRecord[], options?: EnqueueManyOptions): { id: number; created: boolean }[];
  /** Moves a message if the state machine allows it; returns false (and changes nothing) otherwise. */
  move(id: number, to: MessageState, details?: MoveDetails): boolean;
  resend(id: number, actor: string, options?: { asTemplate?: boolean }): Message;
  cancel(id: number, actor: string): Message;
  applyProviderStatus(status: ProviderStatus): boolean;
  /**
   * After a definitive failure on its channel, the same content goes once through the kind's fallback channel, as a
   * new row pointing at the failed one. Never both: only a message that failed falls back. When WhatsApp has no
   * other way left, an e-mail copy goes to the patient's address (if the clinic turned that on).
   */
  fallBack(id: number): Message | null;
  recordReply(reply: InboundReply): number | null;
}

export class OutboxError extends Error {
  constructor(
    readonly code: 'not_found' | 'cannot_resend' | 'cannot_cancel' | 'no_phone' | 'no_consent' | 'not_pdf',
    message: string,
  ) {
    super(message);
  }
}

export interface OutboxHooks {
  /** The channel a kind of message goes through, and the one it falls back to after a definitive failure. */
  routeFor?: (kind: MessageKind) => { primary: ChannelId; fallback: ChannelId | null };
  /** A new reply was stored (not a duplicate): what it means for an appointment is decided elsewhere. */
  onReplyRecorded?: (r: { id: number; messageId: number | null; reply: InboundReply }) => void;
  /** Where an e-mail copy of a message WhatsApp could not deliver goes: the patient's address, or null (none, or off). */
  emailFor?: (message: Message) => string | null;
}

export function createOutbox(
  db: Db,
  bus: EventBus,
  now: () => number,
  language: () => Language,
  hooks: OutboxHooks = {},
): Outbox {
  const mustGet = (id: number): Message => {
    const m = getMessage(db, id);
    if (!m) throw new OutboxError('not_found', text(language(), 'error.not_found'));
    return m;
  };

  const move = (id: number, to: MessageState, d: MoveDetails = {}): boolean => {
    const at = now();
    const moved = db.transaction(() => {
      const from = messageState(db, id);
      if (!from || !canMove(from, to)) return false;
      const ok = updateMessageState(db, id, {
        from,
        to,
        at,
        implied: impliedStates(to),
        providerId: d.providerId,
        errorCode: d.errorCode,
        errorReason: d.errorReason,
        notBefore: d.notBefore,
        countAttempt: d.countAttempt,
      });
      if (!ok) return false;
      insertMessageEvent(db, { messageId: id, state: to, at, errorCode: d.errorCode, errorReason: d.errorReason });
      appendAudit(
        db,
        {
          actor: d.actor ?? 'system',
          action: `message.${to}`,
          entity: 'message',
          entityId: id,
          data: { from, providerId: d.providerId, errorCode: d.errorCode },
        },
        at,
      );
      return true;
    })();
    if (moved) bus.emit('message.changed', { id, state: to });
    return moved;
  };

  const enqueue = (input: MessageRecord, actor = 'system'): { message: Message; created: boolean } => {
      const at = now();
      const record =
        input.channelFixed || !hooks.routeFor ? input : { ...input, channel: hooks.routeFor(input.kind).primary };
      const { id, created } = db.transaction(() => {
        const result = insertMessage(db, record, at);
        if (result.created) {
          insertMessageEvent(db, { messageId: result.id, state: 'queued', at });
          appendAudit(
            db,
            { actor, action: 'message.queued', entity: 'message', entityId: result.id, data: { key: record.idempotencyKey } },
            at,
          );
        }
        return result;
      })();
      if (created) bus.emit('message.changed', { id, state: 'queued' });
      return { message: mustGet(id), created };
  };

  // A bulk plan writes thousands of rows; one event per row would flood the UI. A few wake the dispatcher all the same.
  const EVENTS_PER_BATCH = 50;

  const enqueueMany = (
    records: readonly MessageRecord[],
    options: EnqueueManyOptions = {},
  ): { id: number; created: boolean }[] => {
    const at = now();
    const actor = options.actor ?? 'system';
    const write = () => {
      const out = records.map((input) => {
        const record =
          input.channelFixed || !hooks.routeFor ? input : { ...input, channel: hooks.routeFor(input.kind).primary };
        const result = insertMessage(db, record, at);
        if (result.created) {
          insertMessageEvent(db, { messageId: result.id, state: 'queued', at });
          if (!options.audit) {
            appendAudit(
              db,
              { actor, action: 'message.queued', entity: 'message', entityId: result.id, data: { key: record.idempotencyKey } },
              at,
            );
          }
        }
        return result;
      });
      const createdIds = out.filter((r) => r.created).map((r) => r.id);
      if (options.audit && createdIds.length) appendAudit(db, options.audit(createdIds), at);
      return out;
    };
    // Inside a caller's transaction (a planning pass) the batch is part of it, without a savepoint of its own: while a
    // savepoint is open SQLite keeps a copy of every page each statement touches until the savepoint ends, tens of
    // megabytes for a page of planning. An error goes up to the caller, and its transaction rolls back with the batch.
    const results = db.inTransaction ? write() : db.transaction(write)();
    if (options.announce !== false) {
      const created = results.filter((r) => r.created).slice(0, EVENTS_PER_BATCH);
      for (const { id } of created) bus.emit('message.changed', { id, state: 'queued' });
    }
    return results;
  };

  const enqueueResend = (id: number, actor: string, asTemplate: boolean): Message => {
    const original = mustGet(id);
    if (!['failed', 'expired', 'unknown'].includes(original.state)) {
      throw new OutboxError('cannot_resend', text(language(), 'error.cannot_resend'));
    }
    // A resend is a new row pointing at the old one: the failed attempt stays in the record as it happened.
    const record = messageRecordOf(db, original.id);
    // A WhatsApp resend goes to the patient's number as it is now: a person may just have corrected it.
    const current = original.channel === 'email' || original.patientId === null ? null : getPatient(db, original.patientId);
    const { message } = enqueue(
      {
        ...record,
        toPhone: current?.phoneE164 ?? record.toPhone,
        // An e-mail copy resent stays an e-mail: routing only knows WhatsApp channels.
        channelFixed: original.channel === 'email',
        // The automatic template retry may happen once per message; a person may resend as often as needed.
        idempotencyKey: asTemplate
          ? `${original.idempotencyKey}:as-template`
          : `${original.idempotencyKey}:resend:${original.attempts}:${now()}`,
        resendOf: original.id,
        notBefore: now(),
        asTemplate,
      },
      actor,
    );
    return message;
  };

  const emailCopy = (failed: Message): Message | null => {
    const to = failed.channel === 'email' ? null : (hooks.emailFor?.(failed) ?? null);
    if (!to) return null;
    return enqueue(
      {
        ...messageRecordOf(db, failed.id),
        idempotencyKey: `${failed.idempotencyKey}:email`,
        resendOf: failed.id,
        channel: 'email',
        channelFixed: true,
        toEmail: to,
        notBefore: now(),
      },
      'system',
    ).message;
  };

  const fallBack = (id: number): Message | null => {
    const failed = getMessage(db, id);
    if (!failed || failed.state !== 'failed' || failed.channel === 'email') return null;
    const route = hooks.routeFor?.(failed.kind);
    // WhatsApp's other channel first (the patient reads it where they read the clinic); e-mail when none is left.
    if (!route?.fallback || failed.channel === route.fallback || failed.idempotencyKey.endsWith(':fallback')) {
      return emailCopy(failed);
    }
    return enqueue(
      {
        ...messageRecordOf(db, id),
        idempotencyKey: `${failed.idempotencyKey}:fallback`,
        resendOf: id,
        channel: route.fallback,
        channelFixed: true,
        notBefore: now(),
      },
      'system',
    ).message;
  };

  return {
    enqueue,
    enqueueMany,
    move,
    resend: (id, actor, options = {}) => enqueueResend(id, actor, options.asTemplate ?? false),
    cancel(id, actor) {
      if (!move(id, 'cancelled', { actor })) {
        mustGet(id);
        throw new OutboxError('cannot_cancel', text(language(), 'error.cannot_cancel'));
      }
      return mustGet(id);
    },
    applyProviderStatus(status) {
      let message = getMessageByProviderId(db, status.providerId);
      let learnedId: string | undefined;
      if (!message && status.ourId !== undefined) {
        // A crash (or a broken connection) left us without the provider id: the id we sent along identifies it.
        const ours = getMessage(db, status.ourId);
        if (ours && ours.providerId === null) {
          message = ours;
          learnedId = status.providerId;
        }
      }
      if (!message) return false;
      // Late, duplicate or out-of-order statuses are simply refused by the state machine.
      const moved = move(message.id, status.state, {
        providerId: learnedId,
        errorCode: status.errorCode,
        errorReason: status.errorReason,
        actor: 'provider',
      });
      if (moved && status.state === 'failed' && status.failure === 'window') {
        // Accepted, then refused because the 24-hour window was closed: the same content goes again as a template.
        enqueueResend(message.id, 'provider', true);
      } else if (moved && status.state === 'failed' && status.failure === 'permanent') {
        fallBack(message.id);
      }
      return moved;
    },
    fallBack,
    recordReply(reply) {
      const answered =
        (reply.inReplyTo ? getMessageByProviderId(db, reply.inReplyTo) : undefined) ??
        mustGetOrUndefined(latestMessageIdTo(db, reply.fromPhone));
      const id = insertReply(db, {
        providerMessageId: reply.providerMessageId,
        messageId: answered?.id ?? null,
        patientId: answered?.patientId ?? null,
        fromPhone: reply.fromPhone,
        body: reply.body,
        at: reply.at,
      });
      if (id !== null) {
        // The reply is part of the message's evidence: it takes its place in the hash chain like a status does.
        appendAudit(
          db,
          {
            actor: 'patient',
            action: 'reply.received',
            entity: 'message',
            entityId: answered?.id ?? null,
            data: { replyId: id, providerMessageId: reply.providerMessageId, receivedAt: reply.at },
          },
          now(),
        );
        bus.emit('reply.received', { id, messageId: answered?.id ?? null, body: reply.body });
        hooks.onReplyRecorded?.({ id, messageId: answered?.id ?? null, reply });
      }
      return id;
    },
  };

  function mustGetOrUndefined(id: number | null): Message | undefined {
    return id === null ? undefined : getMessage(db, id);
  }
}

