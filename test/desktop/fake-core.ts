import type { ApiResponse, AppStatus, AvisaEvent } from '../../src/shared/api';
import type { AvisaCore } from '../../src/main/core/app-types';
import type { SettingsView } from '../../src/shared/settings';
import { settingsSchema } from '../../src/main/core/settings/schema';

const defaults = settingsSchema.parse({});

export const baseStatus: AppStatus = {
  version: '0.1.0',
  setupComplete: true,
  clinicName: 'Clínica San Martín',
  channel: 'demo',
  demo: false,
  sendingPaused: false,
  queued: 0,
  failed: 0,
  unknown: 0,
  mode: 'desktop',
  channelHealth: { state: 'ready', reason: null, code: null },
  webhook: null,
  hl7Port: null,
};

export const baseSettings: SettingsView = {
  clinicName: 'Clínica San Martín',
  setupComplete: true,
  language: 'es',
  channel: 'demo',
  sendingPaused: false,
  openAtLogin: false,
  cloudApi: {
    baseUrl: '',
    apiVersion: '',
    phoneNumberId: '',
    wabaId: '',
    maxPerSecond: 80,
    recipientGapMs: 6000,
    fallbackTemplate: 'aviso_clinica',
    templateLanguage: 'es',
    webhookPort: 5191,
  },
  dailyCap: 0,
  unknownAfterMinutes: 15,
  autoResendUnknown: false,
  channelProblem: null,
  routing: {},
  results: defaults.results,
  folderSource: defaults.folderSource,
  hl7: defaults.hl7,
  clinicDb: { results: null, appointments: null },
  signing: defaults.signing,
  email: defaults.email,
  linkedDevice: {
    minGapSeconds: 8,
    maxGapSeconds: 25,
    dailyCap: 150,
    firstContactDailyCap: 15,
    failurePauseCount: 3,
    failureWindowMinutes: 30,
    warmupStartCap: 30,
    warmupDays: 7,
    offlineReplyMaxDays: 7,
  },
  secrets: {
    'cloudApi.accessToken': false,
    'cloudApi.appSecret': false,
    'cloudApi.verifyToken': false,
    'certificate.password': false,
    'email.password': false,
  },
};

export interface FakeCore extends AvisaCore {
  calls: { name: string; args: unknown }[];
  settings: SettingsView;
  currentStatus: AppStatus;
  started: number;
  stopped: number;
  listenerCount(): number;
  emit(event: AvisaEvent): void;
}

/** A core that answers settings.get/update from memory and records every call; nothing else is real. */
export function fakeCore(init: { status?: Partial<AppStatus>; settings?: Partial<SettingsView> } = {}): FakeCore {
  const listeners = new Set<(event: AvisaEvent) => void>();
  const core: FakeCore = {
    calls: [],
    settings: { ...baseSettings, ...init.settings },
    currentStatus: { ...baseStatus, ...init.status },
    started: 0,
    stopped: 0,
    async invoke(name, args): Promise<ApiResponse<unknown>> {
      core.calls.push({ name, args });
      if (name === 'settings.get') return { ok: true, result: core.settings };
      if (name === 'settings.update') {
        core.settings = { ...core.settings, ...(args as Partial<SettingsView>) };
        return { ok: true, result: core.settings };
      }
      if (name === 'app.status') return { ok: true, result: core.currentStatus };
      return { ok: false, error: { code: 'unknown_handler', message: name } };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    status: () => core.currentStatus,
    async start() {
      core.started += 1;
    },
    async stop() {
      core.stopped += 1;
    },
    listenerCount: () => listeners.size,
    emit(event) {
      for (const listener of [...listeners]) listener(event);
    },
  };
  return core;
}

/** Lets pending promise callbacks (the async parts of the glue) run. */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
