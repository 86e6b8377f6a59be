import { isHostedLidUser, isHostedPnUser, isLidUser, isPnUser, jidDecode } from '@whiskeysockets/baileys';

/** The chat id WhatsApp knows a phone by: the international number without "+". */
export function phoneJid(e164: string): string {
  return `${e164.replace(/^\+/, '')}@s.whatsapp.net`;
}

/** "+51987654321" from "51987654321@s.whatsapp.net" (or "51987654321:3@s.whatsapp.net"); null for any other id. */
export function phoneOfJid(jid: string | null | undefined): string | null {
  if (!jid || !(isPnUser(jid) || isHostedPnUser(jid))) return null;
  const user = jidDecode(jid)?.user;
  return user && /^\d{6,15}$/.test(user) ? `+${user}` : null;
}

/** The bare LID ("123456789012345") from "123456789012345:2@lid"; null for any other id. */
export function lidOfJid(jid: string | null | undefined): string | null {
  if (!jid || !(isLidUser(jid) || isHostedLidUser(jid))) return null;
  return jidDecode(jid)?.user ?? null;
}
