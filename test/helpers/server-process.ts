import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiResponse, ArgsOf, HandlerName, ResultOf } from '../../src/shared/api';
import { signedInBrowsers } from './browser';
import { testAdmin } from './people';

export { testAdmin } from './people';

export interface RunningServer {
  url: string;
  origin: string;
  /** The server's own token (the file beside its data), for this machine's scripts: sent only in a header. */
  token: string;
  /** The server's process id (memory figures in the benchmarks). */
  pid: number;
  output: () => string;
  stop(): Promise<void>;
  /** Ends the process at once, as a power cut would: no shutdown code runs. */
  kill(): Promise<void>;
}

const entry = fileURLToPath(new URL('../../out/main/server.js', import.meta.url));

export interface ServerProcessOptions {
  /**
   * Create the test administrator (when nobody exists yet) and sign every new browser page in as them (default true).
   * False leaves the server as a fresh install: the first administrator is still to be created.
   */
  signIn?: boolean;
  /** More command-line arguments, e.g. --demo. */
  args?: string[];
}

/** Starts the built server mode (`out/main/server.js`) as a separate process, the way a user does. */
export async function startServerProcess(
  dataDir: string,
  env: Record<string, string> = {},
  options: ServerProcessOptions = {},
): Promise<RunningServer> {
  if (!existsSync(entry)) {
    throw new Error('out/main/server.js is missing: run `npm run build` first (npm test does it).');
  }
  const child: ChildProcess = spawn(process.execPath, [entry, '--data-dir', dataDir, '--port', '0', ...(options.args ?? [])], {
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
  const server = await new Promise<RunningServer>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolvePromise({
          url: `${match[1]}/`,
          origin: match[1],
          token: readFileSync(join(dataDir, 'server-token'), 'utf8').trim(),
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
  if (options.signIn ?? true) await signInTestAdmin(server);
  return server;
}

/** Creates the test administrator if needed and signs in as them: every page the browser opens next carries the cookie. */
export async function signInTestAdmin(server: RunningServer): Promise<void> {
  const people = await callServer(server, 'people.list', {});
  if (!people.some((p) => p.documentNumber === testAdmin.documentNumber)) await callServer(server, 'people.create', testAdmin);
  signedInBrowsers.set(server.origin, await signIn(server, testAdmin.documentNumber, testAdmin.secret));
}

/**
 * One POST on a connection of its own. fetch keeps idle connections for reuse, and the server closes an idle one after
 * 5 s: a test that held its process busy (generating keys) would send its next call down a connection the server has
 * just closed ("other side closed"). A fresh connection per call cannot meet a closed one.
 */
function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; setCookie: string[]; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, setCookie: res.headers['set-cookie'] ?? [], text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** The session token the server sets in its cookie for this person (what a browser would keep). */
export async function signIn(server: RunningServer, documentNumber: string, secret: string): Promise<string> {
  const response = await postJson(`${server.origin}/api/login`, { documentNumber, secret });
  const cookie = /avisa_session=([^;]+)/.exec(response.setCookie.join('\n'))?.[1];
  if (response.status !== 200 || !cookie) throw new Error(`sign-in failed: ${response.status} ${response.text}`);
  return cookie;
}

/** Calls the server's HTTP API as a local script does, with the server's token; an error answer throws with its code. */
export async function callServer<N extends HandlerName>(server: RunningServer, name: N, args: ArgsOf<N>): Promise<ResultOf<N>> {
  const response = await postJson(`${server.origin}/api/call/${name}`, args, { Authorization: `Bearer ${server.token}` });
  const body = JSON.parse(response.text) as ApiResponse<ResultOf<N>>;
  if (!body.ok) throw new Error(`${name}: ${body.error.code} ${body.error.message}`);
  return body.result;
}
