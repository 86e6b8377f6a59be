import {
  getHl7Refused,
  insertHl7Refused,
  markHl7RefusedTaken,
  updateHl7RefusedReason,
} from '../../store/hl7-refused-repo';
import type { Db } from '../../store/db';
import { interpretHl7 } from './interpret';
import type { Hl7Inbound } from './interpret';
import type { Hl7Decision, Hl7RefusedEvent } from './listener';

// The HL7 review list: every message answered AE or AR, kept as received with its reason, and processed again from
// there once the reason is fixed (a site code mapped in Ajustes → HL7, a patient registered).

/** Keeps the refused message; its id in the list. */
export function keepRefusedHl7(db: Db, event: Hl7RefusedEvent, at: number): number {
  return insertHl7Refused(db, {
    receivedAt: at,
    remote: event.remote,
    controlId: event.header?.controlId ?? null,
    messageType: event.header ? `${event.header.messageType}^${event.header.event}` : null,
    ack: event.refusal.ack,
    code: event.refusal.code,
    reasonEs: event.refusal.es,
    reasonEn: event.refusal.en,
    raw: event.raw,
  });
}

export type RetryOutcome = { taken: true } | { taken: false; es: string; en: string } | { taken: false; missing: true };

/** Reads the kept message again, as the listener would, and gives it to intake; taken → it leaves the list. */
export async function retryRefusedHl7(
  db: Db,
  id: number,
  o: { zone: string; handler: (inbound: Hl7Inbound) => Hl7Decision | Promise<Hl7Decision>; at: number },
): Promise<RetryOutcome> {
  const row = getHl7Refused(db, id);
  if (!row || row.takenAt !== null) return { taken: false, missing: true };
  const read = interpretHl7(row.raw, o.zone);
  const decision: Hl7Decision = read.ok
    ? await o.handler(read.inbound)
    : { accept: false, code: read.refusal.code, es: read.refusal.es, en: read.refusal.en };
  if (decision.accept) {
    markHl7RefusedTaken(db, id, o.at);
    return { taken: true };
  }
  updateHl7RefusedReason(db, id, { code: decision.code ?? row.code, reasonEs: decision.es, reasonEn: decision.en, at: row.receivedAt });
  return { taken: false, es: decision.es, en: decision.en };
}
