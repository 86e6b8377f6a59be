import type { ChannelId } from '../../../shared/domain';
import type { SecretName, SettingsPatch, SettingsView } from '../../../shared/settings';
import type { Db } from '../store/db';
import { getSecret, putSecret, readSettings, secretNames as storedSecretNames, writeSettings } from '../store/settings-repo';
import type { SecretBox } from '../secrets/secret-box';
import { secretNames, settingsSchema, type Settings } from './schema';
import { secretTarget } from './secret-targets';

export interface SettingsService {
  get(): Settings;
  update(patch: SettingsPatch | Partial<Settings>): Settings;
  view(): SettingsView;
  setSecret(name: SecretName | string, value: string): void;
  getSecret(name: SecretName | string): string | null;
}

/** The channel messages go through when their kind has no route of its own; the demo until setup chose one. */
export function sendingChannel(settings: Pick<SettingsService, 'get'>): ChannelId {
  return settings.get().channel ?? 'demo';
}

export function settingsService(db: Db, box: SecretBox, now: () => number): SettingsService {
  // Stored values that no longer fit the schema fall back to defaults instead of stopping the app.
  const load = (): Settings => {
    const parsed = settingsSchema.safeParse(readSettings(db));
    return parsed.success ? parsed.data : settingsSchema.parse({});
  };
  let current = load();
  // Decrypted once and kept in memory: a send must not pay a decryption (or a keychain call) each time.
  const secretCache = new Map<string, string | null>();

  // Secrets stored before they were bound to a server belong to the one configured now.
  const unbound = storedSecretNames(db).filter((n) => secretTarget(n, current) !== null && !(n in current.secretTargets));
  if (unbound.length > 0) {
    const targets = { ...current.secretTargets };
    for (const n of unbound) targets[n] = secretTarget(n, current) ?? '';
    current = settingsSchema.parse({ ...current, secretTargets: targets });
    writeSettings(db, current);
  }
  /** False when the server the secret would go to is not the one it was entered for. */
  const boundHere = (name: string): boolean => {
    const target = secretTarget(name, current);
    return target === null || current.secretTargets[name] === target;
  };

  return {
    get: () => current,
    update(patch) {
      const next = settingsSchema.parse({
        ...current,
        ...patch,
        // Bindings change only with the secret itself (setSecret), never through a settings patch.
        secretTargets: current.secretTargets,
        cloudApi: { ...current.cloudApi, ...patch.cloudApi },
        linkedDevice: { ...current.linkedDevice, ...patch.linkedDevice },
        email: { ...current.email, ...patch.email },
        folderSource: { ...current.folderSource, ...patch.folderSource },
        hl7: { ...current.hl7, ...patch.hl7 },
        people: { ...current.people, ...patch.people },
        signing: { ...current.signing, ...patch.signing },
        results: {
          ...current.results,
          ...patch.results,
          kinds: { ...current.results.kinds, ...patch.results?.kinds },
        },
      });
      writeSettings(db, next);
      current = next;
      return current;
    },
    view() {
      const stored = new Set(storedSecretNames(db));
      const { secretTargets: _targets, ...visible } = current;
      return {
        ...visible,
        // A secret withheld after its server changed shows as not set: the screen asks for it again.
        secrets: Object.fromEntries(secretNames.map((n) => [n, stored.has(n) && boundHere(n)])) as Record<SecretName, boolean>,
      };
    },
    setSecret(name, value) {
      putSecret(db, name, box.encrypt(value), now());
      secretCache.set(name, value);
      const target = secretTarget(name, current);
      if (target !== null) {
        current = settingsSchema.parse({ ...current, secretTargets: { ...current.secretTargets, [name]: target } });
        writeSettings(db, current);
      }
    },
    getSecret(name) {
      if (!boundHere(name)) return null;
      if (!secretCache.has(name)) {
        const data = getSecret(db, name);
        secretCache.set(name, data ? box.decrypt(data) : null);
      }
      return secretCache.get(name) ?? null;
    },
  };
}
