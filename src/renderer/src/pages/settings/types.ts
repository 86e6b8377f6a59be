import type { SettingsPatch } from '../../../../shared/settings';

/** Saves a patch through `settings.update`; resolves to whether it was accepted. */
export type Save = (patch: SettingsPatch) => Promise<boolean>;
