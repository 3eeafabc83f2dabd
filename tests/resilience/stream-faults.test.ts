import { rmSync } from 'node:fs';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../core/organizations/roles';
import { graphqlOk, type LocalCognito, type Session } from '../../local/graphql-client';
import { readMailbox } from '../../local/mail';
import type { LocalRuntime } from '../../local/main';
import { seedActiveMember } from '../support/members';
import { signUpPeople, startSuiteRuntime } from '../support/suite';
import { readStream } from './support/streams';

const PASSWORD = 'Test-pass-123';
const ITEM = 'id sku name quantity minQuantity version';
const CREATE = `mutation C($organizationId: ID!, $sku: String!, $name: String!, $quantity: Int!, $minQuantity: Int!) {
  createInventoryItem(organizationId: $organizationId, sku: $sku, name: $name, unit: "each", quantity: $quantity, minQuantity: $minQuantity) { ${ITEM} } }`;
const ADJUST = `mutation A($itemId: ID!, $delta: Int!) { adjustInventory(itemId: $itemId, delta: $delta, reason: CONSUME) { ${ITEM} } }`;

const PEOPLE = {
  owner: { email: 'owner@faults.example', role: 'OWNER' },
  admin: { email: 'admin@faults.example', role: 'ADMIN' },
  m1: { email: 'm1@faults.example', role: 'MANAGER' },
  m2: { email: 'm2@faults.example', role: 'MANAGER' },
  m3: { email: 'm3@faults.example', role: 'MANAGER' },
} as const satisfies Record<string, { email: string; role: Role }>;
type Person = keyof typeof PEOPLE;
/** Everyone above hears of every low-stock crossing: five emails per crossing. */
const RECIPIENTS = Object.values(PEOPLE)
  .map((p) => p.email)
  .sort();

type Item = { id: string; sku: string; name: string; quantity: number; version: number };

