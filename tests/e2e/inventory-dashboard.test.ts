import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../local/demo-data';
import { type LocalRuntime, startLocalRuntime } from '../../local/main';

const CHROMIUM = '/usr/bin/chromium';
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
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
/** The bell re-reads 1 s and 4 s after a work-order event, and every 30 s regardless. */
const BELL_WITHIN_MS = 40_000;
const SCREENSHOTS = path.join(import.meta.dirname, '..', '..', 'docs', 'screenshots');

describe.skipIf(!existsSync(CHROMIUM))('notifications in the web app', () => {
  let runtime: LocalRuntime;
  let dataDirectory: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    dataDirectory = mkdtempSync(path.join(os.tmpdir(), 'steward-e2e-inventory-'));
    runtime = await startLocalRuntime({ dataDirectory, ports: 'auto', writeOutputsFiles: false });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  const appUrl = (pathname = '/'): string => {
    const app = runtime.urls.app;
    if (app === undefined) throw new Error('The runtime did not start the web app');
    return new URL(pathname, app).toString();
  };

  /** A fresh browser profile whose app reads this runtime's outputs (never public/'s file). */
  const newPage = async (viewport = DESKTOP): Promise<Page> => {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    await context.route('**/amplify_outputs.json', (route) => route.fulfill({ json: runtime.outputs }));
    return context.newPage();
  };

  const demoEmail = (role: string): string => {
    const user = runtime.demo?.users.find((u) => u.role === role);
    if (user === undefined) throw new Error(`The demo organization has no ${role}`);
    return user.email;
  };

  const shoot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  /** Signs in through the Authenticator at `pathname` and waits for the signed-in page. */
  const signIn = async (page: Page, email: string, pathname = '/'): Promise<void> => {
    await page.goto(appUrl(pathname));
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const signedIn = page.getByTestId('sign-out');
    const skip = page.getByRole('button', { name: 'Skip' });
    await signedIn.or(skip).first().waitFor({ timeout: 20_000 });
    if (await skip.isVisible()) await skip.click();
    await signedIn.waitFor({ timeout: 20_000 });
  };

  /** The text of a visible error, or '' — so an assertion names the server's refusal. */
  const errorText = async (page: Page, testId: string): Promise<string> => {
    const error = page.getByTestId(testId);
    return (await error.isVisible()) ? error.innerText() : '';
  };

  it('raises the bell’s unread count when the member’s request is assigned', async () => {
    const [member, manager] = await Promise.all([newPage(PHONE), newPage(DESKTOP)]);
    await Promise.all([signIn(member, demoEmail('MEMBER')), signIn(manager, demoEmail('MANAGER'), '/work-orders')]);
    const bell = member.getByTestId('notification-bell');
    await bell.waitFor({ timeout: 10_000 });
    const before = Number(await bell.getAttribute('data-unread'));

    const title = `Door closer squeaks ${Date.now()}`;
    await member.getByLabel('What needs fixing?').fill(title);
    await member.getByRole('button', { name: 'Submit request' }).click();
    await member.locator('[data-testid="work-order-row"]', { hasText: title }).waitFor({ timeout: 10_000 });

    await manager.getByRole('link', { name: new RegExp(title) }).first().click();
    await manager.getByTestId('work-order-detail').waitFor({ timeout: 10_000 });
    await manager.getByRole('button', { name: 'Assign…' }).click();
    const assign = manager.getByTestId('assign-dialog');
    await assign.getByLabel('Assign to').selectOption({ index: 1 });
    await assign.getByRole('button', { name: 'Assign' }).click();
    await manager.locator('[data-testid="work-order-detail"][data-status="ASSIGNED"]').waitFor({ timeout: 10_000 });
    expect(await errorText(manager, 'action-error'), 'assignWorkOrder').toBe('');

    // No reload: the bell hears of the change itself (event, then timer).
    await member.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="notification-bell"]')?.getAttribute('data-unread')) > n,
      before,
      { timeout: BELL_WITHIN_MS },
    );
    await bell.click();
    await member.getByTestId('notifications-page').waitFor({ timeout: 10_000 });
    await member.locator('[data-testid="notification-row"][data-unread="true"]', { hasText: title }).waitFor({ timeout: 5_000 });
    await shoot(member, 'notifications');
  }, 120_000);
});
