import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Cloudflare Tunnel through the `cloudflared` CLI, supervised as a child process: started pointing at the webhook
 * receiver on 127.0.0.1, its public address read from what it prints, restarted with backoff when it dies, stopped on
 * quit. Avisa never downloads it: it is found on PATH or at a configured path.
 */
export type TunnelKind =
  /** A tunnel IT created in Cloudflare's dashboard, run from its token: a stable address (its public hostname). */
  | { kind: 'named'; token: string; hostname: string }
  /** A quick tunnel on trycloudflare.com: no account, a new address each start; for trying it out. */
  | { kind: 'quick' };

export type TunnelState =
  | { state: 'stopped' }
  | { state: 'not_found'; looked: string }
  | { state: 'starting'; since: number }
  | { state: 'up'; address: string; since: number }
  | { state: 'restarting'; exitCode: number | null; retryAt: number; lastError: string | null };

export interface TunnelOptions {
  tunnel: TunnelKind;
  /** A path to the binary; empty: look it up on PATH. */
  binaryPath: string;
  /** The local receiver the tunnel forwards to. */
  localUrl: string;
  now: () => number;
  onState: (state: TunnelState) => void;
  /** Environment for the child (tests point PATH at a stand-in). */
  env?: NodeJS.ProcessEnv;
  /** First restart delay; doubles up to a minute. */
  restartBaseMs?: number;
}

const MAX_RESTART_MS = 60_000;
// The CLI's log lines: "… INF |  Your quick Tunnel has been created! Visit it at (it may take some time to be
// reachable):  |" then "… INF |  https://some-words.trycloudflare.com  |". A named tunnel logs "Registered tunnel
// connection connIndex=0 …" once Cloudflare's edge accepted it.
const QUICK_BANNER = /Your quick Tunnel has been created/i;
const ADDRESS = /\bhttps?:\/\/[^\s|]+/i;
const NAMED_UP = /Registered tunnel connection/i;

/** The binary: the configured path if it is executable, else the first `cloudflared` on PATH, else null. */
export function findCloudflared(configured: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const executable = (p: string) => {
    try {
      accessSync(p, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (configured.trim()) return executable(configured.trim()) ? configured.trim() : null;
  const names = process.platform === 'win32' ? ['cloudflared.exe', 'cloudflared'] : ['cloudflared'];
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) if (executable(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** Reads the public address from the CLI's output, one line at a time; null until it has appeared. */
export function addressReader(tunnel: TunnelKind): (line: string) => string | null {
  let bannerSeen = false;
  return (line) => {
    if (tunnel.kind === 'named') return NAMED_UP.test(line) ? tunnel.hostname : null;
    if (QUICK_BANNER.test(line)) {
      bannerSeen = true;
      return null;
    }
    if (!bannerSeen) return null;
    return ADDRESS.exec(line)?.[0] ?? null;
  };
}

export interface Tunnel {
  state(): TunnelState;
  stop(): Promise<void>;
}

export function startTunnel(o: TunnelOptions): Tunnel {
  let child: ChildProcess | null = null;
  let current: TunnelState = { state: 'stopped' };
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | null = null;
  let lastError: string | null = null;
  const set = (s: TunnelState) => {
    current = s;
    o.onState(s);
  };

  const launch = (): void => {
    if (stopped) return;
    const binary = findCloudflared(o.binaryPath, o.env ?? process.env);
    if (!binary) {
      set({ state: 'not_found', looked: o.binaryPath.trim() || 'PATH' });
      return;
    }
    const args =
      o.tunnel.kind === 'quick'
        ? ['tunnel', '--no-autoupdate', '--url', o.localUrl]
        : ['tunnel', '--no-autoupdate', 'run'];
    // The token goes by environment, not argument: other users of the machine can read a process's arguments.
    const env = { ...(o.env ?? process.env), ...(o.tunnel.kind === 'named' ? { TUNNEL_TOKEN: o.tunnel.token } : {}) };
    set({ state: 'starting', since: o.now() });
    const proc = spawn(binary, args, { env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    child = proc;
    const read = addressReader(o.tunnel);
    const onData = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split(/\r?\n/)) {
        if (/\bERR\b/.test(line)) lastError = line.trim().slice(0, 300);
        const address = read(line);
        if (address && current.state !== 'up') {
          failures = 0;
          set({ state: 'up', address: address.replace(/\/+$/, ''), since: o.now() });
        }
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.on('error', (error) => {
      lastError = error.message;
    });
    proc.on('close', (code) => {
      if (child === proc) child = null;
      if (stopped) return;
      failures += 1;
      const delay = Math.min((o.restartBaseMs ?? 1000) * 2 ** (failures - 1), MAX_RESTART_MS);
      set({ state: 'restarting', exitCode: code, retryAt: o.now() + delay, lastError });
      timer = setTimeout(launch, delay);
    });
  };
  launch();

  return {
    state: () => current,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      const proc = child;
      child = null;
      if (proc && proc.exitCode === null) {
        const closed = new Promise<void>((resolve) => proc.once('close', () => resolve()));
        proc.kill('SIGTERM');
        // cloudflared drains its connections on SIGTERM; a stuck one is killed after a few seconds.
        const force = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await closed;
        clearTimeout(force);
      }
      set({ state: 'stopped' });
    },
  };
}
