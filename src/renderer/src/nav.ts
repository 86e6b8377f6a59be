import { createContext, useContext } from 'react';
import type { MessageState } from '../../shared/domain';

export type PageId = 'panel' | 'messages' | 'appointments' | 'results' | 'patients' | 'campaigns' | 'settings';

/** A part of Ajustes that can be opened directly (the header's channel chip opens the linked phone, Citas the rules). */
export type SettingsSection = 'linked-device' | 'reminders' | 'reception' | 'certificate';

/** Where to go, with what a page should open with (e.g. Mensajes filtered by one state). */
export interface NavTarget {
  page: PageId;
  messageState?: MessageState;
  /** With messageState 'failed': only the failures nobody has resent yet (the header's count). */
  openFailures?: boolean;
  section?: SettingsSection;
}

export interface NavApi {
  current: NavTarget;
  goTo(target: NavTarget): void;
}

export const NavContext = createContext<NavApi | null>(null);

export function useNav(): NavApi {
  const api = useContext(NavContext);
  if (!api) throw new Error('useNav outside the app shell');
  return api;
}
