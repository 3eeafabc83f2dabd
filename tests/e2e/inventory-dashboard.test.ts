import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../local/demo-data';
import { graphqlOk, LocalCognito } from '../../local/graphql-client';
import { CREATE_ORGANIZATION, SUBMIT, type DataOf } from '../support/operations';
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
    const tech = await app.openFromMyWork(/Fire door does not latch/);
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

  // The inventory in a facility's words: item codes made from the name, costs as money, details
  // edited on the item's page, parts named on work orders, a confirmation for parts used, the
  // ledger's work-order links, and an empty parts picker that says what to do.

  /** Adds an item through the form at /inventory and returns the result line. */
  const addItem = async (
    page: Page,
    fields: { name: string; code?: string; quantity: string; minimum: string; cost?: string },
  ): Promise<string> => {
    const form = page.getByTestId('item-form');
    await form.getByTestId('item-name').fill(fields.name);
    await form.getByTestId('item-sku').fill(fields.code ?? '');
    await form.getByTestId('item-quantity').fill(fields.quantity);
    await form.getByTestId('item-minQuantity').fill(fields.minimum);
    await form.getByTestId('item-unitCost').fill(fields.cost ?? '');
    await form.getByRole('button', { name: 'Add item' }).click();
    await page
      .getByTestId('item-result')
      .filter({ hasText: fields.name })
      .or(page.getByTestId('item-error'))
      .first()
      .waitFor({ timeout: 10_000 });
    expect(await errorText(page, 'item-error'), `createInventoryItem ${fields.name}`).toBe('');
    return page.getByTestId('item-result').innerText();
  };

  it('adds items without a code, shows costs as money and edits details on the item page', async () => {
    const manager = await newPage(DESKTOP);
    await signIn(manager, demoEmail('MANAGER'), '/inventory');
    const table = manager.getByTestId('inventory-table');
    await table.waitFor({ timeout: 20_000 });
    const headers = await table.locator('thead th').allInnerTexts();
    expect(headers.map((h) => h.trim())).toContain('Item code');
    expect(headers.map((h) => h.trim())).toContain('Unit cost');
    expect(headers.map((h) => h.trim())).not.toContain('SKU');
    // The demo's filters cost 8.5 each.
    await expect(
      table
        .locator('[data-testid="inventory-row"][data-sku="FLT-2020"]')
        .getByTestId('inventory-unit-cost')
        .innerText(),
    ).resolves.toBe('$8.50');

    // No code typed: the server makes one from the name, and the next one of that name differs.
    await expect(
      addItem(manager, { name: 'Pew hymnal light', quantity: '6', minimum: '2', cost: '4.5' }),
    ).resolves.toBe('Added Pew hymnal light (item code PEW-HYMNAL-LIGHT).');
    await expect(
      addItem(manager, { name: 'Pew hymnal light', quantity: '1', minimum: '0' }),
    ).resolves.toBe('Added Pew hymnal light (item code PEW-HYMNAL-LIGHT-2).');
    const row = table.locator('[data-testid="inventory-row"][data-sku="PEW-HYMNAL-LIGHT"]');
    await row.waitFor({ timeout: 5_000 });
    await expect(row.getByTestId('inventory-unit-cost').innerText()).resolves.toBe('$4.50');
    await expect(
      table
        .locator('[data-testid="inventory-row"][data-sku="PEW-HYMNAL-LIGHT-2"]')
        .getByTestId('inventory-unit-cost')
        .innerText(),
    ).resolves.toBe('–');

    // A typed code with a space is explained before anything is sent.
    await manager.getByTestId('item-name').fill('Altar candle');
    await manager.getByTestId('item-sku').fill('ALTAR CANDLE');
    await manager.getByRole('button', { name: 'Add item' }).click();
    await expect(manager.getByTestId('item-error').innerText()).resolves.toMatch(
      /item code .*without spaces/,
    );

    await row.getByRole('link', { name: 'Pew hymnal light' }).click();
    const card = manager.getByTestId('inventory-item');
    await card.waitFor({ timeout: 10_000 });
    const itemPath = new URL(manager.url()).pathname;
    await expect(card.getByTestId('inventory-code').innerText()).resolves.toBe('PEW-HYMNAL-LIGHT');
    await expect(card.getByTestId('inventory-unit-cost').innerText()).resolves.toBe(
      '$4.50 per each',
    );

    // A second manager's page has the same item open in its edit form meanwhile.
    const other = await newPage(DESKTOP);
    await signIn(other, demoEmail('OWNER'), itemPath);
    await other.getByTestId('item-edit-open').click();
    const otherForm = other.getByTestId('item-edit-form');
    await otherForm.waitFor({ timeout: 10_000 });

    await card.getByTestId('item-edit-open').click();
    const form = card.getByTestId('item-edit-form');
    await form.getByTestId('item-edit-name').fill('Pew reading lamp');
    await form.getByTestId('item-edit-minQuantity').fill('3');
    await form.getByTestId('item-edit-unitCost').fill('$5.25');
    await form.getByTestId('item-edit-save').click();
    await card
      .getByTestId('item-edit-result')
      .or(card.getByTestId('item-edit-error'))
      .first()
      .waitFor({ timeout: 10_000 });
    expect(await errorText(manager, 'item-edit-error'), 'updateInventoryItem').toBe('');
    await expect(card.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(
      'Pew reading lamp',
    );
    await expect(card.getByTestId('inventory-minimum').innerText()).resolves.toBe('3 each');
    await expect(card.getByTestId('inventory-unit-cost').innerText()).resolves.toBe(
      '$5.25 per each',
    );
    await shoot(manager, 'inventory-item');

    // The other page saves from the version it opened: refused, and shown the saved details.
    await otherForm.getByTestId('item-edit-minQuantity').fill('9');
    await otherForm.getByTestId('item-edit-save').click();
    await otherForm.getByTestId('item-edit-error').waitFor({ timeout: 10_000 });
    await expect(otherForm.getByTestId('item-edit-error').innerText()).resolves.toMatch(
      /Someone else changed this item/,
    );
    await expect(otherForm.getByTestId('item-edit-name').inputValue()).resolves.toBe(
      'Pew reading lamp',
    );
    await expect(otherForm.getByTestId('item-edit-unitCost').inputValue()).resolves.toBe('5.25');
    await otherForm.getByTestId('item-edit-minQuantity').fill('9');
    await otherForm.getByTestId('item-edit-save').click();
    await other.getByTestId('item-edit-result').waitFor({ timeout: 10_000 });
    await expect(other.getByTestId('inventory-minimum').innerText()).resolves.toBe('9 each');
    await expect(
      other.getByTestId('inventory-item').getByRole('heading', { level: 1 }).innerText(),
    ).resolves.toBe('Pew reading lamp');
  }, 180_000);

  it('names the parts used, confirms the use, and links the ledger to the work order', async () => {
    const tech = await app.openFromMyWork(/Fire door does not latch/);
    const workOrderPath = new URL(tech.url()).pathname;
    const number = /WO-\d+/.exec(await tech.locator('.wo-number').innerText())?.[0];
    expect(number).toBeDefined();
    const parts = tech.getByTestId('parts-used');
    const salt = parts.locator('option', { hasText: 'Ice melt salt 40 lb' });
    await salt.waitFor({ state: 'attached', timeout: 10_000 });
    await parts
      .getByTestId('use-part-item')
      .selectOption({ label: (await salt.innerText()).trim() });
    await parts.getByTestId('use-part-amount').fill('2');
    await parts.getByTestId('use-part-submit').click();
    await parts
      .getByTestId('use-part-result')
      .filter({ hasText: 'Used' })
      .or(parts.getByTestId('use-part-error'))
      .first()
      .waitFor({ timeout: 10_000 });
    expect(await errorText(tech, 'use-part-error'), 'adjustInventory with a work order').toBe('');
    await expect(parts.getByTestId('use-part-result').innerText()).resolves.toMatch(
      /^Used 2 × Ice melt salt 40 lb\b/,
    );
    const partRow = parts.getByTestId('part-row').first();
    await partRow.waitFor({ timeout: 10_000 });
    await expect(partRow.innerText()).resolves.toMatch(
      /^Ice melt salt 40 lb · SALT-40\s+2\s+\$22\.00/,
    );

    // The item's history names the work order and leads back to it.
    await tech
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Inventory' })
      .click();
    await tech
      .locator('[data-testid="inventory-row"][data-sku="SALT-40"]')
      .getByRole('link', { name: 'Ice melt salt 40 lb' })
      .click();
    const card = tech.getByTestId('inventory-item');
    await card.waitFor({ timeout: 10_000 });
    // A technician uses parts but does not edit items.
    expect(await card.getByTestId('item-edit-open').count()).toBe(0);
    const link = card.getByTestId('ledger-work-order').first();
    await card
      .getByTestId('ledger-work-order')
      .filter({ hasText: number ?? '' })
      .first()
      .waitFor({
        timeout: 10_000,
      });
    await expect(link.innerText()).resolves.toBe(number);
    await link.click();
    await tech.getByTestId('work-order-detail').waitFor({ timeout: 10_000 });
    expect(new URL(tech.url()).pathname).toBe(workOrderPath);
  }, 180_000);

  it('says the parts picker is empty and shows a manager where to add parts', async () => {
    const runtime = app.runtime();
    const cognito = new LocalCognito(
      runtime.urls.cognito,
      runtime.userPoolId,
      runtime.userPoolClientId,
    );
    const email = `warden-${Date.now()}@chapel.example`;
    await cognito.createConfirmedUser(email, DEMO_PASSWORD, 'Chapel Warden');
    const session = await cognito.signIn(email, DEMO_PASSWORD);
    const created = await graphqlOk<DataOf<typeof CREATE_ORGANIZATION>>(
      runtime.urls.graphql,
      session.accessToken,
      CREATE_ORGANIZATION,
      { name: `Empty Shelf Chapel ${Date.now()}` },
    );
    const submitted = await graphqlOk<DataOf<typeof SUBMIT>>(
      runtime.urls.graphql,
      session.accessToken,
      SUBMIT,
      { organizationId: created.createOrganization.id, title: 'Hall radiator is cold' },
    );

    const owner = await newPage(DESKTOP);
    await signIn(owner, email, `/work-orders/${submitted.submitWorkOrder.id}`);
    const parts = owner.getByTestId('parts-used');
    await parts.waitFor({ timeout: 15_000 });
    const empty = parts.getByTestId('use-part-empty');
    await empty.waitFor({ timeout: 10_000 });
    await expect(empty.innerText()).resolves.toMatch(/no parts in the inventory yet/);
    expect(await parts.getByTestId('use-part-item').count()).toBe(0);
    await empty.getByRole('link', { name: 'Add a part in Inventory' }).click();
    await owner.getByTestId('item-form').waitFor({ timeout: 10_000 });
    expect(new URL(owner.url()).pathname).toBe('/inventory');
  }, 180_000);
});
