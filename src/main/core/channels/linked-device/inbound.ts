import { isJidBroadcast, isJidGroup, isJidNewsletter, toNumber, type BaileysEventMap, type Contact, type WAMessage } from '@whiskeysockets/baileys';
import type { Db } from '../../store/db';
import {
  addToCounter,
  deletePendingInbound,
  latestSentTo,
  markInbound,
  pendingInboundFor,
  phoneForLid,
  putLid,
  pendingInboundLids,
  putPendingInbound,
  sentByProviderId,
} from '../../store/linked-device-repo';
import type { ChannelListeners } from '../channel';
import type { AddressBook } from './address-book';
import { lidOfJid } from './jid';
import { chosenOption, extractReply, type ExtractedReply } from './replies';

export interface InboundOptions {
  db: Db;
  listeners: ChannelListeners;
  now: () => number;
  /** Baileys' own LID store (signalRepository.lidMapping), asked when Avisa's map has no answer yet. */
  lookupPhoneJid: (lidJid: string) => Promise<string | null>;
  /** Maps a WhatsApp address back to the number the clinic stored (Mexico's 521… → +52…). */
  addresses: Pick<AddressBook, 'phoneOf'>;
  /** Messages held offline for longer than this are not acted on (an old "1" must not confirm today). */
  offlineMaxAgeMs: () => number;
  /** One of Avisa's own messages, as Baileys re-emits it (with any status merged into it while buffering). */
  ownMessage: (m: WAMessage) => void;
}

/** Name of the counter of offline replies too old to act on. */
export const OLD_OFFLINE_REPLIES = 'old_offline_replies';

interface Reply {
  providerMessageId: string;
  extracted: ExtractedReply;
  at: number;
}

/**
 * Patients' messages → replies for the outbox, each matched to a phone even when WhatsApp addresses it by @lid.
 * Avisa keeps its own LID ↔ phone map from every event that shows both; a reply whose LID is not mapped yet waits in
 * the store until a mapping arrives. Duplicates are harmless: the outbox stores a reply once per WhatsApp id.
 */
