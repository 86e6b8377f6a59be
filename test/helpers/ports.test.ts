import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { isAddressInUse, quietPort, withFreePort } from './ports';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise<void>((done) => s.close(() => done()));
});

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      servers.push(server);
      resolve(server);
    });
  });
}

describe('withFreePort', () => {
  it('starts on another port when the probed one was taken before the server bound it', async () => {
    const tried: number[] = [];
    const server = await withFreePort(async (port) => {
      tried.push(port);
      // The race, for real: another socket takes the port between the probe and the start.
      if (tried.length === 1) await listen(port);
      return listen(port);
    });
    expect(tried).toHaveLength(2);
    expect(tried[1]).not.toBe(tried[0]);
    expect(server.address()).toMatchObject({ port: tried[1] });
  });

  it('does not retry a failure that is not a busy port', async () => {
    let calls = 0;
    await expect(
      withFreePort(async () => {
        calls += 1;
        throw new Error('la configuración no es válida');
      }),
    ).rejects.toThrow('la configuración no es válida');
    expect(calls).toBe(1);
  });

  it('gives up after the attempts it was given', async () => {
    let calls = 0;
    await expect(
      withFreePort(async (port) => {
        calls += 1;
        await listen(port);
        return listen(port);
      }, 3),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
    expect(calls).toBe(3);
  });
});

describe('isAddressInUse', () => {
  it('reads a busy port in what the servers the tests start say', () => {
    expect(isAddressInUse(Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:5191'), { code: 'EADDRINUSE' }))).toBe(true);
    // Lines as PostgreSQL 15, MariaDB 10.11, Orthanc 1.10 and openssl ocsp 3.0 write them.
    expect(isAddressInUse(new Error('LOG:  could not bind IPv4 address "127.0.0.1": Address already in use'))).toBe(true);
    expect(isAddressInUse(new Error("[ERROR] Can't start server: Bind on TCP/IP port. Got error: 98: Address already in use"))).toBe(true);
    expect(isAddressInUse(new Error('The TCP port of the HTTP server is privileged or already in use:  (port = 42131)'))).toBe(true);
    expect(isAddressInUse('error:80000062:system library:BIO_bind:Address already in use')).toBe(true);
    expect(isAddressInUse(new Error('connect ECONNREFUSED 127.0.0.1:5432'))).toBe(false);
    expect(isAddressInUse(new Error('FATAL:  database "x" does not exist'))).toBe(false);
  });
});

describe('quietPort', () => {
  it('lies below the range the kernel hands out by itself, and nothing answers there', async () => {
    const port = await quietPort();
    const range = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    expect(port).toBeGreaterThan(1024);
    expect(port).toBeLessThan(range[0]!);
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});
