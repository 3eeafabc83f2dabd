import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PHONE, useWebApp } from './support/web-app';

/** How soon another person's open page must show a submitted work order. */
const LIVE_WITHIN_MS = 2_000;

describe('the web app, live', () => {
  const app = useWebApp('live', PHONE);
  const { newPage, demoEmail, signIn, expectLive } = app;

  /** Signs in on the work-order list (every role has it) and waits until it is live. */
  const signInLive = async (page: Page, email: string): Promise<void> => {
    await signIn(page, email, '/work-orders');
    await expectLive(page);
    await expect(page.getByTestId('current-organization').innerText()).resolves.toContain(
      app.runtime().demo?.organizationName ?? '',
    );
  };

  it('shows a request submitted by one person on another person’s open page within 2 s, without reload', async () => {
    const [manager, member] = await Promise.all([newPage(), newPage()]);
    await Promise.all([
      signInLive(manager, demoEmail('MANAGER')),
      signInLive(member, demoEmail('MEMBER')),
    ]);
    // A reload would drop this marker, so its survival proves the row arrived live.
    await manager.evaluate(() => Object.assign(window, { stewardNoReload: true }));

    const title = `Leaking tap in the kitchen ${Date.now()}`;
    await member.getByLabel('What needs fixing?').fill(title);
    await member.getByTestId('request-form').getByLabel('Priority').selectOption('HIGH');
    const submittedAt = Date.now();
    await member.getByRole('button', { name: 'Submit request' }).click();

    const row = manager.locator('[data-testid="work-order-row"]', { hasText: title });
    await row.waitFor({ timeout: LIVE_WITHIN_MS });
    const elapsedMs = Date.now() - submittedAt;

    expect(elapsedMs).toBeLessThanOrEqual(LIVE_WITHIN_MS);
    await expect(row.getAttribute('data-status')).resolves.toBe('NEW');
    await expect(row.getAttribute('data-priority')).resolves.toBe('HIGH');
    await expect(manager.evaluate(() => 'stewardNoReload' in window)).resolves.toBe(true);
    // The submitter's own list shows it too (from the mutation's answer or the event).
    await member
      .locator('[data-testid="work-order-row"]', { hasText: title })
      .waitFor({ timeout: 2_000 });
  });
});