describe('the stream consumer under faults (real notifier, SES emulator, stream mappings)', () => {
  let runtime: LocalRuntime;
  let dataDirectory: string;
  let cognito: LocalCognito;
  let documents: DynamoDBDocumentClient;
  let organizationId = '';
  const sessions = {} as Record<Person, Session>;
  const ids = {} as Record<Person, string>;
  let counter = 0;

  const ok = <T>(query: string, variables: Record<string, unknown>) =>
    graphqlOk<T>(runtime.urls.graphql, sessions.owner.accessToken, query, variables);
  /** A fresh item whose name no other test uses, so its emails can be told apart. */
  const createItem = async (label: string): Promise<Item> => {
    counter += 1;
    return (
      await ok<{ createInventoryItem: Item }>(CREATE, {
        organizationId,
        sku: `F-${counter}`,
        name: `${label} ${counter}`,
        quantity: 10,
        minQuantity: 3,
      })
    ).createInventoryItem;
  };
  /** Takes the item from 10 to 1: one crossing, five emails. */
  const cross = async (item: Item) =>
    (await ok<{ adjustInventory: Item }>(ADJUST, { itemId: item.id, delta: -9 })).adjustInventory;
  /** How many emails each recipient got about each item: `to subject` → count. */
  const mailAbout = async (items: Item[]) => {
    const counts: Record<string, number> = {};
    for (const message of await readMailbox(runtime.urls.mailbox)) {
      const item = items.find((i) => message.subject === `Low stock: ${i.name} (${i.sku})`);
      if (!item) continue;
      for (const to of message.to)
        counts[`${to} ${item.sku}`] = (counts[`${to} ${item.sku}`] ?? 0) + 1;
    }
    return counts;
  };
  /** Exactly one email to each recipient about each item. */
  const once = (items: Item[]) =>
    Object.fromEntries(
      items.flatMap((item) => RECIPIENTS.map((to) => [`${to} ${item.sku}`, 1] as const)),
    );

  beforeAll(async () => {
    ({ runtime, dataDirectory, cognito, documents } = await startSuiteRuntime('stream-faults'));
    await signUpPeople(cognito, PEOPLE, PASSWORD, sessions, ids);
    organizationId = (
      await graphqlOk<{ createOrganization: { id: string } }>(
        runtime.urls.graphql,
        sessions.owner.accessToken,
        'mutation { createOrganization(name: "Fault Line Chapel") { id } }',
      )
    ).createOrganization.id;
    sessions.owner = await cognito.signIn(PEOPLE.owner.email, PASSWORD);
    for (const who of ['admin', 'm1', 'm2', 'm3'] as const) {
      await seedActiveMember({
        documents,
        cognito,
        table: runtime.tableName('OrganizationMember'),
        organizationId,
        userId: ids[who],
        email: PEOPLE[who].email,
        role: PEOPLE[who].role,
        displayName: who,
      });
    }
  }, 240_000);

  afterAll(async () => {
    runtime?.faults.mail.beforeSend(undefined);
    await runtime?.stop();
    if (dataDirectory) rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('a batch delivered three more times sends nothing more', async () => {
    const items = [await createItem('Triple'), await createItem('Triple')];
    await Promise.all(items.map(cross));
    await runtime.streamsIdle();
    expect(await mailAbout(items)).toEqual(once(items));
    // The very records the mapping delivered, read back from the stream, delivered three more times.
    const records = (
      await readStream(runtime.urls.dynamodb, runtime.tableName('InventoryItem'))
    ).filter((r) => items.some((i) => JSON.stringify(r.dynamodb.Keys).includes(i.id)));
    expect(records.length).toBe(4);
    for (let i = 0; i < 3; i += 1) {
      expect(await runtime.invoke('notifier', { Records: records })).toEqual({
        batchItemFailures: [],
      });
    }
    expect(await mailAbout(items)).toEqual(once(items));
  }, 120_000);

  it('a poison record goes to the failure destination; records after it still flow', async () => {
    const before = (await runtime.streamFailures()).length;
    // Written past the API: an assignee id that fits its index (2,048 bytes) but makes the
    // membership key `<orgId>#<assigneeId>` too long, so reading it fails on every attempt.
    const poisonId = `wo-poison-${Date.now()}`;
    await documents.send(
      new PutCommand({
        TableName: runtime.tableName('WorkOrder'),
        Item: {
          __typename: 'WorkOrder',
          id: poisonId,
          organizationId,
          number: 9999,
          title: 'Poison',
          status: 'ASSIGNED',
          requesterId: ids.owner,
          assigneeId: 'x'.repeat(2040),
          version: 1,
          createdAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
        },
      }),
    );
    const later = [await createItem('After poison')];
    await cross(later[0] as Item);
    await runtime.streamsIdle();
    const failures = (await runtime.streamFailures()) as {
      DDBStreamBatchInfo: { startSequenceNumber: string; batchSize: number };
      requestContext: { approximateInvokeCount: number };
    }[];
    expect(failures.length).toBe(before + 1);
    const poison = (await readStream(runtime.urls.dynamodb, runtime.tableName('WorkOrder'))).find(
      (r) => JSON.stringify(r.dynamodb.Keys).includes(poisonId),
    );
    const failure = failures[failures.length - 1];
    expect(failure?.DDBStreamBatchInfo.startSequenceNumber).toBe(poison?.dynamodb.SequenceNumber);
    // One attempt and the mapping's three retries.
    expect(failure?.requestContext.approximateInvokeCount).toBe(4);
    expect(await mailAbout(later)).toEqual(once(later));
  }, 120_000);

  it('the notifier killed mid-batch: the retry sends what was not sent, and nothing twice', async () => {
    const before = (await runtime.streamFailures()).length;
    let crashed = 0;
    // The third send reaches SES and the notifier dies before SES answers: two deliveries are
    // complete (claimed, sent, marked SENT), the third is claimed and never sent.
    runtime.faults.mail.beforeSend((count) => {
      if (count !== 3) return 'accept';
      crashed += runtime.faults.crashFunction('notifier');
      return 'drop';
    });
    try {
      const items = [await createItem('Crash'), await createItem('Crash')];
      const started = Date.now();
      await Promise.all(items.map(cross));
      await runtime.streamsIdle();
      console.log(
        `stream faults: crash recovered in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      expect(crashed).toBe(1);
      expect(await mailAbout(items)).toEqual(once(items));
      expect((await runtime.streamFailures()).length).toBe(before);
    } finally {
      runtime.faults.mail.beforeSend(undefined);
    }
  }, 180_000);

  it('with SES failing for 30 s, every email arrives exactly once after it recovers', async () => {
    const before = (await runtime.streamFailures()).length;
    const refusedBefore = runtime.faults.mail.refused();
    const items = [
      await createItem('Outage'),
      await createItem('Outage'),
      await createItem('Outage'),
    ];
    const started = Date.now();
    runtime.faults.mail.failSendsFor(30_000);
    await Promise.all(items.map(cross));
    await runtime.streamsIdle();
    const tookMs = Date.now() - started;
    const refused = runtime.faults.mail.refused() - refusedBefore;
    console.log(
      `stream faults: SES down 30 s, ${refused} sends refused, all delivered after ${(tookMs / 1000).toFixed(1)} s`,
    );
    expect(refused).toBeGreaterThan(0);
    expect(tookMs).toBeGreaterThanOrEqual(30_000);
    expect(await mailAbout(items)).toEqual(once(items));
    expect((await runtime.streamFailures()).length).toBe(before);
    const record = await documents.send(
      new GetCommand({
        TableName: runtime.tableName('Notification'),
        Key: { id: `low-stock:${items[0]?.id ?? ''}:2:${ids.owner}` },
      }),
    );
    expect(record.Item).toMatchObject({ status: 'SENT' });
  }, 240_000);
});
