import type { Language, MessageKind } from '../../../shared/domain';
import type { DispatchGateDecision } from '../outbox/dispatcher';
import type { Outbox } from '../outbox/outbox';
import { consentOfMessage } from '../store/consent-repo';
import type { Db } from '../store/db';
import type { DispatchRow } from '../store/messages-repo';

// Messages the clinic starts on its own: they need an opt-in that still holds when they leave.
const businessInitiated: readonly MessageKind[] = ['campaign', 'followup'];

const reason: Record<Language, string> = {
  es: 'El paciente no tiene su consentimiento vigente (pidió la baja o nunca lo dio): no se envía.',
  en: 'The patient has no consent in force (opted out or never gave it): not sent.',
};

/**
 * The last check before a campaign or follow-up leaves: the patient's opt-in as it is now, not as it was when the
 * message was queued. An opt-out cancels queued ones at once (reply-intent); this closes the gap for any row queued
 * meanwhile by whatever writer.
 */
export function consentGate(o: { db: Db; outbox: Outbox; language: () => Language }) {
  return (row: DispatchRow): DispatchGateDecision => {
    if (!businessInitiated.includes(row.kind)) return { send: true };
    const consent = consentOfMessage(o.db, row.id);
    if (consent === 'opted_in') return { send: true };
    o.outbox.move(row.id, 'cancelled', { errorCode: 'patient.no_consent', errorReason: reason[o.language()], actor: 'system' });
    return { send: false, notBefore: null };
  };
}

/** The first gate that holds a message back decides; otherwise it goes. */
export function allGates(
  ...gates: ((row: DispatchRow, at: number) => DispatchGateDecision)[]
): (row: DispatchRow, at: number) => DispatchGateDecision {
  return (row, at) => {
    for (const gate of gates) {
      const verdict = gate(row, at);
      if (!verdict.send) return verdict;
    }
    return { send: true };
  };
}
