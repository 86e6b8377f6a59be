import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { loadOrCreateTlsCertificate } from '../../src/main/core/api/tls-certificate';
import { tempDir } from '../helpers/temp';
import { afterEach, describe, expect, it } from 'vitest';
import { startHl7Listener, type Hl7Listener, type Hl7Sender } from '../../src/main/core/sources/hl7/listener';
import { labClinic, registerAna } from '../helpers/clinic-results';
import { sendHl7 } from '../helpers/mllp';
import { makePdf, oruR01, siu } from './hl7-fixtures';

// MLLP has no authentication of its own: any process that reaches the port can send a result for a real patient. The
// listener bounds what a sender can make it hold, and only senders the clinic listed get their results sent unreviewed.

const listeners: Hl7Listener[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const l of listeners.splice(0)) await l.close();
});

const VT = Buffer.from([0x0b]);
const END = Buffer.from([0x1c, 0x0d]);

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
    sockets.push(socket);
  });
}

function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
}

function ackOf(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let data = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (data.includes(0x1c)) {
        socket.off('data', onData);
        resolve(data.subarray(1, data.indexOf(0x1c)).toString('latin1'));
      }
    };
    socket.on('data', onData);
  });
}

async function listener(options: Partial<Parameters<typeof startHl7Listener>[0]> = {}) {
  const seen: Hl7Sender[] = [];
  const l = await startHl7Listener({
    port: 0,
    timeZone: 'America/Lima',
    handler: (_inbound, from) => {
      seen.push(from);
      return { accept: true };
    },
    ...options,
  });
  listeners.push(l);
  return { l, seen };
}

const msa = (ack: string) => ack.split('\r').find((s) => s.startsWith('MSA')) ?? '';

describe('HL7 listener limits', () => {
  it('drops a frame over the size cap as it arrives and answers AR; the connection still works after', async () => {
    const { l } = await listener({ maxMessageBytes: 64 * 1024 });
    const socket = await open(l.port);
    const ack = ackOf(socket);
    socket.write(VT);
    for (let i = 0; i < 8; i++) socket.write(Buffer.alloc(16 * 1024, 0x41));
    socket.write(END);
    expect(msa(await ack)).toMatch(/^MSA\|AR\|/);
    const next = ackOf(socket);
    socket.write(Buffer.concat([VT, Buffer.from(siu('S12'), 'latin1'), END]));
    expect(msa(await next)).toMatch(/^MSA\|AA\|/);
  });

  it('defaults to a 20 MB frame cap', async () => {
    const { l } = await listener();
    const socket = await open(l.port);
    const ack = ackOf(socket);
    socket.write(VT);
    const mb = Buffer.alloc(1024 * 1024, 0x41);
    for (let i = 0; i < 21; i++) socket.write(mb);
    socket.write(END);
    expect(msa(await ack)).toMatch(/^MSA\|AR\|/);
  });

  it('closes a connection that stays silent, in the middle of a frame or not', async () => {
    const { l } = await listener({ idleTimeoutMs: 300 });
    const quiet = await open(l.port);
    const halfway = await open(l.port);
    halfway.write(Buffer.concat([VT, Buffer.from('MSH|^~\\&|')]));
    await Promise.all([closed(quiet), closed(halfway)]);
    await expect.poll(() => l.connectionCount()).toBe(0);
  });

  it('holds at most the configured number of connections', async () => {
    const { l } = await listener({ maxConnections: 2 });
    const a = await open(l.port);
    const b = await open(l.port);
    // Both are served…
    const ack = ackOf(b);
    b.write(Buffer.concat([VT, Buffer.from(siu('S12'), 'latin1'), END]));
    expect(msa(await ack)).toMatch(/^MSA\|AA\|/);
    // …a third is closed by the server at once.
    const c = await open(l.port);
    await closed(c);
    expect(a.destroyed).toBe(false);
    expect(l.connectionCount()).toBe(2);
  });

  it('disconnects an address not on the allow-list before reading anything', async () => {
    const { l, seen } = await listener({ allowedAddresses: ['10.20.30.40'] });
    const socket = await open(l.port);
    socket.write(Buffer.concat([VT, Buffer.from(siu('S12'), 'latin1'), END]));
    await closed(socket);
    expect(seen).toEqual([]);
    const { l: open2, seen: seen2 } = await listener({ allowedAddresses: ['::ffff:127.0.0.1'] });
    const ok = await open(open2.port);
    const ack = ackOf(ok);
    ok.write(Buffer.concat([VT, Buffer.from(siu('S12'), 'latin1'), END]));
    expect(msa(await ack)).toMatch(/^MSA\|AA\|/);
    expect(seen2).toEqual([{ address: '127.0.0.1', trusted: false }]);
  });

  it('marks a sender trusted only by a listed MSH-3 or MSH-4', async () => {
    for (const [list, trusted] of [
      [[], false],
      [['OTRO LAB'], false],
      [['lis lab'], true],
      [['Laboratorio Central'], true],
      [['LIS Lab^Laboratorio Central'], true],
    ] as const) {
      const { l, seen } = await listener({ trustedSenders: [...list] });
      const socket = await open(l.port);
      const ack = ackOf(socket);
      socket.write(Buffer.concat([VT, Buffer.from(oruR01(await makePdf()), 'latin1'), END]));
      await ack;
      expect(seen[0]?.trusted, JSON.stringify(list)).toBe(trusted);
    }
  });
});

