import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { DEMO_PASSWORD } from '../../../local/demo-data';
import { type LocalRuntime, startLocalRuntime } from '../../../local/main';

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };
/**
 * Where the suites save their screenshots: docs/screenshots with `npm run screenshots`, otherwise a
 * temporary folder, so an ordinary test run leaves the documentation as committed.
 */
export const SCREENSHOTS = process.env.STEWARD_UPDATE_SCREENSHOTS
  ? path.join(import.meta.dirname, '..', '..', '..', 'docs', 'screenshots')
  : path.join(os.tmpdir(), 'steward-screenshots');

/** The flags that keep headless Chromium quiet and offline here (docs: browser-findings.md). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium, or STEWARD_CHROMIUM; a missing browser fails the suite with what to do. */
export function chromiumPath(): string {
  const candidate = process.env.STEWARD_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(candidate)) {
    throw new Error(
      `No Chromium at ${candidate}: the browser tests need one. Install it (Debian/Ubuntu: ` +
        '`sudo apt-get install -y chromium`) or set STEWARD_CHROMIUM to a Chromium binary.',
    );
  }
  return candidate;
}

/** A local runtime with the web app, a browser, and the steps every browser test needs. */
export type WebApp = {
  runtime: () => LocalRuntime;
  appUrl: (pathname?: string) => string;
  /** A fresh browser profile whose app reads this runtime's outputs (never public/'s file). */
  newPage: (viewport?: { width: number; height: number }) => Promise<Page>;
  demoEmail: (role: string) => string;
  /** Signs in through the Authenticator at `pathname` and waits for the signed-in page. */
  signIn: (page: Page, email: string, pathname?: string) => Promise<void>;
  /** Waits for a page's live badge to settle and insists it is live. */
  expectLive: (page: Page) => Promise<void>;
  /** Signs the demo technician in on a new desktop page and opens a work order from My work. */
  openFromMyWork: (title: RegExp) => Promise<Page>;
};

/** Starts the runtime (demo data, web app) and Chromium for one suite, and stops them after it. */
export function useWebApp(name: string, defaultViewport = DESKTOP): WebApp {
  let runtime: LocalRuntime | undefined;
  let browser: Browser | undefined;
  let dataDirectory = '';

  beforeAll(async () => {
    const executablePath = chromiumPath();
    mkdirSync(SCREENSHOTS, { recursive: true });
    dataDirectory = mkdtempSync(path.join(os.tmpdir(), `steward-e2e-${name}-`));
    runtime = await startLocalRuntime({ dataDirectory, ports: 'auto', writeOutputsFiles: false });
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    if (dataDirectory) rmSync(dataDirectory, { recursive: true, force: true });
  });

  const running = (): LocalRuntime => {
    if (!runtime) throw new Error('The local runtime has not started');
    return runtime;
  };
  const appUrl = (pathname = '/'): string => {
    const app = running().urls.app;
    if (app === undefined) throw new Error('The runtime did not start the web app');
    return new URL(pathname, app).toString();
  };

  const web: WebApp = {
    runtime: running,
    appUrl,
    newPage: async (viewport = defaultViewport) => {
      if (!browser) throw new Error('Chromium has not started');
      const context = await browser.newContext({ viewport });
      const outputs = running().outputs;
      await context.route('**/amplify_outputs.json', (route) => route.fulfill({ json: outputs }));
      return context.newPage();
    },
    demoEmail: (role) => {
      const user = running().demo?.users.find((u) => u.role === role);
      if (user === undefined) throw new Error(`The demo organization has no ${role}`);
      return user.email;
    },
    signIn: async (page, email, pathname = '/') => {
      await page.goto(appUrl(pathname));
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const signedIn = page.getByTestId('sign-out');
      const skip = page.getByRole('button', { name: 'Skip' });
      // A person may be offered to verify their address first; skipping is theirs to choose.
      await signedIn.or(skip).first().waitFor({ timeout: 20_000 });
      if (await skip.isVisible()) await skip.click();
      await signedIn.waitFor({ timeout: 20_000 });
    },
    openFromMyWork: async (title) => {
      const page = await web.newPage(DESKTOP);
      await web.signIn(page, web.demoEmail('TECHNICIAN'), '/my-work');
      await page.getByRole('link', { name: title }).first().click();
      await page.getByTestId('work-order-detail').waitFor({ timeout: 10_000 });
      return page;
    },
    expectLive: async (page) => {
      const status = page.getByTestId('live-status');
      await page
        .locator(
          '[data-testid="live-status"][data-live="live"], [data-testid="live-status"][data-live="failed"]',
        )
        .waitFor({ timeout: 20_000 });
      const why = (await status.getAttribute('title')) ?? '';
      expect(await status.getAttribute('data-live'), `live updates: ${why}`).toBe('live');
    },
  };
  return web;
}
