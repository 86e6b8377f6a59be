import type { LinkedDeviceView } from '../../../../shared/api';
import type { Db } from '../../store/db';
import {
  addDaySend,
  addFailure,
  clearPause,
  dayCounts,
  failuresSince,
  getPause,
  hasWritten,
  pruneFailures,
  setPause,
  type DayCounts,
  type PauseRow,
} from '../../store/linked-device-repo';

/**
 * How much a personal or small-business number may send before WhatsApp's spam systems notice. Peers' users were
 * banned after bulk sends with no throttle at all: the defaults are deliberately modest.
 */
export interface BudgetSettings {
  /** A random gap in [minGapMs, maxGapMs] separates two sends, as a person typing would. */
  minGapMs: number;
  maxGapMs: number;
  /** Most messages per local day through the phone; 0 = no cap. */
  dailyCap: number;
  /** Most messages per local day to people who never wrote to the clinic; 0 = no cap. */
  firstContactDailyCap: number;
  /** This many failures reported by WhatsApp within the window pause sending; 0 = never pause. */
  failureThreshold: number;
  failureWindowMs: number;
  /** A new link starts at this daily cap and grows evenly to `dailyCap` over `warmupDays`; 0 = no warm-up. */
  warmupStartCap: number;
  warmupDays: number;
}

export const defaultBudget: BudgetSettings = {
  minGapMs: 8_000,
  maxGapMs: 25_000,
  dailyCap: 150,
  firstContactDailyCap: 15,
  failureThreshold: 3,
  failureWindowMs: 30 * 60_000,
  warmupStartCap: 30,
  warmupDays: 7,
};

const DAY_MS = 86_400_000;

export type Warmup = NonNullable<BudgetView['warmup']>;

/**
 * A number that was just linked and starts sending at full volume looks like a spammer's fresh account. The cap
 * grows evenly from the start value to the clinic's cap over the first days; null once that is over.
 */
export function warmupOf(s: BudgetSettings, linkedAt: number | null, now: number): (Warmup & { cap: number }) | null {
  if (linkedAt === null || s.dailyCap <= 0 || s.warmupDays <= 0 || s.warmupStartCap <= 0) return null;
  const day = Math.max(0, Math.floor((now - linkedAt) / DAY_MS));
  if (day >= s.warmupDays || s.warmupStartCap >= s.dailyCap) return null;
  const cap = Math.floor(s.warmupStartCap + ((s.dailyCap - s.warmupStartCap) * day) / s.warmupDays);
  return { day, days: s.warmupDays, fullCap: s.dailyCap, cap };
}

/** WhatsApp's own quota of new chats, as the library reports it (message-capping.update / fetchNewChatMessageCap). */
export type NewChatQuota = NonNullable<BudgetView['whatsappQuota']>;

export type PauseCode = 'failure_spike' | 'reachout_timelock';
export type RefusalCode = 'paused' | 'daily_cap' | 'first_contact_cap';

export type Verdict =
  | { ok: true; firstContact: boolean }
  | { ok: false; code: RefusalCode; firstContact: boolean; until: number | null; pause: PauseRow | null };

export function randomGapMs(s: BudgetSettings, random: () => number): number {
  const min = Math.max(0, Math.min(s.minGapMs, s.maxGapMs));
  const max = Math.max(s.minGapMs, s.maxGapMs);
  return Math.round(min + random() * (max - min));
}

/** A pause with an end (a WhatsApp time lock) lapses by itself; one without waits for a person. */
export function activePause(pause: PauseRow | null, now: number): PauseRow | null {
  return pause && (pause.until === null || pause.until > now) ? pause : null;
}

/**
 * May one more message go now? Pause first, then the day's cap (smaller while warming up), then the first-contact
 * cap, which WhatsApp's own remaining quota can lower but never raise.
 */
export function judge(i: {
  settings: BudgetSettings;
  counts: DayCounts;
  firstContact: boolean;
  pause: PauseRow | null;
  now: number;
  nextDayStart: number;
  dailyCap?: number;
  quota?: NewChatQuota | null;
}): Verdict {
  const { settings: s, counts, firstContact } = i;
  const dailyCap = i.dailyCap ?? s.dailyCap;
  const pause = activePause(i.pause, i.now);
  if (pause) return { ok: false, code: 'paused', firstContact, until: pause.until, pause };
  if (dailyCap > 0 && counts.sent >= dailyCap) {
    return { ok: false, code: 'daily_cap', firstContact, until: i.nextDayStart, pause: null };
  }
  if (firstContact && s.firstContactDailyCap > 0 && counts.firstContacts >= s.firstContactDailyCap) {
    return { ok: false, code: 'first_contact_cap', firstContact, until: i.nextDayStart, pause: null };
  }
  if (firstContact && i.quota && i.quota.used >= i.quota.total) {
    return { ok: false, code: 'first_contact_cap', firstContact, until: i.nextDayStart, pause: null };
  }
  return { ok: true, firstContact };
}