describe('MLLP over TLS', () => {
  it('speaks MLLP inside TLS with the configured certificate; a plain connection gets no ACK', async () => {
    const material = loadOrCreateTlsCertificate(tempDir(), { names: ['127.0.0.1'] });
    const { l } = await listener({ tls: material, idleTimeoutMs: 2000 });
    const secure = tlsConnect({ host: '127.0.0.1', port: l.port, ca: material.cert });
    sockets.push(secure);
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    const ack = ackOf(secure);
    secure.write(Buffer.concat([VT, Buffer.from(siu('S12'), 'latin1'), END]));
    expect(msa(await ack)).toMatch(/^MSA\|AA\|/);

    const plain = await open(l.port);
    plain.on('error', () => undefined);
    let answered = false;
    plain.on('data', (d: Buffer) => (answered ||= d.includes(0x1c)));
    plain.write(Buffer.concat([VT, Buffer.from(siu('S12'), 'latin1'), END]));
    await closed(plain);
    expect(answered).toBe(false);
  });
});

describe('HL7 results inside the app', () => {
  it('a result from a sender the clinic did not list waits for approval; one from a listed sender goes on to signing', async () => {
    const clinic = await labClinic();
    await registerAna(clinic);
    const { call } = clinic;
    await call('settings.update', { hl7: { enabled: true, port: 0 } });
    const send = async (controlId: string, order: string) => {
      const message = oruR01(await makePdf(controlId), { controlId }).replace('9700123', order);
      return msa(await sendHl7((await call('app.status', {})).hl7Port ?? 0, message));
    };
    expect(await send('CTRL-1', '9700123')).toMatch(/^MSA\|AA\|/);
    await expect.poll(async () => (await call('results.review', {})).rows.map((r) => r.code), { timeout: 10_000 }).toEqual(['awaiting_approval']);

    await call('settings.update', { hl7: { enabled: true, port: 0, trustedSenders: ['LIS Lab'] } });
    expect(await send('CTRL-2', '9700124')).toMatch(/^MSA\|AA\|/);
    // Past approval: it goes on to signing, which here stops only for want of a certificate.
    await expect
      .poll(async () => (await call('results.review', {})).rows.map((r) => r.code).sort(), { timeout: 10_000 })
      .toEqual(['awaiting_approval', 'no_certificate']);
  }, 30_000);
});
