import { DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { WorkOrderStatus } from '../core/work-orders/vocabulary';
import { graphqlOk } from '../local/graphql-client';
import { seedActiveMember } from '../tests/support/members';
import { storedWorkOrder } from '../tests/support/stored-work-orders';
import { decodeJwt } from '../tests/support/tokens';
import { progressBar } from './progress';
import type { BenchRuntime } from './runtime';

/**
 * The data of a benchmark run: people and organizations through the API, memberships the way the
 * server records them, and work orders written in bulk in the exact item shape the API writes.
 */

export const PASSWORD = 'Bench-pass-123';

/** How much data a run seeds. */
export type Scale = {
  users: number;
  /** Other organizations, holding the rest of the table and the subscribers. */
  otherOrganizations: number;
  /** Work orders in the benchmarked organization. */
  inOrganization: number;
  /** Work orders in the whole table (the benchmarked organization included). */
  inTable: number;
};

export const FULL: Scale = {
  users: 100,
  otherOrganizations: 10,
  inOrganization: 10_000,
  inTable: 100_000,
};
export const QUICK: Scale = {
  users: 100,
  otherOrganizations: 10,
  inOrganization: 2_000,
  inTable: 10_000,
};

/** What was seeded: the people, the organizations and the work orders set aside per scenario. */
export type SeedManifest = {
  scale: Scale;
  users: { email: string; userId: string }[];
  organizationId: string;
  otherOrganizationIds: string[];
  /** NEW work orders (version 1) of the benchmarked organization, oldest first. */
  workOrderIds: string[];
  titles: string[];
};

const DAY = 86_400_000;

/**
 * Writes items 25 at a time, a few batches in flight, retrying what DynamoDB left unprocessed.
 * The table's stream is off meanwhile, as for a bulk import on AWS: DynamoDB Local keeps every
 * stream record for a day in one SQLite table, and each later write to any table with a stream
 * costs more with every record kept there (an event put took 344 ms behind 100,000 seed records,
 * 5.7 ms without them), which would make every scenario measure the seed instead of Steward.
 */
async function batchWrite(
  documents: DynamoDBDocumentClient,
  table: string,
  items: Iterable<Record<string, unknown>>,
  total: number,
  label: string,
): Promise<void> {
  const stream = (await documents.send(new DescribeTableCommand({ TableName: table }))).Table
    ?.StreamSpecification;
  if (stream?.StreamEnabled) {
    await documents.send(
      new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: false } }),
    );
  }
  try {
    await writeBatches(documents, table, items, total, label);
  } finally {
    if (stream?.StreamEnabled) {
      await documents.send(
        new UpdateTableCommand({ TableName: table, StreamSpecification: stream }),
      );
    }
  }
}

async function writeBatches(
  documents: DynamoDBDocumentClient,
  table: string,
  items: Iterable<Record<string, unknown>>,
  total: number,
  label: string,
): Promise<void> {
  const bar = progressBar(label, total);
  let done = 0;
  const iterator = items[Symbol.iterator]();
  const nextBatch = (): Record<string, unknown>[] => {
    const batch: Record<string, unknown>[] = [];
    for (let r = iterator.next(); !r.done; r = iterator.next()) {
      batch.push(r.value);
      if (batch.length === 25) break;
    }
    return batch;
  };
  const lane = async () => {
    for (let batch = nextBatch(); batch.length; batch = nextBatch()) {
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      while (requests.length) {
        const out = await documents.send(
          new BatchWriteCommand({ RequestItems: { [table]: requests } }),
        );
        requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
      }
      done += batch.length;
      bar.update(done);
    }
  };
  await Promise.all(Array.from({ length: 4 }, lane));
  bar.done();
}

const GRAPHQL_CREATE = `mutation Create($name: String!) { createOrganization(name: $name) { id } }`;

