import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { MAX_TITLE_LENGTH } from '../../core/work-orders/vocabulary';
import { DEMO_PASSWORD } from '../../local/demo-data';
import { graphqlOk, LocalCognito } from '../../local/graphql-client';
import { CREATE_ORGANIZATION } from '../support/operations';
import { DESKTOP, PHONE, SCREENSHOTS, useWebApp } from './support/web-app';

describe('work-order details in the web app', () => {
  const app = useWebApp('work-order-details', DESKTOP);
  const { newPage, demoEmail, signIn, appUrl } = app;
  /** A dialog is drawn over the viewport, so its screenshots show the viewport only. */
  const shoot = (page: Page, name: string, fullPage = true) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
  const pathOf = (page: Page) => {
    const url = new URL(page.url());
    return `${url.pathname}${url.search}`;
  };

  it('an empty organization’s dashboard leads to the first request; a long title keeps every word', async () => {
    // A new owner with an organization of their own and nothing in it yet.
    const runtime = app.runtime();
    const cognito = new LocalCognito(
      runtime.urls.cognito,
      runtime.userPoolId,
      runtime.userPoolClientId,
    );
    const email = 'first-owner@example.org';
    await cognito.createConfirmedUser(email, DEMO_PASSWORD, 'Fran First');
    const session = await cognito.signIn(email, DEMO_PASSWORD);
    await graphqlOk(runtime.urls.graphql, session.accessToken, CREATE_ORGANIZATION, {
      name: 'St Brendan’s Hall',
    });

    const page = await newPage(DESKTOP);
    await signIn(page, email);
    const firstSteps = page.getByTestId('first-steps');
    await firstSteps.waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    await expect(firstSteps.innerText()).resolves.toMatch(/No work orders yet/);
    await page.getByTestId('invite-team').waitFor({ timeout: 5_000 });
    // No dashes standing for figures, no zero counts beside them.
    const dashboard = await page.getByTestId('dashboard').innerText();
    expect(dashboard).not.toMatch(/–|\(0\)/);
    await shoot(page, 'dashboard-empty');

    // The next step opens the request form, ready to type in.
    await page.getByTestId('first-request').click();
    const title = page.getByLabel('What needs fixing?');
    await title.waitFor({ timeout: 10_000 });
    await expect(title.evaluate((input) => input === document.activeElement)).resolves.toBe(true);
    const counter = page.getByTestId('title-count');
    await title.pressSequentially('Boiler');
    await expect(counter.innerText()).resolves.toMatch(new RegExp(`\\b6 / ${MAX_TITLE_LENGTH}$`));

    // A pasted paragraph of 618 characters is kept whole, and the form says what is too much.
    const sentence = 'The boiler in the basement knocks loudly every morning before the service. ';
    const long = sentence.repeat(9).slice(0, 618).trim();
    await title.fill(long);
    await expect(title.inputValue()).resolves.toBe(long);
    await expect(counter.innerText()).resolves.toMatch(
      new RegExp(`\\b${long.length} / ${MAX_TITLE_LENGTH}$`),
    );
    const tooLong = page.getByTestId('title-too-long');
    await expect(tooLong.innerText()).resolves.toMatch(
      new RegExp(`${long.length - MAX_TITLE_LENGTH} characters too long`),
    );
    await page.getByRole('button', { name: 'Submit request' }).click();
    await expect(page.getByTestId('request-error').innerText()).resolves.toMatch(/too long/);
    await expect(page.getByTestId('request-notice').innerText()).resolves.toBe('');

    // One click moves the rest to the details, cut between words; then it goes through.
    await page.getByTestId('title-move-rest').click();
    const kept = await title.inputValue();
    expect(kept.length).toBeLessThanOrEqual(MAX_TITLE_LENGTH);
    expect(long.startsWith(kept)).toBe(true);
    expect(long.charAt(kept.length)).toBe(' ');
    await expect(page.getByLabel('Details (optional)').inputValue()).resolves.toBe(
      long.slice(kept.length).trim(),
    );
    expect(await tooLong.count()).toBe(0);
    await page.getByRole('button', { name: 'Submit request' }).click();
    await page
      .getByTestId('request-notice')
      .filter({ hasText: 'Submitted WO-1' })
      .waitFor({ timeout: 10_000 });

    // Opened from the work-order list, the detail page leads back to it, filters and all.
    await page.goto(appUrl('/work-orders?view=list&q=boiler'));
    await page.getByTestId('work-order-title').first().click();
    await page.getByTestId('work-order-detail').waitFor({ timeout: 10_000 });
    const back = page.getByTestId('detail-back');
    await expect(back.innerText()).resolves.toBe('← Work orders');
    await expect(back.getAttribute('href')).resolves.toBe('/work-orders?view=list&q=boiler');

    // With a work order, the dashboard shows figures again; an empty week says so in words.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Dashboard' })
      .click();
    await page.getByTestId('open-total').filter({ hasText: '1' }).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('first-steps').count()).toBe(0);
    await expect(page.getByTestId('time-to-assign').innerText()).resolves.toMatch(
      /No work orders assigned in the last two weeks/,
    );
    expect(await page.getByTestId('dashboard').innerText()).not.toMatch(/–|\(0\)/);
  }, 120_000);

  it('from My work: the back link names it, a hold asks why, and Back asks before losing typed notes', async () => {
    const tech = await newPage(DESKTOP);
    await signIn(tech, demoEmail('TECHNICIAN'), '/my-work');
    await tech
      .getByRole('link', { name: /Fire door does not latch/ })
      .first()
      .click();
    const detail = tech.getByTestId('work-order-detail');
    await detail.waitFor({ timeout: 10_000 });
    const detailPath = pathOf(tech);
    const back = tech.getByTestId('detail-back');
    await expect(back.innerText()).resolves.toBe('← My work');
    await expect(back.getAttribute('href')).resolves.toBe('/my-work');

    /** Waits up to 2 s for the history entry to change from `was`, and goes on either way. */
    const settled = (was: string) =>
      tech
        .waitForFunction((previous) => JSON.stringify(history.state) !== previous, was, {
          timeout: 2_000,
        })
        .catch(() => undefined);
    const status = (value: string) =>
      tech.locator(`[data-testid="work-order-detail"][data-status="${value}"]`);
    await tech.getByTestId('action-IN_PROGRESS').click();
    await status('IN_PROGRESS').waitFor({ timeout: 10_000 });

    // Putting work on hold needs a reason; without one nothing is sent.
    await tech.getByTestId('action-ON_HOLD').click();
    const hold = tech.getByTestId('reason-dialog');
    await hold.waitFor({ state: 'visible', timeout: 5_000 });
    await hold.getByRole('button', { name: 'Put on hold' }).click();
    await hold.getByTestId('reason-error').waitFor({ timeout: 5_000 });
    await expect(detail.getAttribute('data-status')).resolves.toBe('IN_PROGRESS');
    const reason = 'Waiting for the replacement latch';
    await hold.getByLabel('Why is the work on hold?').fill(reason);
    await shoot(tech, 'detail-hold-reason', false);
    await tech.setViewportSize(PHONE);
    await shoot(tech, 'detail-hold-reason-phone', false);
    await tech.setViewportSize(DESKTOP);
    await hold.getByRole('button', { name: 'Put on hold' }).click();
    await status('ON_HOLD').waitFor({ timeout: 10_000 });
    await tech
      .locator('[data-testid="timeline-entry"][data-kind="PAUSED"]', { hasText: reason })
      .waitFor({ timeout: 10_000 });

    await tech.getByTestId('action-IN_PROGRESS').click();
    await status('IN_PROGRESS').waitFor({ timeout: 10_000 });

    // The Complete dialog open but empty: Back goes back, as always.
    const complete = tech.getByTestId('complete-dialog');
    await tech.getByTestId('action-COMPLETED').click();
    await complete.waitFor({ state: 'visible', timeout: 5_000 });
    await tech.goBack();
    await tech.getByTestId('work-order-list').waitFor({ timeout: 10_000 });
    expect(pathOf(tech)).toBe('/my-work');
    await tech.goForward();
    await detail.waitFor({ timeout: 10_000 });
    expect(pathOf(tech)).toBe(detailPath);

    // With notes typed, Back asks in the app's own dialog, and keeps the notes when told to.
    await tech.getByTestId('action-COMPLETED').click();
    await complete.waitFor({ state: 'visible', timeout: 5_000 });
    const notes = 'Adjusted the strike plate and oiled the latch';
    const before = await tech.evaluate(() => JSON.stringify(history.state));
    await complete.getByLabel('What was done').fill(notes);
    // A person does not press Back in the same few milliseconds as typing: give the page a moment
    // to note the text (this app lays a history entry; a page that does nothing waits in vain).
    await settled(before);
    const ask = tech.getByTestId('discard-confirm');
    await tech.goBack();
    await ask.waitFor({ state: 'visible', timeout: 5_000 });
    expect(pathOf(tech)).toBe(detailPath);
    await expect(tech.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Cancel');
    const landed = await tech.evaluate(() => JSON.stringify(history.state));
    await ask.getByTestId('cancel').click();
    await ask.waitFor({ state: 'hidden', timeout: 5_000 });
    await expect(complete.getByLabel('What was done').inputValue()).resolves.toBe(notes);
    await settled(landed);

    // Asked again on the next Back; discarding goes where Back would have gone.
    await tech.goBack();
    await ask.waitFor({ state: 'visible', timeout: 5_000 });
    await ask.getByTestId('confirm').click();
    await tech.getByTestId('work-order-list').waitFor({ timeout: 10_000 });
    expect(pathOf(tech)).toBe('/my-work');
    expect(await tech.getByTestId('work-order-detail').count()).toBe(0);
  }, 120_000);
});
