import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppStatus } from '../../src/shared/api';
import { baseStatus, fakeCore, flush, type FakeCore } from './fake-core';
import { fakeElectron, resetFakeElectron, type FakeTray } from './fake-electron';
import { createTray, resourcePath, resourcesDir, trayMenuModel, trayTooltip } from '../../src/main/desktop/tray';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron());

const status = (patch: Partial<AppStatus>): AppStatus => ({ ...baseStatus, ...patch });
const labels = (tray: FakeTray): (string | undefined)[] => tray.menu?.template.map((i) => i.label ?? i.type) ?? [];
const click = (tray: FakeTray, label: string): void => {
  const item = tray.menu?.template.find((i) => i.label === label);
  expect(item?.click, `menu item ${label}`).toBeDefined();
  item?.click?.();
};

describe('tray text (pure)', () => {
  it('summarises queue, failures and pause in Spanish', () => {
    expect(trayTooltip(status({ queued: 3, failed: 1, sendingPaused: true }))).toBe(
      'Avisa — 3 en cola · 1 fallido · envíos en pausa',
    );
    expect(trayTooltip(status({ queued: 0, failed: 2 }))).toBe('Avisa — 2 fallidos');
    expect(trayTooltip(status({ queued: 12 }))).toBe('Avisa — 12 en cola');
    expect(trayTooltip(status({}))).toBe('Avisa — todo al día');
    expect(trayTooltip(status({ demo: true, queued: 1 }))).toBe('Avisa — 1 en cola · modo demostración');
    expect(trayTooltip(status({ setupComplete: false, queued: 4 }))).toBe('Avisa — falta configurar');
  });

  it('says when the channel itself is stopped or not set up', () => {
    const held = { state: 'paused' as const, reason: 'El token venció', code: '190' };
    expect(trayTooltip(status({ channelHealth: held, queued: 2 }))).toBe('Avisa — 2 en cola · canal detenido');
    const missing = { state: 'not_configured' as const, reason: 'Falta vincular', code: 'not_configured' };
    expect(trayTooltip(status({ channelHealth: missing }))).toBe('Avisa — canal sin configurar');
    expect(trayTooltip(status({ channelHealth: held, sendingPaused: true }))).toBe('Avisa — envíos en pausa');
  });

  it('says when no WhatsApp statuses arrive', () => {
    const silent = status({ queued: 1, webhookSilentSince: Date.UTC(2026, 2, 2, 15) });
    expect(trayTooltip(silent)).toBe('Avisa — 1 en cola · No llegan estados de WhatsApp');
    expect(trayTooltip(silent, 'en')).toBe('Avisa — 1 queued · No WhatsApp statuses arriving');
  });

  it('puts a disk problem first and says when the backup failed', () => {
    const backup = { state: 'failed' as const, lastGoodAt: null, failure: { reason: 'No se encontró la carpeta', detail: 'ENOENT', at: 1 }, nextRetryAt: null, progress: null };
    const storage = { code: 'full' as const, reason: 'El disco está lleno', detail: 'SQLITE_FULL', at: 1 };
    expect(trayTooltip(status({ queued: 2, operations: { backup, storage } }))).toBe(
      'Avisa — problema de disco: envíos en pausa · 2 en cola · la copia de seguridad falló',
    );
    expect(trayTooltip(status({ operations: { backup: { ...backup, state: 'ok', failure: null }, storage: null } }))).toBe('Avisa — todo al día');
    expect(trayTooltip(status({ operations: { backup, storage: null } }), 'en')).toBe('Avisa — the backup failed');
  });

  it('speaks English when the clinic chose it', () => {
    expect(trayTooltip(status({ queued: 3, failed: 1, sendingPaused: true }), 'en')).toBe(
      'Avisa — 3 queued · 1 failed · sending paused',
    );
    expect(trayTooltip(status({}), 'en')).toBe('Avisa — all caught up');
  });

  it('offers Pausar or Reanudar depending on the state', () => {
    expect(trayMenuModel(status({ queued: 1 }))).toEqual([
      { kind: 'info', label: '1 en cola' },
      { kind: 'separator' },
      { kind: 'action', action: 'open', label: 'Abrir Avisa' },
      { kind: 'action', action: 'toggle-pause', label: 'Pausar envíos' },
      { kind: 'separator' },
      { kind: 'action', action: 'quit', label: 'Salir' },
    ]);
    const paused = trayMenuModel(status({ sendingPaused: true }));
    expect(paused[3]).toEqual({ kind: 'action', action: 'toggle-pause', label: 'Reanudar envíos' });
    const english = trayMenuModel(status({ sendingPaused: true }), 'en').map((i) => ('label' in i ? i.label : '-'));
    expect(english).toEqual(['sending paused', '-', 'Open Avisa', 'Resume sending', '-', 'Quit']);
  });
});

