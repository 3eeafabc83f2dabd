import { beforeAll, describe, expect, it } from 'vitest';
import { AppSyncLivePublisher } from '../amplify/functions/notifier/stores/appsync-publisher';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/dynamodb';
import { expectDomainError } from './support/domain-error';
import { ASSIGN, INBOX, ON_NOTIFICATION, SUBMIT } from './support/operations';
import type { RealtimeSubscription } from './support/realtime';
import { postSigned } from './support/sigv4';
import { useWorld } from './support/world';

const PUBLISH = `mutation P($recipientId: String!) {
  publishNotification(id: "forged-1", organizationId: "org-x", recipientId: $recipientId,
    kind: "WORK_ORDER_ASSIGNED", subject: "Click here", createdAt: "2026-11-25T10:00:00Z") { id } }`;

type Live = { id: string; recipientId: string; organizationId: string; kind: string };
const liveOf = (event: Record<string, unknown>) => event.onNotification as Live;

describe('live in-app notifications on the local runtime', () => {
  const world = useWorld({
    name: 'live',
    people: {
      owner: { email: 'owner@live.example', role: 'OWNER' },
      tech: { email: 'tech@live.example', role: 'TECHNICIAN' },
      outsider: { email: 'outsider@live.example', role: 'OWNER', of: 'other' },
    },
    organizations: {
      chapel: { owner: 'owner', name: 'Grace Chapel' },
      other: { owner: 'outsider', name: 'Other Place' },
    },
  });
  type Person = keyof typeof world.ids;
  const feeds = {} as Record<Person, RealtimeSubscription>;

  beforeAll(async () => {
    for (const who of ['owner', 'tech', 'outsider'] as const) {
      feeds[who] = await world.live(who, ON_NOTIFICATION, {});
    }
  });

  /** Assigns a new work order to tech and waits for its notification: what must arrive. */
  async function assignToTech(title: string): Promise<Live> {
    const { submitWorkOrder: wo } = await world.ok('owner', SUBMIT, {
      organizationId: world.organizationId,
      title,
    });
    const seen = new Set(feeds.tech.events.map((e) => liveOf(e).id));
    await world.ok('owner', ASSIGN, { id: wo.id, assigneeId: world.ids.tech, v: wo.version });
    return liveOf(
      await feeds.tech.next(
        (e) => liveOf(e).kind === 'WORK_ORDER_ASSIGNED' && !seen.has(liveOf(e).id),
        15_000,
      ),
    );
  }

  /** After a refused publish: a genuine notification (the marker) is the only one that arrives. */
  async function expectOnlyMarker(before: number): Promise<void> {
    const marker = await assignToTech('marker');
    expect(feeds.tech.events.slice(before).map((e) => liveOf(e).id)).toEqual([marker.id]);
  }

  it('pushes an assignment to the assignee the moment the notifier records it, to nobody else', async () => {
    const pushed = await assignToTech('Furnace filter');
    expect(pushed).toMatchObject({
      recipientId: world.ids.tech,
      organizationId: world.organizationId,
    });
    // The stored notification the bell reads is the same one.
    const inbox = await world.ok('tech', INBOX, { recipientId: world.ids.tech });
    expect(inbox.notificationsByRecipient.items.map((n) => n.id)).toContain(pushed.id);
    await world.runtime.streamsIdle();
    for (const who of Object.keys(feeds) as Person[]) {
      for (const event of feeds[who].events) expect(liveOf(event).recipientId).toBe(world.ids[who]);
    }
    expect(feeds.outsider.events).toHaveLength(0);
  });

  it('refuses a person who calls publishNotification, and delivers nothing', async () => {
    const before = feeds.tech.events.length;
    await expectDomainError(
      world.gql('outsider', PUBLISH, { recipientId: world.ids.tech }),
      /Unauthorized/,
    );
    await expectOnlyMarker(before);
  });

  it('refuses IAM calls signed with credentials other than the functions’ own', async () => {
    const before = feeds.tech.events.length;
    const live = {
      id: 'forged-2',
      organizationId: world.organizationId,
      recipientId: world.ids.tech,
      kind: 'WORK_ORDER_ASSIGNED',
      subject: 'Reset your password here',
      createdAt: new Date().toISOString(),
    };
    // The well-known local credentials every emulator accepts are not the functions' role.
    const guessed = new AppSyncLivePublisher(
      world.runtime.urls.graphql,
      LOCAL_REGION,
      LOCAL_CREDENTIALS,
    );
    await expect(guessed.publish(live)).rejects.toThrow(/HTTP 401/);

    // A signature over one body, sent with another.
    const response = await postSigned(
      world.runtime.urls.graphql,
      LOCAL_CREDENTIALS,
      '{"query":"{ __typename }"}',
      JSON.stringify({ query: PUBLISH, variables: { recipientId: world.ids.tech } }),
    );
    expect(response.status).toBe(401);
    await expectOnlyMarker(before);
  });
});
