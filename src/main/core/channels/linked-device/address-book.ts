import { jidNormalizedUser } from '@whiskeysockets/baileys';
import type { Db } from '../../store/db';
import { addressOf, markAddressStale, phoneForAddress, putAddress } from '../../store/linked-device-repo';
import { phoneJid, phoneOfJid } from './jid';
import type { LinkedSocket } from './socket';

/** An address WhatsApp confirmed is asked again after this long: people change numbers and accounts. */
export const ADDRESS_MAX_AGE_MS = 30 * 86_400_000;

export type AddressLookup =
  | { ok: true; jid: string; asked: boolean }
  | { ok: false; code: 'no_whatsapp'; asked: boolean }
  | { ok: false; code: 'lookup_failed'; detail: string };

/**
 * Where a stored number lives on WhatsApp. libphonenumber stores Mexico's mobiles as +52…, WhatsApp knows them as
 * 521…; older Brazilian accounts keep the 8-digit form. Baileys sends to an address with no account without any
 * error, so the address is asked once per number (never in bulk: bulk checks get numbers banned) and kept, and
 * replies from that address are mapped back to the number the clinic stored.
 */
export function addressBook(o: { db: Db; now: () => number }) {
  return {
    /** The stored answer while fresh; otherwise one onWhatsApp query for this one number. */
    async resolve(phone: string, socket: Pick<LinkedSocket, 'onWhatsApp'>): Promise<AddressLookup> {
      const known = addressOf(o.db, phone);
      if (known && !known.stale && o.now() - known.checkedAt < ADDRESS_MAX_AGE_MS) {
        return known.jid ? { ok: true, jid: known.jid, asked: false } : { ok: false, code: 'no_whatsapp', asked: false };
      }
      let found: { jid: string; exists: boolean }[] | undefined;
      try {
        found = await socket.onWhatsApp(phoneJid(phone));
      } catch (error) {
        return { ok: false, code: 'lookup_failed', detail: error instanceof Error ? error.message : String(error) };
      }
      if (!found) return { ok: false, code: 'lookup_failed', detail: 'no answer' };
      const hit = found.find((r) => r.exists && phoneOfJid(r.jid));
      const jid = hit ? jidNormalizedUser(hit.jid) : null;
      putAddress(o.db, phone, jid, o.now());
      return jid ? { ok: true, jid, asked: true } : { ok: false, code: 'no_whatsapp', asked: true };
    },

    /** The number the clinic stored for a WhatsApp address; the address's own digits when Avisa never asked. */
    phoneOf(jid: string | null | undefined): string | null {
      const direct = phoneOfJid(jid);
      if (!direct || !jid) return null;
      return phoneForAddress(o.db, jidNormalizedUser(jid)) ?? direct;
    },

    /** A message to this number failed: ask WhatsApp again before the next one. */
    failed(phone: string): void {
      markAddressStale(o.db, phone);
    },
  };
}

export type AddressBook = ReturnType<typeof addressBook>;
