import type { AddressInfo } from 'node:net';
import { createApp } from '../src/main/core/app';
import { startHttpServer } from '../src/main/core/api/http-server';
import { percentile, plainBox, withTempDir } from './util';

/** Round trip of a small call over server mode's HTTP transport. */
export async function api(): Promise<Record<string, number>> {
  return withTempDir(async (dir) => {
    const core = createApp({ dataDir: dir, secretBox: plainBox, mode: 'server' });
    const server = await startHttpServer({ core, token: 't', rendererDir: dir, host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/call/app.status`;
    const times: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const start = performance.now();
      const res = await fetch(url, { method: 'POST', headers: { Authorization: 'Bearer t' }, body: '{}' });
      await res.json();
      times.push(performance.now() - start);
    }
    server.closeAllConnections();
    server.close();
    await core.stop();
    return { 'api.http_call_p50_ms': percentile(times, 50), 'api.http_call_p99_ms': percentile(times, 99) };
  });
}
