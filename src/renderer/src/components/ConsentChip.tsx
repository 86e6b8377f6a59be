import { useTranslation } from 'react-i18next';
import type { ConsentStatus } from '../../../shared/domain';
import { Chip } from './Chip';
import { consentTone } from './tones';

const known = new Set<string>(['unknown', 'opted_in', 'opted_out']);

/** A patient's consent in words; a state this screen does not know reads "not recorded", never a code. */
export function ConsentChip({ status }: { status: ConsentStatus }) {
  const { t } = useTranslation();
  const shown: ConsentStatus = known.has(status) ? status : 'unknown';
  return <Chip tone={consentTone[shown]}>{t(`consent.${shown}`)}</Chip>;
}
