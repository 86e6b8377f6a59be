import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

// How long before the appointment a reminder goes. A rule's key ("24h", "2h", "90m") is made from its lead time when
// the rule is created (src/main/core/scheduler/rules.ts, ruleKeyForLead) and never changes afterwards.

/** The key the core gives a new rule with this lead time. */
export function ruleKeyForLead(leadMinutes: number): string {
  return leadMinutes % 60 === 0 ? `${leadMinutes / 60}h` : `${leadMinutes}m`;
}

/** The lead time a rule key names, or null for a key not made that way. */
export function leadOfRuleKey(ruleKey: string): number | null {
  const m = /^(\d+)(h|m)$/.exec(ruleKey);
  if (!m) return null;
  return m[2] === 'h' ? Number(m[1]) * 60 : Number(m[1]);
}

/** "24 h", "2 h", "30 min": from minutes, or from a rule key (shown as is when it names no lead time). */
export function useLeadLabel(): (lead: number | string) => string {
  const { t } = useTranslation();
  return useCallback(
    (lead: number | string) => {
      const minutes = typeof lead === 'number' ? lead : leadOfRuleKey(lead);
      if (minutes === null) return String(lead);
      return minutes % 60 === 0
        ? t('reminders.lead.hours', { n: minutes / 60 })
        : t('reminders.lead.minutes', { n: minutes });
    },
    [t],
  );
}
