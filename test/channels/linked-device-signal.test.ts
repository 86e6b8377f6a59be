import {
  addTransactionCapability,
  Curve,
  DEFAULT_CONNECTION_CONFIG,
  generateSignalPubKey,
  type AuthenticationCreds,
} from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { sqliteAuthState } from '../../src/main/core/channels/linked-device/auth-state';
import { sessionSealer } from '../../src/main/core/channels/linked-device/sealer';
import { quietLogger } from '../../src/main/core/channels/linked-device/socket';
import { openDatabase } from '../../src/main/core/store/db';
import { tempDir, testBox } from '../helpers/temp';

const logger = quietLogger(() => undefined);
const ALICE = '51911111111@s.whatsapp.net';
const BOB = '51922222222@s.whatsapp.net';

/** One side of a conversation: Baileys' real signal repository over Avisa's SQLite auth state. */
function party(dir: string) {
  const db = openDatabase(dir);
  const auth = sqliteAuthState(db, sessionSealer(db, testBox, () => 1), () => 1);
  const { creds, keys } = auth.state;
  const repo = DEFAULT_CONNECTION_CONFIG.makeSignalRepository(
    { creds, keys: addTransactionCapability(keys, logger, { maxCommitRetries: 1, delayBetweenTriesMs: 1 }) },
    logger,
  );
  return { db, auth, creds, repo };
}

const bundle = (creds: AuthenticationCreds, preKeyId: number, preKeyPublic: Uint8Array) => ({
  registrationId: creds.registrationId,
  identityKey: generateSignalPubKey(creds.signedIdentityKey.public),
  signedPreKey: {
    keyId: creds.signedPreKey.keyId,
    publicKey: generateSignalPubKey(creds.signedPreKey.keyPair.public),
    signature: creds.signedPreKey.signature,
  },
  preKey: { keyId: preKeyId, publicKey: generateSignalPubKey(preKeyPublic) },
});

describe('linked device: the SQLite auth state under Baileys’ real signal protocol', () => {
  it('sets up an encrypted session, survives a restart of both sides, and keeps talking', async () => {
    const [dirA, dirB] = [tempDir(), tempDir()];
    let alice = party(dirA);
    let bob = party(dirB);
    alice.auth.saveCreds();
    bob.auth.saveCreds();
    // Bob publishes a one-time pre-key; Alice builds a session from his bundle.
    const preKey = Curve.generateKeyPair();
    await bob.auth.state.keys.set({ 'pre-key': { '7': preKey } });
    await alice.repo.injectE2ESession({ jid: BOB, session: bundle(bob.creds, 7, preKey.public) });

    const first = await alice.repo.encryptMessage({ jid: BOB, data: Buffer.from('Hola Bob') });
    expect(first.type).toBe('pkmsg');
    expect(Buffer.from(await bob.repo.decryptMessage({ jid: ALICE, type: first.type, ciphertext: first.ciphertext })).toString()).toBe('Hola Bob');

    // Both restart: everything they know comes back from SQLite.
    alice.db.close();
    bob.db.close();
    alice = party(dirA);
    bob = party(dirB);

    const reply = await bob.repo.encryptMessage({ jid: ALICE, data: Buffer.from('Hola Alice') });
    expect(reply.type).toBe('msg');
    expect(Buffer.from(await alice.repo.decryptMessage({ jid: BOB, type: reply.type, ciphertext: reply.ciphertext })).toString()).toBe('Hola Alice');
    const again = await alice.repo.encryptMessage({ jid: BOB, data: Buffer.from('¿Confirmas?') });
    expect(Buffer.from(await bob.repo.decryptMessage({ jid: ALICE, type: again.type, ciphertext: again.ciphertext })).toString()).toBe('¿Confirmas?');
    alice.db.close();
    bob.db.close();
  });

  it('keeps Baileys’ own LID mappings (lid-mapping keys) across a restart', async () => {
    const dir = tempDir();
    let p = party(dir);
    p.auth.saveCreds();
    await p.repo.lidMapping.storeLIDPNMappings([{ lid: '77665544332211@lid', pn: '51987654321@s.whatsapp.net' }]);
    p.db.close();
    p = party(dir);
    expect(await p.repo.lidMapping.getPNForLID('77665544332211@lid')).toBe('51987654321:0@s.whatsapp.net');
    p.db.close();
  });
});
