import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../src/main/core/store/db';
import { callServer, startServerProcess } from '../test/helpers/server-process';
import { updatePatientRow } from '../src/main/core/store/patients-repo';
import { messageSearchPlan } from '../src/main/core/store/messages-repo';
import { seedMillion } from './panel';
import { withTempDir } from './util';

const RUNS = 5;
const PATIENT = 12345;
// As a receptionist types them: without the prefix and without the accent.
const SEARCHES = { phone: '987650001', name: 'Huaman' };

/** The resident memory of a process, in MB (ps reports KiB). */
function rssMb(pid: number): number {
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)]).toString().trim()) / 1024;
}

/**
 * A clinic with a million messages: how long the server takes from launch to answering HTTP, how much memory it holds
 * with the Panel open, and how long a search in Mensajes takes by phone and by name.
 */
export async function scale(): Promise<Record<string, number>> {
  if (!existsSync('out/main/server.js')) execFileSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
  return withTempDir(async (dir) => {
    const dataDir = join(dir, 'data');
    const db = openDatabase(dataDir);
    db.pragma('cache_size = -262144');
    seedMillion(db);
    // One patient among the 20,000 that a receptionist looks for by phone or by name, renamed the way the app does it
    // (the store keeps the searchable forms); her messages went to her number.
    updatePatientRow(db, PATIENT, { firstNames: 'Rosa', lastNames: 'Huamán Cárdenas', phoneRaw: '987 650 001', phoneE164: '+51987650001' }, 0);
    const readdressed = db.prepare(`UPDATE messages SET to_phone = '+51987650001' WHERE patient_id = ?`).run(PATIENT).changes;
    if (readdressed === 0) throw new Error(`the seeded data gave patient ${PATIENT} no messages`);
    console.log(`  patient ${PATIENT}: ${readdressed} messages`);
    for (const [by, search] of Object.entries(SEARCHES)) {
      console.log(`  query plan, search by ${by}:\n    ${messageSearchPlan(db, search).join('\n    ')}`);
    }
    db.close();

    // Launch to HTTP ready: the calls below use the server's own token, so no sign-in (and its password hashing) is
    // counted in the startup.
    const started = performance.now();
    const server = await startServerProcess(dataDir, {}, { signIn: false });
    const startupMs = performance.now() - started;
    try {
      await callServer(server, 'panel.summary', {});
      const times: Record<string, number[]> = { phone: [], name: [] };
      for (let i = 0; i < RUNS; i++) {
        for (const [by, search] of Object.entries(SEARCHES)) {
          const t = performance.now();
          const found = await callServer(server, 'messages.list', { search, limit: 50, offset: 0 });
          times[by]?.push(performance.now() - t);
          if (found.total === 0) throw new Error(`search by ${by} found nothing`);
        }
      }
      const best = (xs: number[] = []) => Math.min(...xs);
      console.log(`  search by phone ${best(times.phone).toFixed(1)} ms, by name ${best(times.name).toFixed(1)} ms`);
      return {
        'startup.1m_ms': startupMs,
        'memory.rss_1m_mb': rssMb(server.pid),
        'search.1m_ms': Math.max(best(times.phone), best(times.name)),
      };
    } finally {
      await server.stop();
    }
  });
}
