import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeLivePublisher } from '../core/testing/fakes';
import { Logger } from '@aws-lambda-powertools/logger';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { createDocumentClient } from '../amplify/functions/shared/stores/dynamo-items';
import { DynamoMembershipStore } from '../amplify/functions/shared/stores/dynamo-membership-store';
import { DynamoOrganizationStore } from '../amplify/functions/shared/stores/dynamo-organization-store';
import { DynamoProfileStore } from '../amplify/functions/shared/stores/dynamo-profile-store';
import { createNotifierHandler } from '../amplify/functions/notifier/process-stream';
import { DynamoNotificationStore } from '../amplify/functions/notifier/stores/dynamo-notification-store';
import { SesMailer } from '../amplify/functions/notifier/stores/ses-mailer';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localDynamoDbClient } from '../local/dynamodb';
import { waitFor } from './support/wait';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectDomainError } from './support/domain-error';
import {
  ADJUST,
  CREATE_ITEM as CREATE,
  INBOX,
  type InventoryItem as Item,
  MARK_READ as MARK,
  PREFERENCES,
  SUBMIT,
} from './support/operations';
import { useWorld } from './support/world';

/** Who hears about low stock in the organization (quiet turned it off). */
const HEARS = ['admin@ntf.example', 'manager@ntf.example', 'owner@ntf.example'];

