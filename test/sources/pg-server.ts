import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withFreePort } from '../helpers/ports';

// A throwaway PostgreSQL server for the tests: initdb in a temp dir, trust auth, listening only on 127.0.0.1 on a free
// port. Debian's postgresql package puts the binaries in /usr/lib/postgresql/<major>/bin, off the PATH.

export interface PgServer {
  host: string;
  port: number;
  user: string;
  database: string;
  stop(): void;
}

export function findPgBin(): string | null {
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (onPath && existsSync(join(onPath, '..', 'pg_ctl'))) return join(onPath, '..');
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const majors = readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] ? join(root, majors[0], 'bin') : null;
}

/** As root, initdb refuses to run: the cluster then belongs to the `postgres` user and its commands run as it. */
function asOwner(command: string, args: string[]): [string, string[]] {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return root ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

export async function startPgServer(bin: string): Promise<PgServer> {
  const dir = mkdtempSync(join(tmpdir(), 'avisa-pg-'));
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const user = 'avisa';
  const run = (command: string, args: string[]) => {
    const [cmd, argv] = asOwner(join(bin, command), args);
    execFileSync(cmd, argv, { stdio: 'pipe', cwd: dir });
  };
  run('initdb', ['-D', data, '-A', 'trust', '-U', user, '-E', 'UTF8', '--no-sync', '--locale=C']);
  // pg_ctl only says "could not start server": the reason (a port taken meanwhile: another is tried) is in the log.
  const logFile = join(dir, 'log');
  const port = await withFreePort(async (port) => {
    const logged = existsSync(logFile) ? readFileSync(logFile, 'utf8').length : 0;
    try {
      // -k dir: the Unix socket goes in the temp dir, not /var/run/postgresql, which may not exist on CI.
      run('pg_ctl', [
        '-D',
        data,
        '-w',
        '-t',
        '60',
        '-l',
        logFile,
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c TimeZone=UTC`,
        'start',
      ]);
      return port;
    } catch (error) {
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(logged) : '';
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${log}`, { cause: error });
    }
  });
  return {
    host: '127.0.0.1',
    port,
    user,
    database: 'postgres',
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
