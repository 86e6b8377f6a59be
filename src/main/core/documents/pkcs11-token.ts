import { createHash } from 'node:crypto';
import type Pkcs11Lib from 'pkcs11js';
export { TokenError } from './token-error';
import type { TokenCertificateView, TokenView } from '../../../shared/signing-api';
import { type SigningIdentity, describeCertificate } from './certificate';
import { seq, toDer, uint } from './der';
import { tokenReasons } from './texts';
import { TokenError } from './token-error';
import { type ParsedCertificate, parseCertificate } from './x509';

// A signing key on a token or smart card (a DNIe through its middleware, a USB token through its vendor's library,
// OpenSC's opensc-pkcs11) reached through the card's PKCS#11 module with pkcs11js. The key never leaves the card: the
// card signs. A PIN is only ever sent once per attempt; a wrong one is reported and never retried, so Avisa cannot burn
// the card's retry counter.

/** Which module, which token (by serial: slot numbers change between plug-ins) and which certificate on it. */
export interface TokenLocation {
  modulePath: string;
  tokenSerial: string;
  /** CKA_ID of the certificate and its private key, hex. */
  certificateId: string;
}

type Lib = typeof Pkcs11Lib;
/**
 * The binding is native code: loaded on first use, so an installation that never signs with a token never loads it
 * (and a binding that does not load only stops token signing, with the reason).
 */
let pkcs11js: Lib;
async function binding(): Promise<Lib> {
  if (!pkcs11js) {
    try {
      const imported = (await import('pkcs11js')) as Lib & { default?: Lib };
      pkcs11js = imported.default ?? imported;
    } catch (err) {
      throw new TokenError('token_module', tokenReasons.token_module('pkcs11js'), message(err));
    }
  }
  return pkcs11js;
}

const modules = new Map<string, Pkcs11Lib.PKCS11>();

/** One loaded and initialised library per path for the life of the process (C_Initialize may run only once). */
async function moduleAt(path: string): Promise<Pkcs11Lib.PKCS11> {
  const loaded = modules.get(path);
  if (loaded) return loaded;
  const module = new (await binding()).PKCS11();
  try {
    module.load(path);
    module.C_Initialize();
  } catch (err) {
    throw new TokenError('token_module', tokenReasons.token_module(path), message(err));
  }
  modules.set(path, module);
  return module;
}

/** Unloads every module (at shutdown). */
export function closeTokenModules(): void {
  for (const [path, module] of modules) {
    try {
      module.C_Finalize();
      module.close();
    } catch {
      // a module that will not finalise is dropped anyway
    }
    modules.delete(path);
  }
}

export async function listTokens(modulePath: string): Promise<TokenView[]> {
  const module = await moduleAt(modulePath);
  return guard(() =>
    module.C_GetSlotList(true).flatMap((slot) => {
      const info = module.C_GetTokenInfo(slot);
      if (!(info.flags & pkcs11js.CKF_TOKEN_INITIALIZED)) return [];
      return [
        {
          serial: info.serialNumber.trim(),
          label: info.label.trim(),
          manufacturer: info.manufacturerID.trim(),
          model: info.model.trim(),
          pinCountLow: (info.flags & pkcs11js.CKF_USER_PIN_COUNT_LOW) !== 0,
          pinFinalTry: (info.flags & pkcs11js.CKF_USER_PIN_FINAL_TRY) !== 0,
          pinLocked: (info.flags & pkcs11js.CKF_USER_PIN_LOCKED) !== 0,
        },
      ];
    }),
  );
}

/** The certificates on a token (public objects: no PIN needed), to choose the one to sign with. */
export async function listTokenCertificates(modulePath: string, tokenSerial: string, now: Date): Promise<TokenCertificateView[]> {
  const module = await moduleAt(modulePath);
  const session = guard(() => module.C_OpenSession(slotOf(module, tokenSerial), pkcs11js.CKF_SERIAL_SESSION));
  try {
    return guard(() => certificatesIn(module, session)).map(({ id, label, certificate }) => ({
      id,
      label,
      info: describeCertificate(certificate, certificate.x509.publicKey.asymmetricKeyType ?? 'unknown', now),
    }));
  } finally {
    quietly(() => module.C_CloseSession(session));
  }
}

export interface TokenSession {
  identity: SigningIdentity;
  /** False once the token was removed or the session broke: the next signature needs a new session. */
  alive(): boolean;
  close(): void;
}

/**
 * Logs in once with the PIN and returns an identity whose signatures the card makes. A wrong PIN, a locked PIN or a
 * missing token throws a TokenError with the reason; the caller must not try the same PIN again.
 */
export async function openTokenSession(location: TokenLocation, pin: string, now: Date): Promise<TokenSession> {
  const module = await moduleAt(location.modulePath);
  const slot = slotOf(module, location.tokenSerial);
  const session = guard(() => module.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION));
  let alive = true;
  const close = (): void => {
    if (!alive) return;
    alive = false;
    quietly(() => module.C_Logout(session));
    quietly(() => module.C_CloseSession(session));
  };
  try {
    guard(() => module.C_Login(session, pkcs11js.CKU_USER, pin));
    const found = guard(() => certificatesIn(module, session)).find((c) => c.id === location.certificateId.toLowerCase());
    if (!found) throw new TokenError('no_token_key', tokenReasons.no_token_key(), `no certificate with id ${location.certificateId}`);
    const key = guard(() => findOne(module, session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
      { type: pkcs11js.CKA_ID, value: Buffer.from(found.id, 'hex') },
    ]));
    if (!key) throw new TokenError('no_token_key', tokenReasons.no_token_key(), `no private key with id ${found.id}`);
    const keyType = found.certificate.x509.publicKey.asymmetricKeyType ?? 'unknown';
    const sign = async (data: Buffer): Promise<Buffer> => {
      if (!alive) throw new TokenError('token_missing', tokenReasons.token_missing(), 'session closed');
      try {
        return keyType === 'ec' ? ecdsa(module, session, key, data) : rsa(module, session, key, data);
      } catch (err) {
        const failure = tokenFailure(err);
        // The card is gone or the session broke: this session will not sign again.
        if (failure.code === 'token_missing') close();
        throw failure;
      }
    };
    const identity: SigningIdentity = {
      info: describeCertificate(found.certificate, keyType, now),
      certificate: found.certificate,
      chain: found.chain,
      privateKey: null,
      keyType,
      sign,
    };
    return { identity, alive: () => alive, close };
  } catch (err) {
    close();
    throw err instanceof TokenError ? err : tokenFailure(err);
  }
}

