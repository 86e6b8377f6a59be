import type { Db } from '../store/db';
import { getValidation } from '../store/validations-repo';
import type { SignOffSettings } from '../settings/people-settings';

export interface SignOffRule {
  /** Whether a result may go out as far as validation goes: its kind does not need it, its source is trusted, or done. */
  cleared(item: { resultId: number; kind: string; source: string; sourceApproved: boolean }): boolean;
}

export function signOffRule(db: Db, settings: () => SignOffSettings): SignOffRule {
  return {
    cleared({ resultId, kind, source, sourceApproved }) {
      const s = settings();
      if (!(s.requiredKinds as string[]).includes(kind)) return true;
      // A lab whose own system validated (and says so) can be trusted by setting.
      if (sourceApproved && s.trustedSources.includes(source)) return true;
      return getValidation(db, resultId) !== null;
    },
  };
}
