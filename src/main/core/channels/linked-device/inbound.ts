import { isJidBroadcast, isJidGroup, isJidNewsletter, toNumber, type BaileysEventMap, type Contact, type WAMessage } from '@whiskeysockets/baileys';
import type { Db } from '../../store/db';
import {
  deletePendingInbound,
  latestSentTo,
  markInbound,
  pendingInboundFor,
  phoneForLid,
  putLid,
  putPendingInbound,
  sentByProviderId,
} from '../../store/linked-device-repo';
import type { ChannelListeners } from '../channel';
import { lidOfJid, phoneOfJid } from './jid';
import { chosenOption, extractReply, type ExtractedReply } from './replies';

export interface InboundOptions {
  db: Db;
  listeners: ChannelListeners;
  now: () => number;
  /** Baileys' own LID store (signalRepository.lidMapping), asked when Avisa's map has no answer yet. */
  lookupPhoneJid: (lidJid: string) => Promise<string | null>;
}

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
    const phone = phoneOfJid(phoneJid);
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
    const direct = phoneOfJid(remoteJid) ?? phoneOfJid(remoteJidAlt);
    const lid = lidOfJid(remoteJid) ?? lidOfJid(remoteJidAlt);
    if (direct || !lid) return { phone: direct, lid };
    const known = phoneForLid(o.db, lid);
    if (known) return { phone: known, lid };
    const fromBaileys = phoneOfJid(await o.lookupPhoneJid(`${lid}@lid`).catch(() => null));
    if (fromBaileys) putLid(o.db, lid, fromBaileys, o.now());
    return { phone: fromBaileys, lid };
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
        // Our own messages (sent by Avisa or typed on the phone) come back here too: they are not replies.
        if (m.key.fromMe) continue;
        const { phone, lid } = await phoneOf(m);
        const at = timeOf(m);
        if (type !== 'notify') {
          // Older messages synced from the phone: proof the person wrote to the clinic, not a reply to act on now.
          if (phone) markInbound(o.db, phone, at);
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

    contacts: learnContacts,

    history({ messages, contacts, lidPnMappings }: BaileysEventMap['messaging-history.set']): void {
      for (const mapping of lidPnMappings ?? []) learn(mapping.lid, mapping.pn);
      learnContacts(contacts);
      for (const m of messages) {
        if (!isPersonChat(m.key.remoteJid)) continue;
        learnFromKey(m);
        if (m.key.fromMe) continue;
        const phone = phoneOfJid(m.key.remoteJid) ?? phoneOfJid(m.key.remoteJidAlt) ?? phoneForLid(o.db, lidOfJid(m.key.remoteJid) ?? '');
        if (phone) markInbound(o.db, phone, timeOf(m));
      }
    },
  };
}

export type Inbound = ReturnType<typeof inbound>;
