import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ApiResponse, ArgsOf, HandlerName, ResultOf } from '../../src/shared/api';

export interface RunningServer {
  url: string; // with #token=…
  origin: string;
  token: string;
  /** The server's process id (memory figures in the benchmarks). */
  pid: number;
  output: () => string;
  stop(): Promise<void>;
  /** Ends the process at once, as a power cut would: no shutdown code runs. */
  kill(): Promise<void>;
}

const entry = fileURLToPath(new URL('../../out/main/server.js', import.meta.url));

/** Starts the built server mode (`out/main/server.js`) as a separate process, the way a user does. */
export function startServerProcess(dataDir: string, env: Record<string, string> = {}, args: string[] = []): Promise<RunningServer> {
  if (!existsSync(entry)) {
    throw new Error('out/main/server.js is missing: run `npm run build` first (npm test does it).');
  }
  const child: ChildProcess = spawn(process.execPath, [entry, '--data-dir', dataDir, '--port', '0', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const end = (signal: NodeJS.Signals) =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill(signal);
    });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+)\/#token=([\w-]+)/.exec(output);
      if (match?.[1] && match[2]) {
        clearTimeout(timer);
        resolvePromise({
          url: match[0],
          origin: match[1],
          token: match[2],
          pid: child.pid ?? NaN,
          output: () => output,
          stop: () => end('SIGTERM'),
          kill: () => end('SIGKILL'),
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`)); // ignored once started
    });
  });
}

/** Calls the server's HTTP API as the browser does, with its token; an error answer throws with its code. */
export async function callServer<N extends HandlerName>(server: RunningServer, name: N, args: ArgsOf<N>): Promise<ResultOf<N>> {
  const response = await fetch(`${server.origin}/api/call/${name}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(args),
  });
  const body = (await response.json()) as ApiResponse<ResultOf<N>>;
  if (!body.ok) throw new Error(`${name}: ${body.error.code} ${body.error.message}`);
  return body.result;
}
