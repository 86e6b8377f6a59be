import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';

/**
 * Session tokens of the servers the tests signed in to, by origin: each new page or context gets the cookie the server
 * set at sign-in (as a browser that signed in before would have), so tests open the app already signed in.
 */
export const signedInBrowsers = new Map<string, string>();

async function withSessions(context: BrowserContext): Promise<BrowserContext> {
  const cookies = [...signedInBrowsers].map(([origin, token]) => ({
    name: 'avisa_session',
    value: token,
    domain: new URL(origin).hostname,
    path: '/api',
    httpOnly: true,
    sameSite: 'Strict' as const,
  }));
  // Cookies do not tell ports apart: the server started last wins, as in a real browser.
  if (cookies.length > 0) await context.addCookies([cookies[cookies.length - 1] as (typeof cookies)[number]]);
  return context;
}

/** Debian's chromium, headless, with every background connection off (this machine allows only loopback). */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options?: BrowserContextOptions) => withSessions(await newContext(options));
  browser.newPage = async (options?: BrowserContextOptions) => {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    // The page's own context goes with it, as with Playwright's newPage; closing the browser first closed it already.
    page.once('close', () => void context.close().catch(() => undefined));
    return page;
  };
  return browser;
}
