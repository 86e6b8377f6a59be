import {
  BufferJSON,
  initAuthCreds,
  proto,
  type AuthenticationCreds,
  type AuthenticationState,
  type SignalDataSet,
  type SignalDataTypeMap,
  type SignalKeyStore,
} from '@whiskeysockets/baileys';
import type { Db } from '../../store/db';
import { clearAuth, clearAuthExcept, getAuthValues, writeAuth, type AuthRow } from '../../store/linked-device-repo';
import type { Sealer } from './sealer';

const CREDS = 'creds';

export interface SessionStore {
  /** The current state; a new object after `clear`, so always read it when building a socket. */
  readonly state: AuthenticationState;
  /** Writes the credentials as they are now (after Baileys merged a `creds.update` into them). */
  saveCreds(): void;
  /** Paired with a phone: WhatsApp signed this device's identity. A pending pairing code is not a link. */
  isLinked(): boolean;
  /** Forgets the session (logged out): fresh credentials, nothing left in the store. */
  clear(): void;
  /** The stored session could not be opened (the OS keychain or key file changed) and was cleared at start. */
  readonly keyLost: boolean;
}

const encode = (value: unknown): string => JSON.stringify(value, BufferJSON.replacer);
const decode = (text: string): unknown => JSON.parse(text, BufferJSON.reviver) as unknown;
const context = (kind: string, id: string): string => `${kind}\u0000${id}`;

/**
 * Baileys' auth state in SQLite. Unlike useMultiFileAuthState (which its authors call unfit for production), every
 * write of signal keys carries the credentials as they are at that moment, in the same transaction: the two halves
 * of a session cannot drift apart, which is what leaves peers in "Bad MAC" loops or asking for a QR after a restart.
 */
export function sqliteAuthState(db: Db, sealer: Sealer, now: () => number): SessionStore {
  const readCreds = (): AuthenticationCreds | null => {
    const idMac = sealer.mac('');
    const sealed = getAuthValues(db, CREDS, [idMac]).get(idMac.toString('hex'));
    return sealed ? (decode(sealer.open(sealed, context(CREDS, ''))) as AuthenticationCreds) : null;
  };

  // A session sealed under a key the SecretBox can no longer open (keychain reset, another user, a copied
  // database) cannot be used: starting unlinked with the reason beats a channel that throws at every start.
  let keyLost = false;
  const openCreds = (): AuthenticationCreds | null => {
    try {
      return readCreds();
    } catch {
      keyLost = true;
      clearAuth(db);
      sealer.reset();
      return null;
    }
  };
  let creds: AuthenticationCreds = openCreds() ?? initAuthCreds();

  const credsRow = (): AuthRow => ({
    kind: CREDS,
    idMac: sealer.mac(''),
    value: sealer.seal(encode(creds), context(CREDS, '')),
  });

  const keys: SignalKeyStore = {
    get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]): { [id: string]: SignalDataTypeMap[T] } {
      const macs = ids.map((id) => sealer.mac(id));
      const found = getAuthValues(db, type, macs);
      const result: { [id: string]: SignalDataTypeMap[T] } = {};
      ids.forEach((id, i) => {
        const sealed = found.get(macs[i]?.toString('hex') ?? '');
        if (!sealed) return;
        let value = decode(sealer.open(sealed, context(type, id)));
        if (type === 'app-state-sync-key' && value) {
          // Baileys reads this one as a protobuf object, not a plain one.
          value = proto.Message.AppStateSyncKeyData.fromObject(value as Record<string, unknown>);
        }
        result[id] = value as SignalDataTypeMap[T];
      });
      return result;
    },
    set(data: SignalDataSet): void {
      const put: AuthRow[] = [credsRow()];
      const remove: { kind: string; idMac: Buffer }[] = [];
      for (const kind of Object.keys(data) as (keyof SignalDataTypeMap)[]) {
        for (const [id, value] of Object.entries(data[kind] ?? {})) {
          const idMac = sealer.mac(id);
          if (value === null || value === undefined) remove.push({ kind, idMac });
          else put.push({ kind, idMac, value: sealer.seal(encode(value), context(kind, id)) });
        }
      }
      writeAuth(db, { put, remove }, now());
    },
    clear(): void {
      // The key store only: the credentials stay, as they would with Baileys' own stores.
      clearAuthExcept(db, CREDS);
    },
  };

  return {
    get state(): AuthenticationState {
      return { creds, keys };
    },
    saveCreds() {
      writeAuth(db, { put: [credsRow()], remove: [] }, now());
    },
    isLinked: () => Boolean(creds.me?.id && creds.account),
    get keyLost() {
      return keyLost;
    },
    clear() {
      clearAuth(db);
      sealer.reset();
      creds = initAuthCreds();
    },
  };
}
