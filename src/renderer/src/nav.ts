import { useEffect, useRef, createContext, useContext } from 'react';
import type { ChannelId, MessageState } from '../../shared/domain';

export type PageId = 'panel' | 'messages' | 'appointments' | 'results' | 'patients' | 'campaigns' | 'settings';

const PAGE_IDS: readonly PageId[] = ['panel', 'messages', 'appointments', 'results', 'patients', 'campaigns', 'settings'];

/** The sub-pages of Ajustes, in the order the sub-navigation lists them. */
export const SETTINGS_PAGES = ['general', 'whatsapp', 'reminders', 'documents', 'sources', 'email', 'people', 'backups', 'advanced'] as const;
export type SettingsPage = (typeof SETTINGS_PAGES)[number];

/**
 * A part of Ajustes that can be opened directly, with the focus on its heading (the header's channel chip opens the
 * linked phone, Citas the rules, a banner the section that fixes what it reports).
 */
export type SettingsSection =
  | 'general'
  | 'channel'
  | 'cloud-api'
  | 'linked-device'
  | 'sending'
  | 'reception'
  | 'reminders'
  | 'certificate'
  | 'routing'
  | 'folder'
  | 'email'
  | 'backups'
  | 'secrets'
  | 'audit';

/** Which sub-page holds each section. */
export const SECTION_PAGE: Record<SettingsSection, SettingsPage> = {
  general: 'general',
  channel: 'whatsapp',
  'cloud-api': 'whatsapp',
  'linked-device': 'whatsapp',
  sending: 'whatsapp',
  reception: 'whatsapp',
  reminders: 'reminders',
  certificate: 'documents',
  routing: 'documents',
  folder: 'sources',
  email: 'email',
  backups: 'backups',
  secrets: 'advanced',
  audit: 'advanced',
};

/** Where to go, with what a page should open with (e.g. Mensajes filtered by one state). */
export interface NavTarget {
  page: PageId;
  messageState?: MessageState;
  /** With messageState 'failed': only the failures nobody has resent yet (the header's count). */
  openFailures?: boolean;
  /** Ajustes: the sub-page; without it, the one holding `section`, else General. */
  settingsPage?: SettingsPage;
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

/** The Ajustes sub-page a target opens. */
export function settingsPageOf(target: NavTarget): SettingsPage {
  return target.settingsPage ?? (target.section ? SECTION_PAGE[target.section] : 'general');
}

/** The section of Ajustes that fixes the channel: the phone's link, the Cloud API's number and keys, or the choice. */
export function channelFixAt(channel: ChannelId | null): NavTarget {
  if (channel === 'linked-device') return { page: 'settings', section: 'linked-device' };
  if (channel === 'cloud-api') return { page: 'settings', section: 'cloud-api' };
  return { page: 'settings', section: 'channel' };
}

/** The address of a place, so a reload or "back" returns to it: #/messages, #/settings/whatsapp/linked-device. */
export function hashOf(target: NavTarget): string {
  if (target.page !== 'settings') return `#/${target.page}`;
  const parts = ['#', 'settings', settingsPageOf(target)];
  if (target.section) parts.push(target.section);
  return parts.join('/');
}

/** The place an address names; anything unknown opens the Panel. */
export function targetOfHash(hash: string): NavTarget {
  const [page, sub, section] = hash.replace(/^#\/?/, '').split('/');
  if (!PAGE_IDS.includes(page as PageId)) return { page: 'panel' };
  if (page !== 'settings') return { page: page as PageId };
  const target: NavTarget = { page: 'settings' };
  if (SETTINGS_PAGES.includes(sub as SettingsPage)) target.settingsPage = sub as SettingsPage;
  if (section && section in SECTION_PAGE) target.section = section as SettingsSection;
  return target;
}

/**
 * Asked before every navigation: a page with unsaved changes answers false (and asks the person itself). One at a
 * time: only the page on screen holds changes.
 */
type LeaveGuard = (target: NavTarget) => boolean;
let leaveGuard: LeaveGuard | null = null;

export function mayLeave(target: NavTarget): boolean {
  return leaveGuard ? leaveGuard(target) : true;
}

/** Registers the page's guard while it is mounted. */
export function useLeaveGuard(guard: LeaveGuard): void {
  const latest = useRef(guard);
  useEffect(() => {
    latest.current = guard;
  });
  useEffect(() => {
    const mine: LeaveGuard = (target) => latest.current(target);
    leaveGuard = mine;
    return () => {
      if (leaveGuard === mine) leaveGuard = null;
    };
  }, []);
}

/**
 * Keeps the address in step with the place on screen: every navigation adds a history entry, and "back"/"forward"
 * (or an edited address) navigate through `goTo`, which may refuse (unsaved changes): the address then goes back.
 */
export function useUrlHash(current: NavTarget, goTo: (target: NavTarget) => void): void {
  const shown = useRef(current);
  useEffect(() => {
    shown.current = current;
    const hash = hashOf(current);
    if (window.location.hash === hash) return;
    // The first place replaces the bare address rather than adding a step "back" would have to undo.
    if (!window.location.hash) window.history.replaceState(null, '', hash);
    else window.history.pushState(null, '', hash);
  }, [current]);
  useEffect(() => {
    const onPop = (): void => {
      const target = targetOfHash(window.location.hash);
      if (hashOf(target) === hashOf(shown.current)) return;
      if (!mayLeave(target)) {
        window.history.pushState(null, '', hashOf(shown.current));
        return;
      }
      goTo(target);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [goTo]);
}
