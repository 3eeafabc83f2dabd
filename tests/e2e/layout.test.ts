import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, SCREENSHOTS, useWebApp } from './support/web-app';

/** Every screen a manager reaches from the main navigation, with what shows it has loaded. */
const SCREENS: { name: string; path: string; ready: string }[] = [
  { name: 'work orders (list)', path: '/work-orders?view=list', ready: 'work-order-row' },
  { name: 'work orders (board)', path: '/work-orders?view=board', ready: 'work-order-board' },
  { name: 'dashboard', path: '/dashboard', ready: 'low-stock-panel' },
  { name: 'inventory', path: '/inventory', ready: 'inventory-table' },
  { name: 'notifications', path: '/notifications', ready: 'notifications-page' },
  { name: 'members', path: '/members', ready: 'member-list' },
  { name: 'settings', path: '/settings', ready: 'sign-out' },
];

/** How far the page is wider than the window (0 when it never scrolls sideways). */
const overflow = (page: Page): Promise<number> =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('the layout at phone and desktop widths', () => {
  const app = useWebApp('layout', DESKTOP);
  const { newPage, demoEmail, signIn, appUrl } = app;

  it.each([
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ])(
    'never scrolls sideways on a %s',
    async (width, viewport) => {
      const page = await newPage(viewport);
      await signIn(page, demoEmail('MANAGER'));
      const long = 'Replace the cracked ceiling tile above the choir loft '.repeat(3).trim();
      // A long title on the board must wrap or clamp, never widen its column.
      if (width === 'phone') {
        await page.goto(appUrl('/work-orders'));
        await page.getByLabel('What needs fixing?').fill(long.slice(0, 200));
        await page.getByRole('button', { name: 'Submit request' }).click();
        await page.getByTestId('work-order-row').first().waitFor({ timeout: 15_000 });
      }
      for (const screen of SCREENS) {
        await page.goto(appUrl(screen.path));
        await page.getByTestId(screen.ready).first().waitFor({ timeout: 15_000 });
        await page.getByTestId('page-loading').waitFor({ state: 'detached', timeout: 15_000 });
        expect(await overflow(page), `${screen.name} at ${viewport.width} px`).toBeLessThanOrEqual(
          0,
        );
        if (screen.name === 'work orders (board)') {
          // Every column, "Completed" included, lies inside the window.
          const columns = page.getByTestId('board-column');
          for (const box of await columns.evaluateAll((nodes) =>
            nodes.map((n) => n.getBoundingClientRect().right),
          )) {
            expect(box, 'a board column ends outside the window').toBeLessThanOrEqual(
              viewport.width,
            );
          }
          await expect(page.getByTestId('view-list').isVisible()).resolves.toBe(true);
          await page.screenshot({
            path: path.join(SCREENSHOTS, `board-${width}.png`),
            fullPage: true,
          });
        }
      }
      // A work order's detail page.
      await page.goto(appUrl('/work-orders?view=list'));
      await page.getByTestId('work-order-row').first().getByRole('link').first().click();
      await page.getByTestId('work-order-detail').waitFor({ timeout: 15_000 });
      expect(await overflow(page), `detail at ${viewport.width} px`).toBeLessThanOrEqual(0);
    },
    180_000,
  );
});
