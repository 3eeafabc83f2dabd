import type { Page } from 'playwright-core';
import { decodeJwt } from '../support/tokens';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../local/demo-data';
import { graphqlOk, LocalCognito, type Session } from '../../local/graphql-client';
import { readMailbox, type MailMessage } from '../../local/mail';
import {
  ADJUST,
  ASSIGN,
  CREATE_ITEM,
  CREATE_ORGANIZATION,
  type DataOf,
  type Document,
  SUBMIT,
  TRANSITION,
} from '../support/operations';
import { DESKTOP, useWebApp } from './support/web-app';

/** What following a link must show: a real page (not "Page not found") naming the thing. */
type Destination = { recipient: string; subject: string; page: string; shows: string };

describe('links in emails and notifications', () => {
  const app = useWebApp('links', DESKTOP);
  const { newPage, demoEmail, signIn, appUrl } = app;

  const call = async <D extends Document<unknown, unknown>>(
    session: Session,
    query: D,
    variables: D extends Document<unknown, infer V> ? V : never,
  ): Promise<DataOf<D>> =>
    graphqlOk<DataOf<D>>(
      app.runtime().urls.graphql,
      session.accessToken,
      query,
      variables as Record<string, unknown>,
    );

  /** The one link in a message's text body, as a path of the web app. */
  const linkOf = (message: MailMessage): string => {
    const found = /https?:\/\/\S+/.exec(message.text ?? '');
    if (found === null) throw new Error(`No link in “${message.subject}”`);
    const url = new URL(found[0]);
    // The runtime's APP_URL is the default web-app port; this suite's app runs on a free one.
    return `${url.pathname}${url.search}`;
  };

  /** Waits for the page at the current URL to show `destination`, not "Page not found". */
  const expectLanded = async (page: Page, destination: Destination, via: string) => {
    const target = page.getByTestId(destination.page);
    await target
      .or(page.getByTestId('not-found'))
      .or(page.getByTestId('detail-not-found'))
      .first()
      .waitFor({ timeout: 15_000 });
    expect(
      await page.getByTestId('not-found').count(),
      `${via} of “${destination.subject}” (${page.url()}) leads to Page not found`,
    ).toBe(0);
    expect(await target.innerText(), `${via} of “${destination.subject}”`).toContain(
      destination.shows,
    );
  };

  it('every kind of email and bell entry opens its work order, item or invitation', async () => {
    const runtime = app.runtime();
    const cognito = new LocalCognito(
      runtime.urls.cognito,
      runtime.userPoolId,
      runtime.userPoolClientId,
    );
    const signInAs = (role: string) => cognito.signIn(demoEmail(role), DEMO_PASSWORD);
    const member = await signInAs('MEMBER');
    const manager = await signInAs('MANAGER');
    const tech = await signInAs('TECHNICIAN');
    const organizationId = runtime.demo?.organizationId ?? '';
    const techId = String(decodeJwt(tech.idToken).payload.sub);
    const stamp = Date.now();

    // A request that is assigned, completed and closed: the assignee and the requester hear.
    const title = `Gutter overflows by the porch ${stamp}`;
    let wo = (await call(member, SUBMIT, { organizationId, title })).submitWorkOrder;
    wo = (await call(manager, ASSIGN, { id: wo.id, assigneeId: techId, v: wo.version }))
      .assignWorkOrder;
    wo = (await call(tech, TRANSITION, { id: wo.id, to: 'IN_PROGRESS', v: wo.version }))
      .transitionWorkOrder;
    wo = (
      await call(tech, TRANSITION, {
        id: wo.id,
        to: 'COMPLETED',
        v: wo.version,
        completionNotes: 'Cleared the downpipe',
      })
    ).transitionWorkOrder;
    await call(manager, TRANSITION, { id: wo.id, to: 'CLOSED', v: wo.version });

    // An item used below its minimum: managers hear.
    const name = `Gutter guard ${stamp}`;
    const item = (
      await call(manager, CREATE_ITEM, {
        organizationId,
        sku: `GG-${stamp}`,
        name,
        quantity: 5,
        minQuantity: 2,
      })
    ).createInventoryItem;
    await call(manager, ADJUST, { itemId: item.id, delta: -4, reason: 'CONSUME' });
    await runtime.streamsIdle();

    const detail = { page: 'work-order-detail', shows: title };
    const destinations: Destination[] = [
      { recipient: demoEmail('TECHNICIAN'), subject: 'assigned to you', ...detail },
      { recipient: demoEmail('MEMBER'), subject: 'is assigned', ...detail },
      { recipient: demoEmail('MEMBER'), subject: 'is completed', ...detail },
      { recipient: demoEmail('MEMBER'), subject: 'is closed', ...detail },
      {
        recipient: demoEmail('MANAGER'),
        subject: `Low stock: ${name}`,
        page: 'inventory-item',
        shows: name,
      },
      {
        // The demo organization's members joined by invitation; the link still opens its page.
        recipient: demoEmail('TECHNICIAN'),
        subject: 'invited you to',
        page: 'accept-page',
        shows: 'Invitation',
      },
    ];

    const mail = await readMailbox(runtime.urls.mailbox);
    const pages = new Map<string, Page>();
    for (const destination of destinations) {
      const message = mail.find(
        (m) =>
          m.to.includes(destination.recipient) &&
          m.subject.includes(destination.subject) &&
          (destination.page === 'accept-page' || m.subject.includes(destination.shows)),
      );
      expect(
        message,
        `an email “${destination.subject}” to ${destination.recipient}`,
      ).toBeDefined();
      if (message === undefined) continue;
      const path = linkOf(message);
      let page = pages.get(destination.recipient);
      if (page === undefined) {
        page = await newPage(DESKTOP);
        await signIn(page, destination.recipient, path);
        pages.set(destination.recipient, page);
      } else {
        await page.goto(appUrl(path));
      }
      await expectLanded(page, destination, 'the email link');
    }

    // The same notifications in the bell (invitations go to an address, not to a bell).
    for (const destination of destinations.filter((d) => d.page !== 'accept-page')) {
      const page = pages.get(destination.recipient);
      if (page === undefined) continue;
      await page.getByTestId('notification-bell').click();
      const entry = page
        .getByTestId('notification-row')
        .filter({ hasText: destination.subject })
        .filter({ hasText: destination.shows })
        .getByRole('link');
      await entry.first().waitFor({ timeout: 15_000 });
      await entry.first().click();
      await expectLanded(page, destination, 'the bell entry');
    }
  }, 180_000);

  it('says another organization’s work order is not found or not yours, with no Try again', async () => {
    const runtime = app.runtime();
    const cognito = new LocalCognito(
      runtime.urls.cognito,
      runtime.userPoolId,
      runtime.userPoolClientId,
    );
    const outsider = `outsider-${Date.now()}@example.org`;
    await cognito.createConfirmedUser(outsider, DEMO_PASSWORD, 'Otto Outsider');
    let session = await cognito.signIn(outsider, DEMO_PASSWORD);
    const organizationId = (
      await call(session, CREATE_ORGANIZATION, { name: `Other parish ${Date.now()}` })
    ).createOrganization.id;
    // The new organization's groups are in the next token.
    session = await cognito.signIn(outsider, DEMO_PASSWORD);
    const theirs = (await call(session, SUBMIT, { organizationId, title: 'Their boiler' }))
      .submitWorkOrder;

    const page = await newPage(DESKTOP);
    await signIn(page, demoEmail('MANAGER'), `/work-orders/${theirs.id}`);
    await page.getByTestId('detail-not-found').waitFor({ timeout: 15_000 });
    expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    expect(await page.getByText('Unauthorized').count()).toBe(0);
  }, 60_000);
});