describe('notifications on the local runtime', () => {
  const world = useWorld({
    name: 'notifications',
    people: {
      owner: { email: 'owner@ntf.example', role: 'OWNER' },
      admin: { email: 'admin@ntf.example', role: 'ADMIN' },
      manager: { email: 'manager@ntf.example', role: 'MANAGER' },
      quiet: { email: 'quiet@ntf.example', role: 'MANAGER' },
      tech: { email: 'tech@ntf.example', role: 'TECHNICIAN' },
      member: { email: 'member@ntf.example', role: 'MEMBER' },
      viewer: { email: 'viewer@ntf.example', role: 'VIEWER' },
      outsider: { email: 'outsider@ntf.example', role: 'OWNER', of: 'elsewhere' },
    },
    organizations: {
      chapel: { owner: 'owner', name: 'Grace Chapel' },
      elsewhere: { owner: 'outsider', name: 'Elsewhere' },
    },
  });
  type Person = keyof typeof world.ids;
  let itemCounter = 0;

  /** A fresh item with a name no other test uses, so its emails can be told apart. */
  const create = async (
    quantity: number,
    minQuantity: number,
    who: Person = 'manager',
    organization = world.organizationId,
  ) => {
    itemCounter += 1;
    return (
      await world.ok(who, CREATE, {
        organizationId: organization,
        sku: `N-${itemCounter}`,
        name: `Part ${itemCounter}`,
        quantity,
        minQuantity,
      })
    ).createInventoryItem;
  };
  const adjust = async (itemId: string, delta: number, reason: string, who: Person = 'manager') =>
    (await world.ok(who, ADJUST, { itemId, delta, reason })).adjustInventory;
  /** The recipients of the low-stock emails about one item, sorted, one entry per email. */
  const lowStockMail = async (item: Pick<Item, 'name'>) =>
    (await world.mailbox())
      .filter((m) => m.subject.startsWith(`Low stock: ${item.name} (`))
      .flatMap((m) => m.to)
      .sort();
  const inbox = async (who: Person, recipient: Person = who) =>
    (await world.ok(who, INBOX, { recipientId: world.ids[recipient] })).notificationsByRecipient
      .items;
  /** A stream record of an item going from `before` to `after`, as the InventoryItem stream carries it. */
  const record = (item: Item, before: Partial<Item>, after: Partial<Item>, sequence: string) => ({
    eventID: `test-${sequence}`,
    eventName: 'MODIFY',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: sequence,
      OldImage: marshall({ __typename: 'InventoryItem', ...item, ...before }),
      NewImage: marshall({ __typename: 'InventoryItem', ...item, ...after }),
    },
  });

  beforeAll(async () => {
    const prefs = await world.ok('quiet', PREFERENCES, { lowStock: false });
    expect(prefs.updateNotificationPreferences).toEqual({
      assignment: true,
      statusChanges: true,
      lowStock: false,
    });
  });

  it('a crossing mails each owner, admin and manager once; lower sends none; back above and down again sends again', async () => {
    const item = await create(5, 2);
    await adjust(item.id, -3, 'CONSUME');
    await world.runtime.streamsIdle();
    expect(await lowStockMail(item)).toEqual(HEARS);
    await adjust(item.id, -1, 'CONSUME', 'tech');
    await adjust(item.id, 10, 'RECEIVE');
    await world.runtime.streamsIdle();
    expect(await lowStockMail(item)).toEqual(HEARS);
    await adjust(item.id, 2, 'COUNT');
    await world.runtime.streamsIdle();
    expect(await lowStockMail(item)).toEqual([...HEARS, ...HEARS].sort());
    const mail = (await world.mailbox()).find((m) => m.subject.includes(item.name));
    expect(mail?.text).toContain(`/inventory/${item.id}`);
    expect(mail?.text).toContain('/settings');
    expect(mail?.html).toContain(`/inventory/${item.id}`);
    expect(mail?.html).toContain('/settings');
  }, 60_000);

  it('never mails anyone outside the item’s organization', async () => {
    const item = await create(3, 1, 'outsider', world.org.elsewhere);
    await adjust(item.id, -2, 'CONSUME', 'outsider');
    await world.runtime.streamsIdle();
    expect(await lowStockMail(item)).toEqual(['outsider@ntf.example']);
    const everything = await world.mailbox();
    const toOutsider = everything.filter(
      (m) => m.to.includes('outsider@ntf.example') && m.subject.startsWith('Low stock'),
    );
    expect(toOutsider.map((m) => m.subject)).toEqual([`Low stock: ${item.name} (${item.sku})`]);
  }, 60_000);

  it('a preference turns the email off; the in-app notification stays, for its recipient alone', async () => {
    const item = await create(4, 1);
    await adjust(item.id, -3, 'CONSUME');
    await world.runtime.streamsIdle();
    expect(await lowStockMail(item)).not.toContain('quiet@ntf.example');
    const me = await world.ok<
      { me: { profile: { preferences: Record<string, boolean> } } },
      object
    >('quiet', '{ me { profile { preferences { assignment statusChanges lowStock } } } }');
    expect(me.me.profile.preferences).toEqual({
      assignment: true,
      statusChanges: true,
      lowStock: false,
    });
    const stored = await world.documents.send(
      new GetCommand({
        TableName: world.table('Notification'),
        Key: { id: `low-stock:${item.id}:2:${world.ids.quiet}` },
      }),
    );
    // Its membership recorded the email as username (the token's is the sub): still readable.
    expect(stored.Item).toMatchObject({
      recipient: world.ids.quiet,
      status: 'SKIPPED_BY_PREFERENCE',
    });
    expect(stored.Item).not.toHaveProperty('email');
    const quiet = (await inbox('quiet')).find((n) => n.subject.includes(item.name));
    expect(quiet).toMatchObject({
      kind: 'LOW_STOCK',
      status: 'SKIPPED_BY_PREFERENCE',
      readAt: null,
    });
    const owners = (await inbox('owner')).find((n) => n.subject.includes(item.name));
    expect(owners).toMatchObject({
      kind: 'LOW_STOCK',
      status: 'SENT',
      link: expect.stringContaining(item.id) as string,
    });
    // The owner rule: nobody else reads the quiet manager's notifications.
    expect(await inbox('owner', 'quiet')).toEqual([]);
    expect(await inbox('admin', 'quiet')).toEqual([]);
    // Marking: a foreign id is NOT_FOUND and changes nothing; one's own is marked once.
    await expectDomainError(world.gql('owner', MARK, { ids: [quiet?.id] }), 'NOT_FOUND');
    expect((await inbox('quiet')).find((n) => n.id === quiet?.id)?.readAt).toBeNull();
    expect((await world.ok('quiet', MARK, { ids: [quiet?.id] })).markNotificationsRead).toBe(1);
    expect((await inbox('quiet')).find((n) => n.id === quiet?.id)?.readAt).toBeTruthy();
    const all = (await world.ok('owner', MARK, { all: true })).markNotificationsRead;
    expect(all).toBeGreaterThanOrEqual(1);
    expect((await inbox('owner')).every((n) => n.readAt)).toBe(true);
    expect((await inbox('admin')).some((n) => !n.readAt)).toBe(true);
  }, 60_000);

  it('an assignment email turned off still leaves the in-app notification; the requester hears as usual', async () => {
    await world.ok(
      'tech',
      'mutation { updateNotificationPreferences(assignment: false) { assignment } }',
    );
    const submitted = (
      await world.ok('member', SUBMIT, {
        organizationId: world.organizationId,
        title: 'Dripping tap',
      })
    ).submitWorkOrder;
    await world.ok(
      'manager',
      'mutation A($id: ID!, $to: String, $v: Int) { assignWorkOrder(id: $id, assigneeId: $to, expectedVersion: $v) { id } }',
      {
        id: submitted.id,
        to: world.ids.tech,
        v: submitted.version,
      },
    );
    await world.runtime.streamsIdle();
    const mails = (await world.mailbox()).filter((m) => m.subject.includes('Dripping tap'));
    expect(mails.map((m) => m.to).flat()).toEqual(['member@ntf.example']);
    expect(mails[0]?.text).toContain('/settings');
    const techs = (await inbox('tech')).filter((n) => n.subject.includes('Dripping tap'));
    expect(techs).toMatchObject([{ kind: 'WORK_ORDER_ASSIGNED', status: 'SKIPPED_BY_PREFERENCE' }]);
    const requesters = (await inbox('member')).filter((n) => n.subject.includes('Dripping tap'));
    expect(requesters).toMatchObject([{ kind: 'REQUEST_ASSIGNED', status: 'SENT' }]);
  }, 60_000);

  it('a batch delivered three times mails each recipient once', async () => {
    const item = await create(6, 2);
    // The change never happened in the table: only the notifier sees it, as a redelivered batch.
    const event = {
      Records: [
        record(item, { quantity: 6, version: 1 }, { quantity: 5, version: 2 }, '9000000001'),
        record(item, { quantity: 5, version: 2 }, { quantity: 1, version: 3 }, '9000000002'),
      ],
    };
    for (let i = 0; i < 3; i += 1) {
      expect(await world.runtime.invoke('notifier', event)).toEqual({ batchItemFailures: [] });
    }
    expect(await lowStockMail(item)).toEqual(HEARS);
  }, 60_000);

  it('with SES down for a while, every email arrives once after it recovers', async () => {
    // The notifier handler as the Lambda builds it, over the runtime's DynamoDB, sending through
    // a switchable proxy in front of the SES emulator: down, it answers 503 like a throttled SES.
    let down = true;
    const proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (down) {
          res
            .writeHead(503, { 'content-type': 'application/json' })
            .end('{"message":"Service Unavailable"}');
          return;
        }
        const upstream = http.request(
          new URL(req.url ?? '/', world.runtime.urls.mailbox),
          { method: req.method, headers: req.headers, agent: false },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.end(Buffer.concat(chunks));
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const db = createDocumentClient(localDynamoDbClient(world.runtime.urls.dynamodb));
    const tables = {
      members: world.table('OrganizationMember'),
      organizations: world.table('Organization'),
    };
    const handler = createNotifierHandler({
      clock: { now: () => new Date() },
      memberships: new DynamoMembershipStore(db, tables),
      organizations: new DynamoOrganizationStore(db, tables),
      profiles: new DynamoProfileStore(
        db,
        world.runtime.assembly.functions.find((f) => f.environment.PROFILE_TABLE)?.environment
          .PROFILE_TABLE ?? '',
      ),
      notifications: new DynamoNotificationStore(db, world.table('Notification')),
      mailer: new SesMailer(
        new SESv2Client({
          endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
          region: LOCAL_REGION,
          credentials: LOCAL_CREDENTIALS,
          maxAttempts: 1,
        }),
      ),
      live: new FakeLivePublisher(),
      mailFrom: 'steward@example.com',
      appUrl: 'http://localhost:5173',
      logger: new Logger({ serviceName: 'notifier-test', logLevel: 'SILENT' }),
    });
    try {
      const item = await create(6, 2);
      const event = {
        Records: [
          record(item, { quantity: 6, version: 1 }, { quantity: 2, version: 2 }, '9100000001'),
        ],
      } as unknown as DynamoDBStreamEvent;
      for (let i = 0; i < 2; i += 1) {
        expect((await handler(event)).batchItemFailures).toEqual([
          { itemIdentifier: '9100000001' },
        ]);
      }
      const claim = await world.documents.send(
        new GetCommand({
          TableName: world.table('Notification'),
          Key: { id: `low-stock:${item.id}:2:${world.ids.owner}` },
        }),
      );
      expect(claim.Item).toMatchObject({ status: 'FAILED', attempts: 2 });
      expect(await lowStockMail(item)).toEqual([]);
      down = false;
      expect(await handler(event)).toEqual({ batchItemFailures: [] });
      expect(await handler(event)).toEqual({ batchItemFailures: [] });
      expect(await lowStockMail(item)).toEqual(HEARS);
    } finally {
      db.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    }
  }, 60_000);

  it('a poison record goes to the failure destination and later records are still delivered', async () => {
    const poisoned = await create(5, 2);
    // A delivery held "forever" by an attempt that never finishes: every retry finds it BUSY.
    await world.documents.send(
      new PutCommand({
        TableName: world.table('Notification'),
        Item: {
          __typename: 'Notification',
          id: `low-stock:${poisoned.id}:2:${world.ids.owner}`,
          organizationId: world.organizationId,
          recipientId: world.ids.owner,
          recipient: world.ids.owner,
          kind: 'LOW_STOCK',
          subject: 'stuck',
          status: 'PENDING',
          attempts: 1,
          leaseUntil: '2999-01-01T00:00:00.000Z',
          createdAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
        },
      }),
    );
    const before = (await world.runtime.streamFailures()).length;
    await adjust(poisoned.id, -3, 'CONSUME');
    await waitFor(
      async () => ((await world.runtime.streamFailures()).length > before ? true : undefined),
      45_000,
    );
    const later = await create(5, 2);
    await adjust(later.id, -4, 'CONSUME');
    await world.runtime.streamsIdle();
    expect(await lowStockMail(later)).toEqual(HEARS);
    // The others of the poisoned crossing got theirs once, retries notwithstanding.
    expect(await lowStockMail(poisoned)).toEqual(['admin@ntf.example', 'manager@ntf.example']);
    const failures = await world.runtime.streamFailures();
    expect(failures.length).toBe(before + 1);
  }, 90_000);
});
