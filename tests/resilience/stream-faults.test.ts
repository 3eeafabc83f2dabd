import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { ADJUST, CREATE_ITEM, type InventoryItem } from '../support/operations';
import { useWorld } from '../support/world';
import { readStream } from './support/streams';

describe('the stream consumer under faults (real notifier, SES emulator, stream mappings)', () => {
  const world = useWorld({
    name: 'stream-faults',
    people: {
      owner: { email: 'owner@faults.example', role: 'OWNER' },
      admin: { email: 'admin@faults.example', role: 'ADMIN' },
      m1: { email: 'm1@faults.example', role: 'MANAGER' },
      m2: { email: 'm2@faults.example', role: 'MANAGER' },
      m3: { email: 'm3@faults.example', role: 'MANAGER' },
    },
    organizations: { main: { owner: 'owner', name: 'Fault Line Chapel' } },
  });
  /** Everyone above hears of every low-stock crossing: five emails per crossing. */
  const recipients = () => Object.values<string>(world.emails).sort();
  let counter = 0;

  /** A fresh item whose name no other test uses, so its emails can be told apart. */
  const createItem = async (label: string): Promise<InventoryItem> => {
    counter += 1;
    return (
      await world.ok('owner', CREATE_ITEM, {
        organizationId: world.organizationId,
        sku: `F-${counter}`,
        name: `${label} ${counter}`,
        quantity: 10,
        minQuantity: 3,
      })
    ).createInventoryItem;
  };
  /** Takes the item from 10 to 1: one crossing, five emails. */
  const cross = async (item: InventoryItem) =>
    (await world.ok('owner', ADJUST, { itemId: item.id, delta: -9, reason: 'CONSUME' }))
      .adjustInventory;
  /** How many emails each recipient got about each item: `to subject` → count. */
  const mailAbout = async (items: InventoryItem[]) => {
    const counts: Record<string, number> = {};
    for (const message of await world.mailbox()) {
      const item = items.find((i) => message.subject === `Low stock: ${i.name} (${i.sku})`);
      if (!item) continue;
      for (const to of message.to)
        counts[`${to} ${item.sku}`] = (counts[`${to} ${item.sku}`] ?? 0) + 1;
    }
    return counts;
  };
  /** Exactly one email to each recipient about each item. */
  const once = (items: InventoryItem[]) =>
    Object.fromEntries(
      items.flatMap((item) => recipients().map((to) => [`${to} ${item.sku}`, 1] as const)),
    );

  afterAll(() => world.runtime?.faults.mail.beforeSend(undefined));

  it('a batch delivered three more times sends nothing more', async () => {
    const items = [await createItem('Triple'), await createItem('Triple')];
    await Promise.all(items.map(cross));
    await world.runtime.streamsIdle();
    expect(await mailAbout(items)).toEqual(once(items));
    // The very records the mapping delivered, read back from the stream, delivered three more times.
    const records = (
      await readStream(world.runtime.urls.dynamodb, world.runtime.tableName('InventoryItem'))
    ).filter((r) => items.some((i) => JSON.stringify(r.dynamodb.Keys).includes(i.id)));
    expect(records.length).toBe(4);
    for (let i = 0; i < 3; i += 1) {
      expect(await world.runtime.invoke('notifier', { Records: records })).toEqual({
        batchItemFailures: [],
      });
    }
    expect(await mailAbout(items)).toEqual(once(items));
  }, 120_000);

  it('a poison record goes to the failure destination; records after it still flow', async () => {
    const before = (await world.runtime.streamFailures()).length;
    // Written past the API: an assignee id that fits its index (2,048 bytes) but makes the
    // membership key `<orgId>#<assigneeId>` too long, so reading it fails on every attempt.
    const poisonId = `wo-poison-${Date.now()}`;
    await world.documents.send(
      new PutCommand({
        TableName: world.runtime.tableName('WorkOrder'),
        Item: {
          __typename: 'WorkOrder',
          id: poisonId,
          organizationId: world.organizationId,
          number: 9999,
          title: 'Poison',
          status: 'ASSIGNED',
          requesterId: world.ids.owner,
          assigneeId: 'x'.repeat(2040),
          version: 1,
          createdAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
        },
      }),
    );
    const later = [await createItem('After poison')];
    await cross(later[0] as InventoryItem);
    await world.runtime.streamsIdle();
    const failures = (await world.runtime.streamFailures()) as {
      DDBStreamBatchInfo: { startSequenceNumber: string; batchSize: number };
      requestContext: { approximateInvokeCount: number };
    }[];
    expect(failures.length).toBe(before + 1);
    const poison = (
      await readStream(world.runtime.urls.dynamodb, world.runtime.tableName('WorkOrder'))
    ).find((r) => JSON.stringify(r.dynamodb.Keys).includes(poisonId));
    const failure = failures[failures.length - 1];
    expect(failure?.DDBStreamBatchInfo.startSequenceNumber).toBe(poison?.dynamodb.SequenceNumber);
    // One attempt and the mapping's three retries.
    expect(failure?.requestContext.approximateInvokeCount).toBe(4);
    expect(await mailAbout(later)).toEqual(once(later));
  }, 120_000);

  it('the notifier killed mid-batch: the retry sends what was not sent, and nothing twice', async () => {
    const before = (await world.runtime.streamFailures()).length;
    let crashed = 0;
    // The third send reaches SES and the notifier dies before SES answers: two deliveries are
    // complete (claimed, sent, marked SENT), the third is claimed and never sent.
    world.runtime.faults.mail.beforeSend((count) => {
      if (count !== 3) return 'accept';
      crashed += world.runtime.faults.crashFunction('notifier');
      return 'drop';
    });
    try {
      const items = [await createItem('Crash'), await createItem('Crash')];
      const started = Date.now();
      await Promise.all(items.map(cross));
      await world.runtime.streamsIdle();
      console.log(
        `stream faults: crash recovered in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      expect(crashed).toBe(1);
      expect(await mailAbout(items)).toEqual(once(items));
      expect((await world.runtime.streamFailures()).length).toBe(before);
    } finally {
      world.runtime.faults.mail.beforeSend(undefined);
    }
  }, 180_000);

  it('with SES failing for 30 s, every email arrives exactly once after it recovers', async () => {
    const before = (await world.runtime.streamFailures()).length;
    const refusedBefore = world.runtime.faults.mail.refused();
    const items = [
      await createItem('Outage'),
      await createItem('Outage'),
      await createItem('Outage'),
    ];
    const started = Date.now();
    world.runtime.faults.mail.failSendsFor(30_000);
    await Promise.all(items.map(cross));
    await world.runtime.streamsIdle();
    const tookMs = Date.now() - started;
    const refused = world.runtime.faults.mail.refused() - refusedBefore;
    console.log(
      `stream faults: SES down 30 s, ${refused} sends refused, all delivered after ${(tookMs / 1000).toFixed(1)} s`,
    );
    expect(refused).toBeGreaterThan(0);
    expect(tookMs).toBeGreaterThanOrEqual(30_000);
    expect(await mailAbout(items)).toEqual(once(items));
    expect((await world.runtime.streamFailures()).length).toBe(before);
    const record = await world.documents.send(
      new GetCommand({
        TableName: world.runtime.tableName('Notification'),
        Key: { id: `low-stock:${items[0]?.id ?? ''}:2:${world.ids.owner}` },
      }),
    );
    expect(record.Item).toMatchObject({ status: 'SENT' });
  }, 240_000);
});
