import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, SCREENSHOTS, useWebApp } from './support/web-app';

/**
 * The notification is pushed live (onNotification); the bell's own re-read runs only every 60 s,
 * so seeing it well within that proves the push reached the browser.
 */
const BELL_WITHIN_MS = 20_000;

describe('inventory, dashboard and notifications in the web app', () => {
  const app = useWebApp('inventory', DESKTOP);
  const { newPage, demoEmail, signIn } = app;
  const shoot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  /** The text of a visible error, or '' — so an assertion names the server's refusal. */
  const errorText = async (page: Page, testId: string): Promise<string> => {
    const error = page.getByTestId(testId);
    return (await error.isVisible()) ? error.innerText() : '';
  };

  it('shows an item a manager adjusts below its minimum in the dashboard’s low-stock panel', async () => {
    const manager = await newPage(DESKTOP);
    await signIn(manager, demoEmail('MANAGER'));
    // Managers land on the dashboard; the demo seeds LED-A19 below its minimum, FLT-2020 above.
    await manager.getByTestId('low-stock-panel').waitFor({ timeout: 20_000 });
    expect(new URL(manager.url()).pathname).toBe('/dashboard');
    await manager
      .locator('[data-testid="low-stock-item"][data-sku="LED-A19"]')
      .waitFor({ timeout: 5_000 });
    expect(
      await manager.locator('[data-testid="low-stock-item"][data-sku="FLT-2020"]').count(),
    ).toBe(0);

    await manager
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Inventory' })
      .click();
    const filters = manager.locator('[data-testid="inventory-row"][data-sku="FLT-2020"]');
    await filters.waitFor({ timeout: 10_000 });
    expect(await filters.getAttribute('data-low')).toBe('false');

    // A technician has the inventory open meanwhile: the change must reach that page live.
    const tech = await newPage(DESKTOP);
    await signIn(tech, demoEmail('TECHNICIAN'), '/inventory');
    const techRow = tech.locator('[data-testid="inventory-row"][data-sku="FLT-2020"]');
    await techRow.waitFor({ timeout: 10_000 });
    await tech.evaluate(() => Object.assign(window, { stewardNoReload: true }));

    // 6 on hand, minimum 4: using 3 leaves 3, below the minimum.
    await filters.getByTestId('adjust-open').click();
    const dialog = manager.getByTestId('adjust-dialog');
    await dialog.getByTestId('adjust-reason').selectOption('CONSUME');
    await dialog.getByTestId('adjust-amount').fill('3');
    await dialog.getByTestId('adjust-note').fill('Replaced the sanctuary filters');
    await dialog.getByTestId('adjust-submit').click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
    expect(await errorText(manager, 'adjust-error'), 'adjustInventory answered with an error').toBe(
      '',
    );
    await manager
      .locator('[data-testid="inventory-row"][data-sku="FLT-2020"][data-low="true"]')
      .waitFor({ timeout: 5_000 });
    await expect(filters.getByTestId('inventory-quantity').innerText()).resolves.toMatch(/^3/);
    await tech
      .locator('[data-testid="inventory-row"][data-sku="FLT-2020"][data-low="true"]')
      .waitFor({ timeout: 2_000 });
    await expect(techRow.getByTestId('inventory-quantity').innerText()).resolves.toMatch(/^3/);
    expect(await tech.evaluate(() => 'stewardNoReload' in window)).toBe(true);

    await filters.getByTestId('ledger-toggle').click();
    await manager
      .locator('[data-testid="ledger-entry"][data-reason="CONSUME"]')
      .waitFor({ timeout: 10_000 });
    await shoot(manager, 'inventory');

    await manager
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Dashboard' })
      .click();
    await manager
      .locator('[data-testid="low-stock-item"][data-sku="FLT-2020"]')
      .waitFor({ timeout: 10_000 });
    await manager
      .locator('[data-testid="low-stock-item"][data-sku="LED-A19"]')
      .waitFor({ timeout: 5_000 });
    await shoot(manager, 'dashboard');
  }, 120_000);

  it('raises the bell’s unread count when the member’s request is assigned', async () => {
    const [member, manager] = await Promise.all([newPage(PHONE), newPage(DESKTOP)]);
    await Promise.all([
      signIn(member, demoEmail('MEMBER')),
      signIn(manager, demoEmail('MANAGER'), '/work-orders'),
    ]);
    const bell = member.getByTestId('notification-bell');
    await bell.waitFor({ timeout: 10_000 });
    const before = Number(await bell.getAttribute('data-unread'));

    const title = `Door closer squeaks ${Date.now()}`;
    await member.getByLabel('What needs fixing?').fill(title);
    await member.getByRole('button', { name: 'Submit request' }).click();
    await member
      .locator('[data-testid="work-order-row"]', { hasText: title })
      .waitFor({ timeout: 10_000 });

    await manager
      .getByRole('link', { name: new RegExp(title) })
      .first()
      .click();
    await manager.getByTestId('work-order-detail').waitFor({ timeout: 10_000 });
    await manager.getByRole('button', { name: 'Assign…' }).click();
    const assign = manager.getByTestId('assign-dialog');
    await assign.getByLabel('Assign to').selectOption({ index: 1 });
    await assign.getByRole('button', { name: 'Assign' }).click();
    await manager
      .locator('[data-testid="work-order-detail"][data-status="ASSIGNED"]')
      .waitFor({ timeout: 10_000 });
    expect(await errorText(manager, 'action-error'), 'assignWorkOrder').toBe('');

    // No reload: the notifier's push reaches the member's bell.
    await member.waitForFunction(
      (n) =>
        Number(
          document.querySelector('[data-testid="notification-bell"]')?.getAttribute('data-unread'),
        ) > n,
      before,
      { timeout: BELL_WITHIN_MS },
    );
    await bell.click();
    await member.getByTestId('notifications-page').waitFor({ timeout: 10_000 });
    await member
      .locator('[data-testid="notification-row"][data-unread="true"]', { hasText: title })
      .waitFor({ timeout: 5_000 });
    await shoot(member, 'notifications');

    await member.getByTestId('mark-all-read').click();
    await member
      .locator('[data-testid="notification-bell"][data-unread="0"]')
      .waitFor({ timeout: 10_000 });
    expect(await errorText(member, 'notifications-error'), 'markNotificationsRead').toBe('');
    expect(
      await member.locator('[data-testid="notification-row"][data-unread="true"]').count(),
    ).toBe(0);
  }, 120_000);

  it('lets a technician use a part on a work order, priced from the ledger', async () => {
    const tech = await newPage(DESKTOP);
    await signIn(tech, demoEmail('TECHNICIAN'), '/my-work');
    await tech
      .getByRole('link', { name: /Fire door does not latch/ })
      .first()
      .click();
    const parts = tech.getByTestId('parts-used');
    await parts.waitFor({ timeout: 10_000 });
    await parts
      .getByTestId('use-part-item')
      .locator('option', { hasText: 'SALT-40' })
      .waitFor({ state: 'attached', timeout: 10_000 });
    await parts.getByTestId('use-part-item').selectOption({
      label: (await parts.locator('option', { hasText: 'SALT-40' }).innerText()).trim(),
    });
    await parts.getByTestId('use-part-amount').fill('2');
    await parts.getByTestId('use-part-submit').click();
    await parts
      .getByTestId('part-row')
      .or(parts.getByTestId('use-part-error'))
      .first()
      .waitFor({ timeout: 10_000 });
    expect(await errorText(tech, 'use-part-error'), 'adjustInventory with a work order').toBe('');
    await expect(parts.getByTestId('part-row').first().innerText()).resolves.toMatch(
      /SALT-40\s+2\s+\$22\.00/,
    );

    // More than is on the shelf: the refusal is shown, in words.
    await parts.getByTestId('use-part-amount').fill('500');
    await parts.getByTestId('use-part-submit').click();
    await parts.getByTestId('use-part-error').waitFor({ timeout: 10_000 });
    await expect(parts.getByTestId('use-part-error').innerText()).resolves.toMatch(/stock/i);
  }, 120_000);

  it('saves email preferences and shows them again after a reload', async () => {
    const tech = await newPage(DESKTOP);
    await signIn(tech, demoEmail('TECHNICIAN'), '/settings');
    const lowStock = tech.getByTestId('pref-lowStock');
    await lowStock.waitFor({ timeout: 10_000 });
    expect(await lowStock.isChecked()).toBe(true);
    await lowStock.uncheck();
    await tech.getByTestId('save-preferences').click();
    await tech
      .getByTestId('settings-result')
      .filter({ hasText: 'saved' })
      .or(tech.getByTestId('settings-error'))
      .first()
      .waitFor({ timeout: 10_000 });
    expect(await errorText(tech, 'settings-error'), 'updateNotificationPreferences').toBe('');

    await tech.reload();
    await tech.getByTestId('pref-lowStock').waitFor({ timeout: 20_000 });
    expect(await tech.getByTestId('pref-lowStock').isChecked()).toBe(false);
    expect(await tech.getByTestId('pref-assignment').isChecked()).toBe(true);
  }, 120_000);
});
