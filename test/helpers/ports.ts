import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

// Servers a test starts itself listen on port 0 and report the port they got. These helpers are for the others: a
// server in another process that must be told its port before it starts, or a port where nothing may answer.

/**
 * A loopback port nobody uses right now. Free only at this instant: another socket may take it before the caller
 * binds it, so start the server through `withFreePort`, which tries another port when that happens.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Whether a start failed because its port was taken: Node's EADDRINUSE, or the words a server process logs for it. */
export function isAddressInUse(error: unknown): boolean {
  if (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'EADDRINUSE') return true;
  const text = error instanceof Error ? error.message : String(error);
  // Node and OpenSSL: "address already in use"; PostgreSQL and MariaDB: "Address already in use" in their logs;
  // Orthanc: "The TCP port of the HTTP server is privileged or already in use" (a free port is never privileged).
  return /EADDRINUSE|already in use/i.test(text);
}

/**
 * Starts a server on a free port, and on another one when the port was taken between the probe and the start (on a
 * busy machine many sockets come and go). `start` must reject with the reason its server gave when the port was busy;
 * any other failure is not retried.
 */
export async function withFreePort<T>(start: (port: number) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    try {
      return await start(port);
    } catch (error) {
      if (attempt >= attempts || !isAddressInUse(error)) throw error;
    }
  }
}

/**
 * The lowest port the kernel hands out by itself (to port-0 servers and outgoing connections), from
 * /proc/sys/net/ipv4/ip_local_port_range; Linux's default elsewhere.
 */
function firstEphemeralPort(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (Number.isInteger(low) && low > 1024) return low;
  } catch {
    // Not Linux: the default below.
  }
  return 32768;
}

// Below the ephemeral range and above the fixed ports of the services the tests run (5190, 5432, 8042, …).
const QUIET_PORTS_FROM = 20000;

/**
 * A loopback port free now that the kernel never gives out on its own (it lies below the ephemeral range), so no
 * port-0 server and no outgoing connection can take it later. For a port where nothing must answer (a refused
 * connection), one a server must get back after a restart, or one a process is told before it starts where a retry
 * cannot be arranged. Only another explicit bind of this number could take it, and the ports are drawn at random.
 */
export async function quietPort(): Promise<number> {
  const below = firstEphemeralPort();
  const from = Math.min(QUIET_PORTS_FROM, below - 1000);
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = from + Math.floor(Math.random() * (below - from));
    if (await canBind(port)) return port;
  }
  throw new Error(`no free port between ${from} and ${below}`);
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