function rsa(module: Pkcs11Lib.PKCS11, session: Buffer, key: Buffer, data: Buffer): Buffer {
  module.C_SignInit(session, { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS }, key);
  return module.C_Sign(session, data, Buffer.alloc(1024));
}

/** Cards do raw ECDSA over a digest and answer r‖s; CMS wants the DER ECDSA-Sig-Value. */
function ecdsa(module: Pkcs11Lib.PKCS11, session: Buffer, key: Buffer, data: Buffer): Buffer {
  module.C_SignInit(session, { mechanism: pkcs11js.CKM_ECDSA }, key);
  const raw = module.C_Sign(session, createHash('sha256').update(data).digest(), Buffer.alloc(256));
  const half = raw.length / 2;
  return toDer(seq([uint(raw.subarray(0, half)), uint(raw.subarray(half))]));
}

interface FoundCertificate {
  id: string;
  label: string;
  certificate: ParsedCertificate;
  chain: ParsedCertificate[];
}

/** Certificates with an id (those a key can belong to); the others on the card (CA certificates) form the chain. */
function certificatesIn(module: Pkcs11Lib.PKCS11, session: Buffer): FoundCertificate[] {
  module.C_FindObjectsInit(session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
    { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
  ]);
  const handles = module.C_FindObjects(session, 64);
  module.C_FindObjectsFinal(session);
  const all = handles.flatMap((handle) => {
    const [value, id, label] = module.C_GetAttributeValue(session, handle, [
      { type: pkcs11js.CKA_VALUE },
      { type: pkcs11js.CKA_ID },
      { type: pkcs11js.CKA_LABEL },
    ]);
    if (!(value?.value instanceof Buffer)) return [];
    try {
      return [
        {
          id: id?.value instanceof Buffer ? id.value.toString('hex') : '',
          label: label?.value instanceof Buffer ? label.value.toString('utf8') : String(label?.value ?? ''),
          certificate: parseCertificate(value.value),
        },
      ];
    } catch {
      return []; // not a certificate we can read: not one to sign with
    }
  });
  return all
    .filter((c) => c.id !== '' && !c.certificate.x509.ca)
    .map((c) => ({ ...c, chain: all.filter((o) => o !== c && o.certificate.x509.ca).map((o) => o.certificate) }));
}

function findOne(module: Pkcs11Lib.PKCS11, session: Buffer, template: Pkcs11Lib.Template): Buffer | null {
  module.C_FindObjectsInit(session, template);
  const [found] = module.C_FindObjects(session, 1);
  module.C_FindObjectsFinal(session);
  return found ?? null;
}

function slotOf(module: Pkcs11Lib.PKCS11, serial: string): Buffer {
  const slot = guard(() => module.C_GetSlotList(true)).find((s) => {
    try {
      return module.C_GetTokenInfo(s).serialNumber.trim() === serial.trim();
    } catch {
      return false;
    }
  });
  if (!slot) throw new TokenError('token_missing', tokenReasons.token_missing(), `no token with serial ${serial}`);
  return slot;
}

const missingCodes = (): Set<number> => new Set<number>([
  pkcs11js.CKR_TOKEN_NOT_PRESENT,
  pkcs11js.CKR_DEVICE_REMOVED,
  pkcs11js.CKR_SESSION_HANDLE_INVALID,
  pkcs11js.CKR_SESSION_CLOSED,
  pkcs11js.CKR_SLOT_ID_INVALID,
  pkcs11js.CKR_DEVICE_ERROR,
  pkcs11js.CKR_TOKEN_NOT_RECOGNIZED,
  // The key's object vanished under an open session: the token was taken out (or replaced) meanwhile.
  pkcs11js.CKR_OBJECT_HANDLE_INVALID,
  pkcs11js.CKR_KEY_HANDLE_INVALID,
]);

export function tokenFailure(err: unknown): TokenError {
  if (err instanceof TokenError) return err;
  // Errors of the card come from the binding, which is loaded by then.
  const code = pkcs11js && err instanceof pkcs11js.Pkcs11Error ? err.code : -1;
  const detail = message(err);
  if (code === pkcs11js.CKR_PIN_INCORRECT || code === pkcs11js.CKR_PIN_LEN_RANGE) {
    return new TokenError('wrong_pin', tokenReasons.wrong_pin(), detail);
  }
  if (code === pkcs11js.CKR_PIN_LOCKED || code === pkcs11js.CKR_PIN_EXPIRED) {
    return new TokenError('pin_locked', tokenReasons.pin_locked(), detail);
  }
  if (missingCodes().has(code)) return new TokenError('token_missing', tokenReasons.token_missing(), detail);
  return new TokenError('token_error', tokenReasons.token_error(detail), detail);
}

function guard<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    throw tokenFailure(err);
  }
}

function quietly(work: () => void): void {
  try {
    work();
  } catch {
    // closing what may already be gone
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
