import { beforeAll, describe, expect, it } from 'vitest';
import {
  INBOX,
  ON_NOTIFICATION,
  SET_PREFERENCES,
  SUBMIT_WITH_PRIORITY,
  TRANSITION,
} from './support/operations';
import type { RealtimeSubscription } from './support/realtime';
import { useWorld } from './support/world';

describe('new requests reach the organization’s triagers', () => {
  const world = useWorld({
    name: 'new-requests',
    people: {
      owner: { email: 'owner@nr.example', role: 'OWNER' },
      admin: { email: 'admin@nr.example', role: 'ADMIN' },
      manager: { email: 'manager@nr.example', role: 'MANAGER' },
      tech: { email: 'tech@nr.example', role: 'TECHNICIAN' },
      member: { email: 'member@nr.example', role: 'MEMBER' },
      viewer: { email: 'viewer@nr.example', role: 'VIEWER' },
      outsider: { email: 'outsider@nr.example', role: 'OWNER', of: 'elsewhere' },
      outsiderManager: { email: 'om@nr.example', role: 'MANAGER', of: 'elsewhere' },
    },
    organizations: {
      chapel: { owner: 'owner', name: 'Grace Chapel' },
      elsewhere: { owner: 'outsider', name: 'Elsewhere' },
    },
  });
  type Person = keyof typeof world.ids;
  const everyone = (): Person[] => Object.keys(world.ids) as Person[];
  let counter = 0;
  let managerFeed: RealtimeSubscription;

  beforeAll(async () => {
    managerFeed = await world.live('manager', ON_NOTIFICATION, {});
  });

  const submit = async (who: Person, priority: string, draft = false) => {
    counter += 1;
    const title = `Request ${counter} of the suite`;
    const { submitWorkOrder } = await world.ok(who, SUBMIT_WITH_PRIORITY, {
      organizationId: world.organizationId,
      title,
      priority,
      draft,
    });
    return submitWorkOrder;
  };
  /** Recipients of every email about one work order, one entry per email, sorted. */
  const mailedAbout = async (title: string) =>
    (await world.mailbox())
      .filter((m) => m.subject.includes(title))
      .flatMap((m) => m.to)
      .sort();
  /** Who holds an in-app notification about a title, one entry per notification. */
  const heardInApp = async (title: string) => {
    const heard: { who: Person; kind: string; status: string }[] = [];
    for (const who of everyone()) {
      const items = (await world.ok(who, INBOX, { recipientId: world.ids[who] }))
        .notificationsByRecipient.items;
      for (const n of items.filter((item) => item.subject.includes(title))) {
        heard.push({ who, kind: n.kind, status: n.status });
      }
    }
    return heard.sort((a, b) => a.who.localeCompare(b.who));
  };

  it('a HIGH request reaches each owner, admin and manager once, by email and bell, and no one else', async () => {
    const wo = await submit('member', 'HIGH');
    await world.runtime.streamsIdle();
    expect(await mailedAbout(wo.title)).toEqual([
      'admin@nr.example',
      'manager@nr.example',
      'owner@nr.example',
    ]);
    expect(await heardInApp(wo.title)).toEqual([
      { who: 'admin', kind: 'NEW_URGENT_REQUEST', status: 'SENT' },
      { who: 'manager', kind: 'NEW_URGENT_REQUEST', status: 'SENT' },
      { who: 'owner', kind: 'NEW_URGENT_REQUEST', status: 'SENT' },
    ]);
    const live = await managerFeed.next(
      (event) => JSON.stringify(event).includes(wo.title),
      15_000,
    );
    expect(JSON.stringify(live)).toContain('NEW_URGENT_REQUEST');
    const mail = (await world.mailbox()).find((m) => m.subject.includes(wo.title));
    expect(mail?.subject).toContain('(High priority)');
    expect(mail?.text).toContain('Priority: High');
    expect(mail?.text).not.toContain('HIGH');
    expect(mail?.text).toContain(`/work-orders/${wo.id}`);
  }, 60_000);

  it('a LOW request is in the bell but emails no one by default', async () => {
    const wo = await submit('member', 'LOW');
    await world.runtime.streamsIdle();
    expect(await mailedAbout(wo.title)).toEqual([]);
    expect(await heardInApp(wo.title)).toEqual([
      { who: 'admin', kind: 'NEW_REQUEST', status: 'SKIPPED_BY_PREFERENCE' },
      { who: 'manager', kind: 'NEW_REQUEST', status: 'SKIPPED_BY_PREFERENCE' },
      { who: 'owner', kind: 'NEW_REQUEST', status: 'SKIPPED_BY_PREFERENCE' },
    ]);
  }, 60_000);

  it('never notifies the requester themself, and a preference turns normal requests on', async () => {
    const prefs = await world.ok('admin', SET_PREFERENCES, { newRequests: true });
    expect(prefs.updateNotificationPreferences).toMatchObject({
      newRequests: true,
      urgentRequests: true,
    });
    const wo = await submit('manager', 'MEDIUM');
    await world.runtime.streamsIdle();
    expect(await mailedAbout(wo.title)).toEqual(['admin@nr.example']);
    expect((await heardInApp(wo.title)).map((h) => h.who)).toEqual(['admin', 'owner']);
  }, 60_000);

  it('a draft is news only once it is submitted, and then once', async () => {
    const draft = await submit('member', 'URGENT', true);
    await world.runtime.streamsIdle();
    expect(await heardInApp(draft.title)).toEqual([]);
    await world.ok('member', TRANSITION, { id: draft.id, to: 'NEW', v: draft.version });
    await world.runtime.streamsIdle();
    expect(await mailedAbout(draft.title)).toEqual([
      'admin@nr.example',
      'manager@nr.example',
      'owner@nr.example',
    ]);
  }, 60_000);

  it('another organization’s request reaches its own triagers only', async () => {
    counter += 1;
    const title = `Elsewhere ${counter}`;
    await world.ok('outsiderManager', SUBMIT_WITH_PRIORITY, {
      organizationId: world.org.elsewhere,
      title,
      priority: 'URGENT',
    });
    await world.runtime.streamsIdle();
    expect(await mailedAbout(title)).toEqual(['outsider@nr.example']);
    expect((await heardInApp(title)).map((h) => h.who)).toEqual(['outsider']);
  }, 60_000);
});
