import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { isAddressInUse, withFreePort } from '../helpers/ports';

// A throwaway MariaDB server (Debian's mariadb-server): a fresh data dir, loopback only, grant tables skipped so the
// test needs no password. It exercises the MySQL/MariaDB driver against the real server.

export interface MysqlServer {
  host: string;
  port: number;
  user: string;
  stop(): Promise<void>;
}

export function findMariadb(): { server: string; installDb: string } | null {
  const server = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld'].find((p) => existsSync(p));
  const installDb = ['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db'].find((p) => existsSync(p));
  return server && installDb ? { server, installDb } : null;
}

export async function startMysqlServer(bin: { server: string; installDb: string }): Promise<MysqlServer> {
  const dir = mkdtempSync(join(tmpdir(), 'avisa-mariadb-'));
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  // As root the server must be told to run as an unprivileged user, which then owns the data dir.
  const userArgs = root ? ['--user=mysql'] : [];
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'mysql'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'mysql'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  execFileSync(bin.installDb, ['--no-defaults', `--datadir=${data}`, '--skip-test-db', '--auth-root-authentication-method=normal', ...userArgs], {
    stdio: 'pipe',
  });
  const errorLog = join(dir, 'error.log');
  const logged = () => (existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : '');
  // A server that exits before it answers: its error log says why (a port taken meanwhile: another is tried).
  const { port, child, exited } = await withFreePort(async (port) => {
    const before = logged().length;
    const child: ChildProcess = spawn(
      bin.server,
      [
        '--no-defaults',
        `--datadir=${data}`,
        `--socket=${join(dir, 'sock')}`,
        `--pid-file=${join(dir, 'pid')}`,
        `--log-error=${errorLog}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        '--skip-grant-tables',
        '--skip-log-bin',
        '--innodb-buffer-pool-size=16M',
        ...userArgs,
      ],
      { stdio: 'ignore' },
    );
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        const conn = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root' });
        const [rows] = await conn.query('SELECT @@datadir AS datadir');
        await conn.end();
        // Another test's MariaDB may hold the port: only ours has this data directory.
        if ((rows as { datadir: string }[])[0]?.datadir.replace(/\/$/, '') !== data) {
          child.kill('SIGKILL');
          throw new Error(`port ${port} is already in use by another MariaDB server`);
        }
        return { port, child, exited };
      } catch (error) {
        if (isAddressInUse(error)) throw error;
        if (child.exitCode !== null) throw new Error(`${error instanceof Error ? error.message : String(error)}\n${logged().slice(before)}`, { cause: error });
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw error;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  });
  return {
    host: '127.0.0.1',
    port,
    user: 'root',
    async stop() {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(killer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
