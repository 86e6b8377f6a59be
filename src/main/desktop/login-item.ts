import { app } from 'electron';
import type { ApiResponse } from '../../shared/api';
import type { SettingsView } from '../../shared/settings';
import type { AvisaCore } from '../core/app-types';

/** The current settings, or null when the core cannot give them (the caller keeps its previous state). */
export async function readSettings(core: Pick<AvisaCore, 'invoke'>): Promise<SettingsView | null> {
  const response = await core.invoke('settings.get', {});
  return settingsFrom(response);
}

/** `settings.get` and `settings.update` both answer with the SettingsView. */
export function settingsFrom(response: ApiResponse<unknown>): SettingsView | null {
  return response.ok ? (response.result as SettingsView) : null;
}

export interface LoginItemSync {
  /** Re-reads the setting from the core and applies it. */
  refresh(): Promise<void>;
  /** Applies a value already known (e.g. the answer to a `settings.update`). */
  apply(openAtLogin: boolean): void;
}

/**
 * Keeps the OS login item in line with the `openAtLogin` setting. Changing only `openAtLogin` does not emit
 * `status.changed`, so index.ts calls `apply` after every successful `settings.update` that goes through IPC.
 */
export function loginItemSync(core: Pick<AvisaCore, 'invoke'>, platform = process.platform): LoginItemSync {
  let applied: boolean | null = null;
  const apply = (openAtLogin: boolean): void => {
    // Electron only implements login items on macOS and Windows; on Linux the call does nothing useful.
    if (platform !== 'darwin' && platform !== 'win32') return;
    // Writing the registry / login items on every settings save is needless churn: only on a real change.
    if (applied === openAtLogin) return;
    app.setLoginItemSettings({ openAtLogin });
    applied = openAtLogin;
  };
  return {
    apply,
    async refresh() {
      const settings = await readSettings(core);
      if (settings) apply(settings.openAtLogin);
    },
  };
}
