import { describe, expect, it } from 'vitest';
import { afterNote } from '../../src/renderer/src/components/notes';
import {
  SECTION_PAGE,
  SETTINGS_PAGES,
  channelFixAt,
  hashOf,
  settingsPageOf,
  targetOfHash,
  type NavTarget,
  type SettingsSection,
} from '../../src/renderer/src/nav';

describe('addresses of pages and Ajustes sub-pages', () => {
  it('gives every sub-page and section an address that leads back to the same place', () => {
    for (const settingsPage of SETTINGS_PAGES) {
      const target: NavTarget = { page: 'settings', settingsPage };
      expect(targetOfHash(hashOf(target))).toEqual(target);
    }
    for (const section of Object.keys(SECTION_PAGE) as SettingsSection[]) {
      const back = targetOfHash(hashOf({ page: 'settings', section }));
      expect(back.section).toBe(section);
      expect(settingsPageOf(back)).toBe(SECTION_PAGE[section]);
    }
    expect(hashOf({ page: 'settings', section: 'linked-device' })).toBe('#/settings/whatsapp/linked-device');
    expect(hashOf({ page: 'messages', messageState: 'failed' })).toBe('#/messages');
  });

  it('opens General for Ajustes without a sub-page, and the Panel for an address it does not know', () => {
    expect(settingsPageOf(targetOfHash('#/settings'))).toBe('general');
    expect(targetOfHash('')).toEqual({ page: 'panel' });
    expect(targetOfHash('#/nowhere/else')).toEqual({ page: 'panel' });
    expect(targetOfHash('#/settings/nowhere/nothing')).toEqual({ page: 'settings' });
  });

  it("sends each channel's problem to the section that fixes it", () => {
    expect(channelFixAt('linked-device')).toEqual({ page: 'settings', section: 'linked-device' });
    expect(channelFixAt('cloud-api')).toEqual({ page: 'settings', section: 'cloud-api' });
    expect(channelFixAt(null)).toEqual({ page: 'settings', section: 'channel' });
  });
});

describe('which notes stay when a new one comes', () => {
  const error = (id: number, topic?: string) => ({ id, kind: 'error' as const, text: `e${id}`, topic });

  it('a success on the same topic replaces its error; errors on other topics stay, at most two', () => {
    const list = [error(1, 'settings.save'), error(2, 'backup.config'), error(3), error(4)];
    const next = afterNote(list, { id: 5, kind: 'ok', text: 'Guardado', topic: 'settings.save' });
    expect(next.map((n) => n.id)).toEqual([3, 4, 5]);
  });

  it('a later warning or success replaces an earlier one', () => {
    const list = [{ id: 1, kind: 'warn' as const, text: 'w' }, { id: 2, kind: 'ok' as const, text: 'o' }];
    expect(afterNote(list, { id: 3, kind: 'ok', text: 'o2' }).map((n) => n.id)).toEqual([3]);
  });
});
