import type { TokenCredential } from '../documents/token-credential';
import type { Reason } from '../documents/texts';
import type { ResultsIntake } from './results-intake';

// "Firmar pendientes": one PIN for every approved result that waits for a signature. The PIN opens the card once; a
// wrong PIN stops everything before any document is touched. When the card is removed halfway, the documents not yet
// signed go back to "por revisar" with that reason (the credential answers "token missing" without asking the card).

/** Review codes of documents that wait only for a usable signing credential. */
const WAITING_FOR_SIGNATURE = new Set(['no_certificate', 'certificate']);

export type BatchOutcome =
  | { ok: true; signed: number; waiting: number }
  | { ok: false; code: string; reason: Reason; signed: 0; waiting: number };

export async function signPendingWithPin(
  o: { intake: ResultsIntake; credential: TokenCredential; actor: string },
  pin: string,
): Promise<BatchOutcome> {
  const pending = waitingIds(o.intake);
  const unlocked = await o.credential.unlock(pin);
  if (!unlocked.ok) return { ok: false, code: unlocked.code, reason: unlocked.reason, signed: 0, waiting: pending.length };
  let signed = 0;
  try {
    for (const id of pending) {
      const outcome = await o.intake.retry(id, o.actor);
      if (outcome.state === 'queued') signed += 1;
    }
  } finally {
    o.credential.batchDone();
  }
  return { ok: true, signed, waiting: waitingIds(o.intake).length };
}

function waitingIds(intake: ResultsIntake): number[] {
  const ids: number[] = [];
  for (let offset = 0; ; offset += 200) {
    const page = intake.listReviewQueue({ limit: 200, offset });
    ids.push(...page.rows.filter((r) => WAITING_FOR_SIGNATURE.has(r.code)).map((r) => r.id));
    if (offset + 200 >= page.total) return ids;
  }
}