/** A spike: as many failures as the threshold within the window. */
export function isSpike(failures: { at: number }[], s: BudgetSettings, now: number): boolean {
  if (s.failureThreshold <= 0) return false;
  return failures.filter((f) => f.at >= now - s.failureWindowMs).length >= s.failureThreshold;
}

/** The sending budget as the linking screen shows it; the channel adds why sending is held (`reason`). */
type BudgetView = Omit<LinkedDeviceView['budget'], 'reason'>;

export interface BudgetLedgerOptions {
  db: Db;
  settings: () => BudgetSettings;
  /** When the current link was made, for the warm-up; null when unknown (links made before it was recorded). */
  linkedAt: () => number | null;
  now: () => number;
  /** The clinic's local day of a moment ("2025-03-01"), and the start of the next one: caps are per local day. */
  dayOf: (at: number) => string;
  nextDayStart: (at: number) => number;
}

/** The budget's durable side: counters per day, recent failures and the pause live in SQLite and survive restarts. */
export function budgetLedger(o: BudgetLedgerOptions) {
  const firstContact = (phone: string): boolean => !hasWritten(o.db, phone);
  let quota: NewChatQuota | null = null;
  const capToday = (s: BudgetSettings, now: number): number => warmupOf(s, o.linkedAt(), now)?.cap ?? s.dailyCap;

  return {
    check(phone: string): Verdict {
      const now = o.now();
      const settings = o.settings();
      return judge({
        settings,
        counts: dayCounts(o.db, o.dayOf(now)),
        firstContact: firstContact(phone),
        pause: getPause(o.db),
        now,
        nextDayStart: o.nextDayStart(now),
        dailyCap: capToday(settings, now),
        quota,
      });
    },

    /** Counted before the message leaves, like the dispatcher's cap: a crash cannot let extra ones through. */
    recordSend(isFirstContact: boolean): void {
      addDaySend(o.db, o.dayOf(o.now()), isFirstContact);
      if (isFirstContact && quota) quota = { ...quota, used: quota.used + 1 };
    },

    /** WhatsApp's quota as last reported; a report without numbers leaves Avisa's own caps alone. */
    setQuota(q: NewChatQuota | null): void {
      quota = q;
    },

    capToday: (): number => capToday(o.settings(), o.now()),

    /** Records a failure WhatsApp reported; returns the pause it caused, if this one made a spike. */
    recordFailure(code: string, providerId: string | null): PauseRow | null {
      const now = o.now();
      const s = o.settings();
      return o.db.transaction((): PauseRow | null => {
        addFailure(o.db, { at: now, code, providerId });
        pruneFailures(o.db, now - Math.max(s.failureWindowMs, 24 * 3_600_000));
        if (activePause(getPause(o.db), now)) return null;
        const recent = failuresSince(o.db, now - s.failureWindowMs);
        if (!isSpike(recent, s, now)) return null;
        const pause: PauseRow = {
          code: 'failure_spike',
          detail: JSON.stringify({ failures: recent.length, lastCode: code, windowMs: s.failureWindowMs }),
          since: now,
          until: null,
        };
        setPause(o.db, pause);
        return pause;
      })();
    },

    pause(code: PauseCode, detail: string | null, until: number | null): PauseRow {
      const pause: PauseRow = { code, detail, since: o.now(), until };
      setPause(o.db, pause);
      return pause;
    },

    /** A person looked at the phone and resumes: the pause and the failures behind it are forgotten. */
    resume(): void {
      clearPause(o.db, o.now());
    },

    pauseNow: (): PauseRow | null => activePause(getPause(o.db), o.now()),

    view(): BudgetView {
      const now = o.now();
      const s = o.settings();
      const counts = dayCounts(o.db, o.dayOf(now));
      const warm = warmupOf(s, o.linkedAt(), now);
      return {
        day: o.dayOf(now),
        sent: counts.sent,
        dailyCap: warm?.cap ?? s.dailyCap,
        firstContacts: counts.firstContacts,
        firstContactDailyCap: s.firstContactDailyCap,
        minGapMs: s.minGapMs,
        maxGapMs: s.maxGapMs,
        recentFailures: failuresSince(o.db, now - s.failureWindowMs).length,
        failureThreshold: s.failureThreshold,
        failureWindowMs: s.failureWindowMs,
        pause: activePause(getPause(o.db), now),
        warmup: warm ? { day: warm.day, days: warm.days, fullCap: warm.fullCap } : null,
        whatsappQuota: quota,
      };
    },
  };
}

export type BudgetLedger = ReturnType<typeof budgetLedger>;