export async function seedPeopleAndOrganization(
  bench: BenchRuntime,
  scale: Scale,
  log: (line: string) => void,
): Promise<SeedManifest> {
  const { runtime, cognito, documents } = bench;
  const users: { email: string; userId: string }[] = [];
  const bar = progressBar('people', scale.users);
  for (let i = 0; i < scale.users; i++) {
    const email = `user${String(i).padStart(3, '0')}@bench.example`;
    await cognito.createConfirmedUser(email, PASSWORD);
    const session = await cognito.signIn(email, PASSWORD);
    users.push({ email, userId: String(decodeJwt(session.idToken).payload.sub) });
    bar.update(i + 1);
  }
  bar.done();
  const owner = users[0] as { email: string; userId: string };
  const ownerToken = (await cognito.signIn(owner.email, PASSWORD)).accessToken;
  const create = async (name: string) =>
    (
      await graphqlOk<{ createOrganization: { id: string } }>(
        runtime.urls.graphql,
        ownerToken,
        GRAPHQL_CREATE,
        { name },
      )
    ).createOrganization.id;
  const organizationId = await create('Bench organization');
  const otherOrganizationIds: string[] = [];
  for (let i = 0; i < scale.otherOrganizations; i++)
    otherOrganizationIds.push(await create(`Bench neighbour ${i}`));
  log(`  created ${1 + scale.otherOrganizations} organizations through the API`);

  // Everyone is a MANAGER of the benchmarked organization and of one neighbour (10 per neighbour).
  const members = progressBar('memberships', scale.users * 2);
  let made = 0;
  const memberships = new Map<string, number>();
  for (const [i, user] of users.entries()) {
    const neighbour = otherOrganizationIds[i % otherOrganizationIds.length] as string;
    for (const org of [organizationId, neighbour]) {
      if (user !== owner) {
        await seedActiveMember({
          documents,
          cognito,
          table: runtime.tableName('OrganizationMember'),
          organizationId: org,
          userId: user.userId,
          email: user.email,
          role: 'MANAGER',
          displayName: `Bench user ${i}`,
        });
      }
      memberships.set(org, (memberships.get(org) ?? 0) + 1);
      members.update(++made);
    }
  }
  members.done();

  const now = Date.now();
  const titles: string[] = [];
  const ids: string[] = [];
  const items = function* () {
    for (let n = 1; n <= scale.inOrganization; n++) {
      const title = `Bench work order ${String(n).padStart(6, '0')}`;
      const item = storedWorkOrder({
        organizationId,
        number: n,
        status: 'NEW',
        requesterId: owner.userId,
        requesterEmail: owner.email,
        createdAt: new Date(now - (scale.inOrganization - n) * 60_000 - DAY).toISOString(),
        title,
      });
      titles.push(title);
      ids.push(String(item.id));
      yield item;
    }
  };
  await batchWrite(
    documents,
    runtime.tableName('WorkOrder'),
    items(),
    scale.inOrganization,
    'work orders of the organization',
  );
  // The plan allows the volume; the counters agree with what is stored.
  for (const org of [organizationId, ...otherOrganizationIds]) {
    await documents.send(
      new UpdateCommand({
        TableName: runtime.tableName('Organization'),
        Key: { id: org },
        UpdateExpression: 'SET #plan = :plan, memberCount = :members',
        ExpressionAttributeNames: { '#plan': 'plan' },
        ExpressionAttributeValues: { ':plan': 'ENTERPRISE', ':members': memberships.get(org) ?? 1 },
      }),
    );
  }
  await documents.send(
    new UpdateCommand({
      TableName: runtime.tableName('Organization'),
      Key: { id: organizationId },
      UpdateExpression: 'SET workOrderCounter = :n',
      ExpressionAttributeValues: { ':n': scale.inOrganization },
    }),
  );
  return {
    scale,
    users,
    organizationId,
    otherOrganizationIds,
    workOrderIds: ids,
    titles,
  };
}

const OTHER_STATUSES: WorkOrderStatus[] = ['NEW', 'CLOSED', 'CANCELLED', 'CLOSED'];

export async function seedRestOfTable(
  bench: BenchRuntime,
  scale: Scale,
  manifest: SeedManifest,
  log: (line: string) => void,
): Promise<void> {
  const { runtime, documents } = bench;
  const rest = scale.inTable - scale.inOrganization;
  const organizations = manifest.otherOrganizationIds;
  const counters = new Map<string, number>();
  const owner = manifest.users[0] as { email: string; userId: string };
  const now = Date.now();
  const items = function* () {
    for (let i = 0; i < rest; i++) {
      const org = organizations[i % organizations.length] as string;
      const number = (counters.get(org) ?? 0) + 1;
      counters.set(org, number);
      yield storedWorkOrder({
        organizationId: org,
        number,
        status: OTHER_STATUSES[i % OTHER_STATUSES.length] as WorkOrderStatus,
        requesterId: owner.userId,
        requesterEmail: owner.email,
        createdAt: new Date(now - (rest - i) * 30_000 - DAY).toISOString(),
        title: `Neighbour work order ${i}`,
      });
    }
  };
  await batchWrite(documents, runtime.tableName('WorkOrder'), items(), rest, 'rest of the table');
  for (const [org, counter] of counters) {
    await documents.send(
      new UpdateCommand({
        TableName: runtime.tableName('Organization'),
        Key: { id: org },
        UpdateExpression: 'SET workOrderCounter = :n',
        ExpressionAttributeValues: { ':n': counter },
      }),
    );
  }
  log(`  ${rest} work orders across ${organizations.length} other organizations`);
}