export function inbound(o: InboundOptions) {
  const deliver = (phone: string, r: Reply): void => {
    markInbound(o.db, phone, r.at);
    const quoted = r.extracted.quotedId ? sentByProviderId(o.db, r.extracted.quotedId) : undefined;
    const answered = quoted ?? latestSentTo(o.db, phone);
    const payload = r.extracted.payload ?? chosenOption(r.extracted.text, answered?.options ?? []);
    o.listeners.reply({
      providerMessageId: r.providerMessageId,
      fromPhone: phone,
      body: r.extracted.text || `[${r.extracted.kind}]`,
      at: r.at,
      ...(answered ? { inReplyTo: answered.providerId } : r.extracted.quotedId ? { inReplyTo: r.extracted.quotedId } : {}),
      ...(payload ? { payload } : {}),
    });
  };

  /** Records a LID ↔ phone pair; replies that were waiting for it go out now. */
  const learn = (lidJid: string | null | undefined, phoneJid: string | null | undefined): void => {
    const lid = lidOfJid(lidJid);
    const phone = o.addresses.phoneOf(phoneJid);
    if (!lid || !phone) return;
    putLid(o.db, lid, phone, o.now());
    for (const p of pendingInboundFor(o.db, lid)) {
      const extracted: ExtractedReply = {
        text: p.body,
        kind: 'text',
        ...(p.payload ? { payload: p.payload } : {}),
        ...(p.inReplyTo ? { quotedId: p.inReplyTo } : {}),
      };
      deliver(phone, { providerMessageId: p.providerMessageId, extracted, at: p.receivedAt });
      deletePendingInbound(o.db, p.providerMessageId);
    }
  };

  /** Both ids of a chat, whichever way round the key has them. */
  const learnFromKey = (m: WAMessage): void => {
    const { remoteJid, remoteJidAlt } = m.key;
    learn(remoteJid, remoteJidAlt);
    learn(remoteJidAlt, remoteJid);
  };

  const phoneOf = async (m: WAMessage): Promise<{ phone: string | null; lid: string | null }> => {
    const { remoteJid, remoteJidAlt } = m.key;
    const direct = o.addresses.phoneOf(remoteJid) ?? o.addresses.phoneOf(remoteJidAlt);
    const lid = lidOfJid(remoteJid) ?? lidOfJid(remoteJidAlt);
    if (direct || !lid) return { phone: direct, lid };
    const known = phoneForLid(o.db, lid);
    if (known) return { phone: known, lid };
    return { phone: await askBaileys(lid), lid };
  };

  const askBaileys = async (lid: string): Promise<string | null> => {
    const fromBaileys = o.addresses.phoneOf(await o.lookupPhoneJid(`${lid}@lid`).catch(() => null));
    if (fromBaileys) putLid(o.db, lid, fromBaileys, o.now());
    return fromBaileys;
  };

  const isPersonChat = (jid: string | null | undefined): boolean =>
    !!jid && !isJidGroup(jid) && !isJidBroadcast(jid) && !isJidNewsletter(jid);

  const learnContacts = (contacts: Partial<Contact>[]): void => {
    for (const c of contacts) learn(c.lid ?? c.id, c.phoneNumber ?? c.id);
  };

  const timeOf = (m: WAMessage): number => {
    const s = toNumber(m.messageTimestamp);
    return s > 0 ? s * 1000 : o.now();
  };

  return {
    async messages({ messages, type }: BaileysEventMap['messages.upsert']): Promise<void> {
      for (const m of messages) {
        if (!m.key.id || !isPersonChat(m.key.remoteJid)) continue;
        learnFromKey(m);
        // Our own messages (sent by Avisa or typed on the phone) come back here too: they are not replies, but
        // while Baileys buffers (initial sync) a delivery update is merged into them instead of being emitted.
        if (m.key.fromMe) {
          o.ownMessage(m);
          continue;
        }
        const { phone, lid } = await phoneOf(m);
        const at = timeOf(m);
        // `append` is what the server held while Avisa was closed (history comes through messaging-history.set):
        // an overnight "1" or "BAJA" is a reply like any other, unless it is too old to act on today.
        if (type === 'append' && o.now() - at > o.offlineMaxAgeMs()) {
          if (phone) markInbound(o.db, phone, at);
          addToCounter(o.db, OLD_OFFLINE_REPLIES, 1, o.now());
          continue;
        }
        const extracted = extractReply(m.message);
        if (!extracted) continue;
        const reply: Reply = { providerMessageId: m.key.id, extracted, at };
        if (phone) deliver(phone, reply);
        else if (lid) {
          putPendingInbound(o.db, {
            providerMessageId: m.key.id,
            lid,
            body: extracted.text || `[${extracted.kind}]`,
            payload: extracted.payload ?? null,
            inReplyTo: extracted.quotedId ?? null,
            receivedAt: at,
          });
        }
      }
    },

    lidMapping({ lid, pn }: BaileysEventMap['lid-mapping.update']): void {
      learn(lid, pn);
    },

    /** On connect: Baileys may have learnt the phone behind a waiting reply's LID while Avisa was not asking. */
    async recheckPending(): Promise<void> {
      for (const lid of pendingInboundLids(o.db)) {
        const phone = phoneForLid(o.db, lid) ?? (await askBaileys(lid));
        if (phone) learn(`${lid}@lid`, `${phone.slice(1)}@s.whatsapp.net`);
      }
    },

    contacts: learnContacts,

    history({ messages, contacts, lidPnMappings }: BaileysEventMap['messaging-history.set']): void {
      for (const mapping of lidPnMappings ?? []) learn(mapping.lid, mapping.pn);
      learnContacts(contacts);
      for (const m of messages) {
        if (!isPersonChat(m.key.remoteJid)) continue;
        learnFromKey(m);
        if (m.key.fromMe) {
          o.ownMessage(m);
          continue;
        }
        const phone =
          o.addresses.phoneOf(m.key.remoteJid) ?? o.addresses.phoneOf(m.key.remoteJidAlt) ?? phoneForLid(o.db, lidOfJid(m.key.remoteJid) ?? '');
        if (phone) markInbound(o.db, phone, timeOf(m));
      }
    },
  };
}

export type Inbound = ReturnType<typeof inbound>;
