import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { AvisaCore } from '../../src/main/core/app-types';
import type { ApiResponse, HandlerName } from '../../src/shared/api';

/**
 * The built renderer as the desktop window runs it, without Electron: `window.avisa` is the preload's bridge
 * (src/preload/index.ts), and each call reaches a core in the test's process as the desktop's IPC handler passes it
 * (src/main/desktop/ipc.ts: `core.invoke(name, args, { via: 'desktop' })`). So the desktop-only screens (the lock
 * screen with its list of people) can be driven and checked in Chromium. `url` only serves the built UI.
 */
export async function openDesktopWindow(
  browser: Browser,
  url: string,
  core: Pick<AvisaCore, 'invoke'>,
  options: BrowserContextOptions = {},
): Promise<Page> {
  const context = await browser.newContext(options);
  await context.exposeBinding('avisaDesktopCall', (_source, name: HandlerName, args: unknown): Promise<ApiResponse<unknown>> =>
    core.invoke(name, args as never, { via: 'desktop' }),
  );
  await context.addInitScript(() => {
    type Call = (name: string, args: unknown) => Promise<unknown>;
    const w = window as unknown as { avisa: unknown; avisaDesktopCall: Call };
    // Events only refresh live lists; the screens driven through this window do not wait for any.
    w.avisa = { call: (name: string, args: unknown) => w.avisaDesktopCall(name, args), subscribe: () => () => undefined };
  });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}