describe('tray (with Electron fakes)', () => {
  let core: FakeCore;
  let shown: number;
  let quits: number;
  const start = () =>
    createTray({
      core,
      showWindow: () => {
        shown += 1;
      },
      quit: () => {
        quits += 1;
      },
    });
  const onlyTray = (): FakeTray => {
    expect(fakeElectron().Tray.instances).toHaveLength(1);
    return fakeElectron().Tray.instances[0] as FakeTray;
  };

  beforeEach(() => {
    resetFakeElectron();
    core = fakeCore({ status: { queued: 2 } });
    shown = 0;
    quits = 0;
  });

  it('uses resources/tray.png from the repo in development and process.resourcesPath when packaged', () => {
    expect(resourcesDir()).toBe('/fake/app/resources');
    start();
    expect(onlyTray().image.path).toBe('/fake/app/resources/tray.png');

    const original = Object.getOwnPropertyDescriptor(process, 'resourcesPath');
    Object.defineProperty(process, 'resourcesPath', { value: '/opt/Avisa/resources', configurable: true });
    fakeElectron().app.isPackaged = true;
    try {
      expect(resourcePath('icon.png')).toBe('/opt/Avisa/resources/icon.png');
    } finally {
      if (original) Object.defineProperty(process, 'resourcesPath', original);
      else Reflect.deleteProperty(process, 'resourcesPath');
    }
  });

  it('shows the status it starts with and follows status.changed', () => {
    start();
    const tray = onlyTray();
    expect(tray.tooltip).toBe('Avisa — 2 en cola');
    core.emit({ name: 'status.changed', data: status({ queued: 0, failed: 1, sendingPaused: true }) });
    expect(tray.tooltip).toBe('Avisa — 1 fallido · envíos en pausa');
    expect(labels(tray)).toEqual([
      '1 fallido · envíos en pausa',
      'separator',
      'Abrir Avisa',
      'Reanudar envíos',
      'separator',
      'Salir',
    ]);
    expect(tray.menu?.template[0]?.enabled).toBe(false);
    // Other events do not redraw.
    core.emit({ name: 'message.changed', data: { id: 1, state: 'sent' } });
    expect(tray.tooltip).toBe('Avisa — 1 fallido · envíos en pausa');
  });

  it('Pausar envíos asks the core to pause and the menu then offers Reanudar', async () => {
    start();
    const tray = onlyTray();
    click(tray, 'Pausar envíos');
    await flush();
    expect(core.calls).toContainEqual({ name: 'settings.update', args: { sendingPaused: true } });
    expect(tray.tooltip).toBe('Avisa — 2 en cola · envíos en pausa');
    click(tray, 'Reanudar envíos');
    await flush();
    expect(core.calls.filter((c) => c.name === 'settings.update').map((c) => c.args)).toEqual([
      { sendingPaused: true },
      { sendingPaused: false },
    ]);
    expect(labels(tray)).toContain('Pausar envíos');
  });

  it('Abrir and a click on the icon show the window; Salir quits', () => {
    start();
    const tray = onlyTray();
    click(tray, 'Abrir Avisa');
    tray.emit('click');
    expect(shown).toBe(2);
    click(tray, 'Salir');
    expect(quits).toBe(1);
  });

  it('switches to English once the settings say so', async () => {
    core.settings = { ...core.settings, language: 'en' };
    start();
    await flush();
    expect(onlyTray().tooltip).toBe('Avisa — 2 queued');
    expect(labels(onlyTray())).toContain('Pause sending');
  });

  it('dispose destroys the icon and stops listening', () => {
    const tray = start();
    tray.dispose();
    expect(onlyTray().destroyed).toBe(true);
    expect(core.listenerCount()).toBe(0);
  });
});
