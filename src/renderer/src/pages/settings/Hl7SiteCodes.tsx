import { useTranslation } from 'react-i18next';
import type { SettingsView } from '../../../../shared/settings';
import { SiteCodesTable } from './SiteCodesTable';
import type { Save } from './types';

/** Ajustes → HL7 → location codes: the sender's codes (AIL-3, PV1-3) that mean each site; an unknown one gets AE. */
export function Hl7SiteCodes({ view, save }: { view: SettingsView; save: Save }) {
  const { t } = useTranslation();
  return (
    <SiteCodesTable
      id="hl7"
      initial={view.hl7.siteCodes}
      onSave={(siteCodes) => save({ hl7: { siteCodes } })}
      title={t('hl7.siteCodes.title')}
      hint={t('hl7.siteCodes.hint')}
    />
  );
}
