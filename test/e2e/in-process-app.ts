import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startHttpServer } from '../../src/main/core/api/http-server';
import type { AppOptions, AvisaCore } from '../../src/main/core/app-types';
import type { ChannelId } from '../../src/shared/domain';
import { launchChromium } from '../helpers/browser';
import { startCore } from '../helpers/core';
import { signInBrowsersTo } from '../helpers/people';
import { tempDir } from '../helpers/temp';

export interface InProcessApp {
  readonly core: AvisaCore;
  readonly call: Awaited<ReturnType<typeof startCore>>['call'];
  /** The built UI and the API, served from the test's own process. */
  readonly base: string;
  readonly browser: Browser;
}

/**
 * For browser tests that need the core in their own process (a fake Baileys socket, the desktop window's bridge): one
 * clinic in Lima set up on `channel`, the built UI served over HTTP (build it first: npx electron-vite build), browsers
 * signed in, and Chromium; all stopped after the file.
 */
export function useInProcessApp(o: { channel: ChannelId; coreOptions?: Partial<AppOptions> }): InProcessApp {
  let app: { core: AvisaCore; call: InProcessApp['call']; base: string; browser: Browser } | null = null;
  let server: Server | null = null;
  const need = () => {
    if (!app) throw new Error('in-process app: not started yet');
    return app;
  };

  beforeAll(async () => {
    const { core, call } = await startCore(tempDir(), o.coreOptions);
    await call('setup.complete', {
      clinicName: 'Clínica Prueba',
      sites: [{ name: 'Sede Centro', country: 'PE', timeZone: 'America/Lima' }],
      services: [{ name: 'Laboratorio' }],
      channel: o.channel,
    });
    server = await startHttpServer({ core, token: 'in-process-app-token-0123456789', rendererDir: join(process.cwd(), 'out', 'renderer'), host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await signInBrowsersTo(core, base);
    app = { core, call, base, browser: await launchChromium() };
  }, 60_000);

  afterAll(async () => {
    await app?.browser.close();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await app?.core.stop();
  });

  return {
    get core() {
      return need().core;
    },
    get call() {
      return need().call;
    },
    get base() {
      return need().base;
    },
    get browser() {
      return need().browser;
    },
  };
}
