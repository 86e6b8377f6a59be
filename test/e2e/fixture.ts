import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { ArgsOf, HandlerName, ResultOf, SetupInput } from '../../src/shared/api';
import { startFakeGraph, type FakeGraph, type FakeGraphOptions } from '../fakes/graph-api';
import { launchChromium } from '../helpers/browser';
import { APP_SECRET, TOKEN, connectCloudApi, templates } from '../helpers/cloud';
import { withFreePort } from '../helpers/ports';
import { callServer, startServerProcess, type RunningServer, type ServerProcessOptions } from '../helpers/server-process';
import { tempDir } from '../helpers/temp';

/**
 * The setup every browser test shares: the built server (`out/main/server.js`) in a fresh data folder, signed in as
 * the test administrator, the clinic set up as the wizard would, optionally a fake Graph API as its Cloud API, and
 * Debian's chromium. Registered as beforeAll/afterAll of the file that calls it; everything it started is stopped.
 */
export interface E2eOptions {
  /** Start the server before the tests (default true). False: a test starts it with `startServer` when it needs to. */
  server?: boolean;
  /** The clinic the wizard would create (`setup.complete`); left out, the install stays fresh and shows the wizard. */
  clinic?: SetupInput;
  /** A fake Graph API with these options (token, secret, ids and templates preset), connected as the Cloud API. */
  cloudApi?: Partial<FakeGraphOptions>;
  /** With `cloudApi`: the fake also posts its webhooks to Avisa's receiver (default false: statuses are not sent). */
  webhooks?: boolean;
}

/** A page of the app with the errors it threw, which a test expects to stay empty. */
export interface OpenedPage {
  page: Page;
  errors: string[];
}

export interface E2e {
  readonly browser: Browser;
  /** The server the tests talk to: the one started before them, or the last one `startServer` started. */
  readonly server: RunningServer;
  /** The fake Graph API (only with `cloudApi`). */
  readonly fake: FakeGraph;
  /** Calls the server's HTTP API as a local script does; an error answer throws with its code. */
  api<N extends HandlerName>(name: N, args: ArgsOf<N>): Promise<ResultOf<N>>;
  /** Starts the built server (a fresh data folder unless given), signed in; it becomes `server` and is stopped after. */
  startServer(dataDir?: string, env?: Record<string, string>, options?: ServerProcessOptions): Promise<RunningServer>;
  /** A new page (its own signed-in context) collecting its errors, opened on the app unless `visit` is false. */
  openPage(options?: BrowserContextOptions, visit?: boolean): Promise<OpenedPage>;
}

/**
 * Points the server's Cloud API at the fake Graph API, its webhook receiver on a free port (the setting is never 0, so
 * the port is chosen here): when another socket took that port before the receiver bound it, on another one.
 * Answers the port the receiver listens on.
 */
export function connectCloudApiOnFreePort(api: E2e['api'], fakeUrl: string): Promise<number> {
  return withFreePort(async (webhookPort) => {
    await connectCloudApi(api, fakeUrl, { webhookPort });
    const webhook = (await api('app.status', {})).webhook;
    if (!webhook?.listening) throw new Error(webhook?.error ?? 'the webhook receiver did not start');
    return webhook.port;
  });
}

export function useE2e(options: E2eOptions = {}): E2e {
  let browser: Browser | null = null;
  let current: RunningServer | null = null;
  let fake: FakeGraph | null = null;
  const started: RunningServer[] = [];
  // Servers a test started itself stop when it ends, before its data folder is removed (test/helpers/temp.ts).
  const startedByTest: RunningServer[] = [];
  let testsRunning = false;
  const need = <T>(value: T | null, what: string): T => {
    if (value === null) throw new Error(`e2e fixture: ${what} is not there (not started yet, or not asked for)`);
    return value;
  };

  const e2e: E2e = {
    get browser() {
      return need(browser, 'the browser');
    },
    get server() {
      return need(current, 'the server');
    },
    get fake() {
      return need(fake, 'the fake Graph API');
    },
    api: (name, args) => callServer(e2e.server, name, args),
    async startServer(dataDir = tempDir(), env = {}, serverOptions = {}) {
      const server = await startServerProcess(dataDir, env, serverOptions);
      (testsRunning ? startedByTest : started).push(server);
      current = server;
      return server;
    },
    async openPage(contextOptions, visit = true) {
      const page = await e2e.browser.newPage(contextOptions);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      if (visit) await page.goto(e2e.server.url);
      return { page, errors };
    },
  };

  beforeAll(async () => {
    if (options.cloudApi) {
      fake = await startFakeGraph({
        accessToken: TOKEN,
        appSecret: APP_SECRET,
        phoneNumberId: '1055',
        wabaId: '2001',
        templates,
        ...options.cloudApi,
      });
    }
    browser = await launchChromium();
    if (options.server !== false) {
      await e2e.startServer();
      if (options.clinic) await e2e.api('setup.complete', options.clinic);
      if (fake) {
        const webhookPort = await connectCloudApiOnFreePort(e2e.api, fake.url);
        if (options.webhooks) fake.setWebhookUrl(`http://127.0.0.1:${webhookPort}/webhook`);
      }
    }
    testsRunning = true;
  });

  afterEach(async () => {
    for (const server of startedByTest.splice(0)) await server.stop();
  });

  afterAll(async () => {
    await browser?.close();
    for (const server of started.splice(0)) await server.stop();
    await fake?.close();
  });

  return e2e;
}
