import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { marshall } from '@aws-sdk/util-dynamodb';
import { workOrderReadGroups } from '../core/organizations/roles';
import { membershipId, ownerValue, type WorkOrderRecord } from '../core/records';
import { withDerivedFields } from '../core/work-orders/derived-fields';
import { STATUS_CREATED_AT, workOrderItem } from '../amplify/functions/shared/stores/dynamo-items';
import {
  sameMonthNumberUpdate,
  withinPlanCondition,
} from '../amplify/functions/api/stores/dynamo-work-order-store';
import { WORK_ORDERS_PER_MONTH } from '../core/organizations/plans';
import { graphql } from '../local/graphql-client';
import type { LocalRuntime } from '../local/main';
import { arrivals, runBurstJob, runLoad, runSubscriptionJob } from './load';
import type { Outcome, Request, Step } from './load-protocol';
import { PASSWORD, type SeedManifest } from './seed-data';
import type { BenchRuntime } from './runtime';
import { cpuBetween, cpuPer, cpuSnapshot, LOAD_PART, runtimeParts } from './cpu';
import { type Figures, figures, quantile } from './stats';

/** How long and how hard the scenarios run. */
export type Plan = {
  durationMs: number;
  warmupMs: number;
  users: number;
  /** Requests per second of the 100-user scenarios. */
  rate: number;
  /** Requests per second of the transaction-heavy single-work-order scenarios. */
  transitionRate: number;
  subscriptionMutations: number;
  burst: number;
};

export const FULL_PLAN: Plan = {
  durationMs: 20_000,
  warmupMs: 5_000,
  users: 100,
  rate: 100,
  transitionRate: 20,
  subscriptionMutations: 200,
  burst: 500,
};
export const QUICK_PLAN: Plan = {
  durationMs: 6_000,
  warmupMs: 3_000,
  users: 100,
  rate: 100,
  transitionRate: 20,
  subscriptionMutations: 50,
  burst: 100,
};

/** The figures of one load scenario: all requests, and per operation where it mixes some. */
export type LoadResult = {
  key: string;
  name: string;
  users: number;
  rate: number;
  durationS: number;
  all: Figures;
  operations?: Record<string, Figures>;
  /** Service time (actual send to answer) of all requests, for comparison with the latency. */
  serviceP50: number;
  /** For index queries: items returned per page; for the floor also items read and capacity. */
  perPage?: { returned: number; read?: number; capacity?: number };
  /**
   * CPU milliseconds per request by part of the stack (the runtime's Node process, DynamoDB
   * Local, each function, the load generator), over the scenario; missing without /proc.
   */
  cpuPerRequestMs?: Record<string, number>;
  sampleErrors: string[];
};

const WO_FIELDS = 'id organizationId requesterId number status version assigneeId';
const SUBMIT = `mutation Submit($organizationId: ID!, $title: String!) {
  submitWorkOrder(organizationId: $organizationId, title: $title) { ${WO_FIELDS} } }`;
const TRANSITION = `mutation Cancel($id: ID!, $v: Int!) {
  transitionWorkOrder(id: $id, to: CANCELLED, expectedVersion: $v, note: "bench") { ${WO_FIELDS} } }`;
const ASSIGN = `mutation Assign($id: ID!, $assigneeId: String!, $v: Int) {
  assignWorkOrder(id: $id, assigneeId: $assigneeId, expectedVersion: $v) { ${WO_FIELDS} } }`;
const LIST = `query Open($organizationId: ID!) {
  workOrdersByOrganizationAndStatus(organizationId: $organizationId,
    statusCreatedAt: { beginsWith: { status: NEW } }, sortDirection: DESC, limit: 50) {
    items { id number title status priority category createdAt assigneeName dueAt } nextToken } }`;
const GET = `query Get($id: ID!) { getWorkOrder(id: $id) { id number title status version assigneeId requesterName createdAt } }`;
const ME = '{ me { profile { id } } }';
const ON_CHANGED = `subscription On($organizationId: ID!) {
  onWorkOrderChanged(organizationId: $organizationId) { ${WO_FIELDS} } }`;

/** Everything the scenarios of one runtime share. */
export type Context = {
  bench: BenchRuntime;
  manifest: SeedManifest;
  plan: Plan;
  tokens: string[];
  /** NEW work orders (version 1) not used yet; each scenario that changes one takes its own. */
  take: (count: number) => { id: string; title: string }[];
  log: (line: string) => void;
};

export async function createContext(
  bench: BenchRuntime,
  manifest: SeedManifest,
  plan: Plan,
  log: (line: string) => void,
): Promise<Context> {
  const tokens: string[] = [];
  for (const user of manifest.users)
    tokens.push((await bench.cognito.signIn(user.email, PASSWORD)).accessToken);
  let next = 0;
  return {
    bench,
    manifest,
    plan,
    tokens,
    log,
    take: (count) => {
      const ids = manifest.workOrderIds.slice(next, next + count);
      const titles = manifest.titles.slice(next, next + count);
      next += count;
      if (ids.length < count) throw new Error('the seed has too few work orders for this plan');
      return ids.map((id, i) => ({ id, title: titles[i] ?? '' }));
    },
  };
}

const runtimeOf = (ctx: Context): LocalRuntime => ctx.bench.runtime;

function gql(ctx: Context, user: number, query: string, variables: Record<string, unknown>): Step {
  return {
    kind: 'graphql',
    url: runtimeOf(ctx).urls.graphql,
    token: ctx.tokens[user % ctx.tokens.length] ?? '',
    query,
    variables,
  };
}

function ddb(ctx: Context, target: string, body: Record<string, unknown>): Step {
  return {
    kind: 'dynamodb',
    url: runtimeOf(ctx).urls.dynamodb,
    target,
    body: JSON.stringify(body),
  };
}

/** Turns outcomes into figures, overall and per tag. */
function summarize(
  key: string,
  name: string,
  rate: number,
  users: number,
  durationMs: number,
  outcomes: Outcome[],
  byTag = false,
): LoadResult {
  // From the first scheduled send to the last answer: a run over capacity answers its last
  // requests long after the scenario's duration, and its throughput shows it.
  const span = (list: Outcome[]) =>
    Math.max(durationMs, ...list.map((o) => o.answeredAtMs)) || durationMs;
  const build = (list: Outcome[]) =>
    figures(
      list.filter((o) => !o.error).map((o) => o.latencyMs),
      list.filter((o) => o.error).length,
      span(list),
    );
  const operations: Record<string, Figures> = {};
  if (byTag) {
    for (const tag of new Set(outcomes.map((o) => o.tag)))
      operations[tag] = build(outcomes.filter((o) => o.tag === tag));
  }
  const pages = outcomes.filter((o) => o.observed);
  const service = outcomes
    .filter((o) => !o.error)
    .map((o) => o.serviceMs)
    .sort((a, b) => a - b);
  return {
    key,
    name,
    users,
    rate,
    durationS: durationMs / 1000,
    all: build(outcomes),
    ...(byTag ? { operations } : {}),
    serviceP50: Math.round(quantile(service, 0.5) * 10) / 10,
    ...(pages.length
      ? {
          perPage: {
            returned: average(pages.map((o) => o.observed?.count ?? 0)),
            read: average(pages.map((o) => o.observed?.scanned ?? 0)),
            capacity: average(pages.map((o) => o.observed?.capacity ?? 0)),
          },
        }
      : {}),
    sampleErrors: [...new Set(outcomes.filter((o) => o.error).map((o) => o.error ?? ''))].slice(
      0,
      5,
    ),
  };
}

const average = (values: number[]) =>
  values.length ? Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100 : 0;

async function load(
  ctx: Context,
  key: string,
  name: string,
  options: { users: number; rate: number; durationMs?: number; byTag?: boolean },
  build: (user: number, index: number) => { tag: string; steps: Step[] },
): Promise<LoadResult> {
  const durationMs = options.durationMs ?? ctx.plan.durationMs;
  const schedule = arrivals({ users: options.users, rate: options.rate, durationMs });
  const requests: Request[] = schedule.map(({ at, user }, index) => ({
    at,
    ...build(user, index),
  }));
  // The same operation at the same rate first, not counted: the first seconds of a scenario
  // otherwise measure code paths nothing had run yet (a transition's first second answered in
  // 1.1 s, every later one in about 21 ms).
  const warmUp = arrivals({
    users: options.users,
    rate: options.rate,
    durationMs: SCENARIO_WARMUP_MS,
  });
  await runLoad({
    requests: warmUp.map(({ at, user }, index) => ({
      at,
      ...build(user, requests.length + index),
    })),
    timeoutMs: 15_000,
  });
  await settle(ctx);
  const cpuBefore = cpuSnapshot(partOf(ctx));
  const { outcomes, cpuMs: loadCpuMs } = await runLoad({ requests, timeoutMs: 15_000 });
  const cpu = { ...cpuBetween(cpuBefore, cpuSnapshot(partOf(ctx))), [LOAD_PART]: loadCpuMs };
  const result = summarize(
    key,
    name,
    options.rate,
    options.users,
    durationMs,
    outcomes,
    options.byTag,
  );
  if (cpuBefore.size > 0 && outcomes.length > 0) {
    result.cpuPerRequestMs = cpuPer(cpu, outcomes.length);
  }
  ctx.log(
    `  ${name}: p50 ${result.all.p50} ms, p95 ${result.all.p95} ms, p99 ${result.all.p99} ms, ${result.all.throughput}/s, ${result.all.errors} errors`,
  );
  if (result.sampleErrors.length) ctx.log(`    errors: ${result.sampleErrors.join(' | ')}`);
  await settle(ctx);
  return result;
}

/** Names the processes under the runtime: DynamoDB Local, or the function a worker runs. */
const partOf = (ctx: Context) => runtimeParts(runtimeOf(ctx).assembly.functions);

/** Each scenario's own warm-up, before what is measured. */
const SCENARIO_WARMUP_MS = 3_000;

/** Work orders a scenario at `rate` uses once each, its warm-up included, with some to spare. */
const poolSize = (ctx: Context, rate: number, durationMs = ctx.plan.durationMs) =>
  Math.ceil((rate * (durationMs + SCENARIO_WARMUP_MS)) / 1000) + rate;

/** How long a scenario's aftermath may keep the stream consumers busy before the next starts. */
const STREAM_DRAIN_LIMIT_MS = 600_000;

/**
 * Lets the stream consumers catch up and the API drain what an overloaded scenario left queued
 * (answers the load generator gave up on are still being worked on), so one scenario's aftermath
 * does not load the next.
 */
async function settle(ctx: Context): Promise<void> {
  const started = Date.now();
  const deadline = started + 180_000;
  // Every email a scenario caused is sent before the next one starts: a burst measured behind
  // another scenario's emails measured those too (p95 88 s where the burst alone took 19 s).
  const idle = await Promise.race([
    runtimeOf(ctx)
      .streamsIdle()
      .then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STREAM_DRAIN_LIMIT_MS)),
  ]);
  const drainS = Math.round((Date.now() - started) / 100) / 10;
  if (!idle) ctx.log(`    the stream consumers were still busy after ${drainS} s; going on`);
  else if (drainS >= 5) ctx.log(`    (the stream consumers caught up in ${drainS} s)`);
  // Through the function, where an overloaded write scenario leaves its queue.
  while (Date.now() < deadline) {
    const asked = Date.now();
    await graphql(runtimeOf(ctx).urls.graphql, ctx.tokens[0], ME).catch(() => {});
    if (Date.now() - asked < 250) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** The index behind `workOrdersByOrganizationAndStatus`, as synthesized. */
function statusIndexName(ctx: Context): string {
  const table = runtimeOf(ctx).assembly.tables.find((t) => t.modelName === 'WorkOrder');
  const index = table?.globalSecondaryIndexes.find((i) =>
    i.KeySchema?.some((k) => k.AttributeName === STATUS_CREATED_AT),
  );
  if (!index?.IndexName) throw new Error('no organizationId + status#createdAt index');
  return index.IndexName;
}

function listFloorStep(ctx: Context, organizationId: string): Step {
  return ddb(ctx, 'Query', {
    TableName: runtimeOf(ctx).tableName('WorkOrder'),
    IndexName: statusIndexName(ctx),
    KeyConditionExpression: 'organizationId = :o AND begins_with(#sk, :s)',
    ExpressionAttributeNames: { '#sk': STATUS_CREATED_AT },
    ExpressionAttributeValues: marshall({ ':o': organizationId, ':s': 'NEW#' }),
    ScanIndexForward: false,
    Limit: 50,
    ReturnConsumedCapacity: 'TOTAL',
  });
}

/** Warms the function's execution environments and the resolvers before anything is measured. */
export async function warmUp(ctx: Context, withWrites: boolean): Promise<void> {
  const org = ctx.manifest.organizationId;
  await load(
    ctx,
    'warmup',
    'warm-up',
    { users: ctx.plan.users, rate: ctx.plan.rate / 2, durationMs: ctx.plan.warmupMs },
    (user, i) =>
      withWrites && i % 4 === 0
        ? {
            tag: 'submit',
            steps: [gql(ctx, user, SUBMIT, { organizationId: org, title: `Warm-up ${i}` })],
          }
        : { tag: 'list', steps: [gql(ctx, user, LIST, { organizationId: org })] },
  );
}

export const listScenario = (ctx: Context, key: string, name: string) =>
  load(ctx, key, name, { users: ctx.plan.users, rate: ctx.plan.rate }, (user) => ({
    tag: 'list',
    steps: [gql(ctx, user, LIST, { organizationId: ctx.manifest.organizationId })],
  }));

export const listFloor = (ctx: Context, key: string, name: string) =>
  load(ctx, key, name, { users: ctx.plan.users, rate: ctx.plan.rate }, () => ({
    tag: 'Query',
    steps: [listFloorStep(ctx, ctx.manifest.organizationId)],
  }));

export const submitScenario = (ctx: Context) =>
  load(
    ctx,
    'submit',
    '1. submitWorkOrder',
    { users: ctx.plan.users, rate: ctx.plan.rate },
    (user, i) => ({
      tag: 'submit',
      steps: [
        gql(ctx, user, SUBMIT, {
          organizationId: ctx.manifest.organizationId,
          title: `Submitted ${i}`,
        }),
      ],
    }),
  );

/**
 * The DynamoDB calls `submitWorkOrder` makes, issued raw: the membership and organization reads
 * (consistent), the counter's conditional increment on an organization item of its own, and one
 * batch of work order and event.
 */
export async function submitFloor(ctx: Context): Promise<LoadResult> {
  const runtime = runtimeOf(ctx);
  const floorOrg = `org-${randomUUID()}`;
  const month = new Date().toISOString().slice(0, 7);
  const owner = ctx.manifest.users[0] as { email: string; userId: string };
  await ctx.bench.documents.send(
    new (await import('@aws-sdk/lib-dynamodb')).PutCommand({
      TableName: runtime.tableName('Organization'),
      Item: {
        __typename: 'Organization',
        id: floorOrg,
        name: 'Floor',
        slug: floorOrg,
        plan: 'ENTERPRISE',
        status: 'ACTIVE',
        ownerId: owner.userId,
        workOrderCounter: 0,
        workOrdersMonth: month,
        workOrdersInMonth: 0,
        memberCount: 1,
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
      },
    }),
  );
  // The very UpdateItem the store sends (the plans' limits in its condition).
  const update = sameMonthNumberUpdate(
    runtime.tableName('Organization'),
    { organizationId: floorOrg, month, at: new Date().toISOString() },
    withinPlanCondition(WORK_ORDERS_PER_MONTH),
  );
  const floorNumberUpdate = {
    ...update,
    Key: marshall(update.Key),
    ExpressionAttributeValues: marshall(update.ExpressionAttributeValues),
  };
  return load(
    ctx,
    'floor-submit',
    'floor of 1: GetItem + UpdateItem + BatchWriteItem (2 items)',
    { users: ctx.plan.users, rate: ctx.plan.rate },
    (user) => {
      const who = ctx.manifest.users[user % ctx.manifest.users.length] ?? owner;
      const at = new Date().toISOString();
      const record: WorkOrderRecord = withDerivedFields({
        id: randomUUID(),
        organizationId: floorOrg,
        number: 0,
        title: 'Floor',
        status: 'NEW',
        priority: 'MEDIUM',
        category: 'OTHER',
        type: 'CORRECTIVE',
        requester: ownerValue(who.userId, who.email),
        requesterId: who.userId,
        readGroups: workOrderReadGroups(floorOrg),
        version: 1,
        createdAt: at,
        updatedAt: at,
        updatedBy: who.userId,
      });
      return {
        tag: 'submit-floor',
        steps: [
          ddb(ctx, 'GetItem', {
            TableName: runtime.tableName('OrganizationMember'),
            Key: marshall({ id: membershipId(ctx.manifest.organizationId, who.userId) }),
            ConsistentRead: true,
          }),
          ddb(ctx, 'UpdateItem', floorNumberUpdate),
          ddb(ctx, 'BatchWriteItem', {
            RequestItems: {
              [runtime.tableName('WorkOrder')]: [
                {
                  PutRequest: {
                    Item: marshall(workOrderItem(record), { removeUndefinedValues: true }),
                  },
                },
              ],
              [runtime.tableName('WorkOrderEvent')]: [
                {
                  PutRequest: {
                    Item: marshall(
                      eventItem(floorOrg, record.id, who.userId, record.requester, at),
                    ),
                  },
                },
              ],
            },
          }),
        ],
      };
    },
  );
}

function eventItem(
  organizationId: string,
  workOrderId: string,
  actorId: string,
  requester: string,
  at: string,
) {
  return {
    __typename: 'WorkOrderEvent',
    id: randomUUID(),
    organizationId,
    workOrderId,
    at,
    actorId,
    kind: 'CANCELLED',
    fromStatus: 'NEW',
    toStatus: 'CANCELLED',
    requester,
    readGroups: workOrderReadGroups(organizationId),
    createdAt: at,
    updatedAt: at,
  };
}

/** Each request cancels a NEW work order of its own (NEW → CANCELLED at version 1). */
export function transitionScenario(ctx: Context): Promise<LoadResult> {
  const rate = ctx.plan.transitionRate;
  const pool = ctx.take(poolSize(ctx, rate));
  return load(ctx, 'transition', '2. transitionWorkOrder', { users: rate, rate }, (user, i) => ({
    tag: 'transition',
    steps: [gql(ctx, user + 1, TRANSITION, { id: pool[i]?.id, v: 1 })],
  }));
}

/** The calls behind a transition: membership and work order reads, then Put + event in one transaction. */
export async function transitionFloor(ctx: Context): Promise<LoadResult> {
  const runtime = runtimeOf(ctx);
  const rate = ctx.plan.transitionRate;
  const pool = ctx.take(poolSize(ctx, rate));
  const org = ctx.manifest.organizationId;
  const owner = ctx.manifest.users[0] as { email: string; userId: string };
  const at = new Date().toISOString();
  // The next state of each work order, as the API would write it.
  const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
  const first = await ctx.bench.documents.send(
    new GetCommand({ TableName: runtime.tableName('WorkOrder'), Key: { id: pool[0]?.id } }),
  );
  const template = first.Item as Record<string, unknown>;
  return load(
    ctx,
    'floor-transition',
    'floor of 2: GetItem ×2 + TransactWriteItems (2 items)',
    { users: rate, rate },
    (user, i) => {
      const who = ctx.manifest.users[(user + 1) % ctx.manifest.users.length] ?? owner;
      const id = pool[i]?.id ?? '';
      const next = {
        ...template,
        id,
        status: 'CANCELLED',
        [STATUS_CREATED_AT]: `CANCELLED#${String(template.createdAt)}`,
        version: 2,
        updatedAt: at,
        updatedBy: who.userId,
      };
      return {
        tag: 'transition-floor',
        steps: [
          ddb(ctx, 'GetItem', {
            TableName: runtime.tableName('OrganizationMember'),
            Key: marshall({ id: membershipId(org, who.userId) }),
            ConsistentRead: true,
          }),
          ddb(ctx, 'GetItem', {
            TableName: runtime.tableName('WorkOrder'),
            Key: marshall({ id }),
            ConsistentRead: true,
          }),
          ddb(ctx, 'TransactWriteItems', {
            TransactItems: [
              {
                Put: {
                  TableName: runtime.tableName('WorkOrder'),
                  Item: marshall(next, { removeUndefinedValues: true }),
                  ConditionExpression: 'version = :expected AND organizationId = :o',
                  ExpressionAttributeValues: marshall({ ':expected': 1, ':o': org }),
                },
              },
              {
                Put: {
                  TableName: runtime.tableName('WorkOrderEvent'),
                  Item: marshall(eventItem(org, id, who.userId, String(template.requester), at)),
                  ConditionExpression: 'attribute_not_exists(id)',
                },
              },
            ],
          }),
        ],
      };
    },
  );
}

/** Each request assigns a NEW work order of its own to another manager. */
export function assignScenario(ctx: Context): Promise<LoadResult> {
  const rate = ctx.plan.transitionRate;
  const pool = ctx.take(poolSize(ctx, rate));
  const users = ctx.manifest.users;
  return load(ctx, 'assign', '3. assignWorkOrder', { users: rate, rate }, (user, i) => ({
    tag: 'assign',
    steps: [
      gql(ctx, user + 1, ASSIGN, {
        id: pool[i]?.id,
        assigneeId: users[(user + 2) % users.length]?.userId,
        v: 1,
      }),
    ],
  }));
}

/** 100 users: 70% reads (a work order by id, or the open page), 20% submit, 10% transition or assign. */
export function mixScenario(ctx: Context): Promise<LoadResult> {
  const { rate, users: vus, durationMs } = ctx.plan;
  const pool = ctx.take(Math.ceil(poolSize(ctx, rate, durationMs) / 10) + 20);
  const readable = ctx.manifest.workOrderIds.slice(-2000);
  const users = ctx.manifest.users;
  let changes = 0;
  return load(ctx, 'mix', 'realistic mix', { users: vus, rate, byTag: true }, (user, i) => {
    const org = ctx.manifest.organizationId;
    const roll = (i * 7919) % 100;
    if (roll < 35)
      return { tag: 'get', steps: [gql(ctx, user, GET, { id: readable[i % readable.length] })] };
    if (roll < 70) return { tag: 'list', steps: [gql(ctx, user, LIST, { organizationId: org })] };
    if (roll < 90)
      return {
        tag: 'submit',
        steps: [gql(ctx, user, SUBMIT, { organizationId: org, title: `Mixed ${i}` })],
      };
    const target = pool[changes++]?.id;
    return changes % 2
      ? { tag: 'transition', steps: [gql(ctx, user, TRANSITION, { id: target, v: 1 })] }
      : {
          tag: 'assign',
          steps: [
            gql(ctx, user, ASSIGN, {
              id: target,
              assigneeId: users[(user + 1) % users.length]?.userId,
              v: 1,
            }),
          ],
        };
  });
}

export type SubscriptionScenario = {
  subscribers: number;
  organizations: number;
  events: number;
  expectedDeliveries: number;
  delivered: number;
  duplicates: number;
  wrongOrganization: number;
  missing: number;
  mutationErrors: number;
  latency: Figures;
};

/** 100 subscribers over 10 organizations; submissions spread over them; ack → receipt. */
export async function subscriptionScenario(ctx: Context): Promise<SubscriptionScenario> {
  const { manifest } = ctx;
  const orgs = manifest.otherOrganizationIds;
  const subscribers = manifest.users.map((_, i) => ({
    token: ctx.tokens[i] ?? '',
    organizationId: orgs[i % orgs.length] ?? '',
  }));
  const count = ctx.plan.subscriptionMutations;
  const interval = ctx.plan.durationMs / count;
  const mutations = Array.from({ length: count }, (_, k) => {
    const org = k % orgs.length;
    const user = org + 10 * ((Math.floor(k / orgs.length) % 9) + 1);
    return {
      at: k * interval,
      token: ctx.tokens[user % ctx.tokens.length] ?? '',
      organizationId: orgs[org] ?? '',
      query: SUBMIT,
      variables: { organizationId: orgs[org], title: `Live ${k}` },
    };
  });
  const result = await runSubscriptionJob({
    realtimeUrl: runtimeOf(ctx).urls.realtime,
    graphqlUrl: runtimeOf(ctx).urls.graphql,
    subscription: ON_CHANGED,
    subscribers,
    mutations,
    timeoutMs: 15_000,
    settleMs: 3_000,
  });
  const acked = result.acks.filter((a) => !a.error && a.id);
  const ackOf = new Map(acked.map((a) => [a.id, a]));
  const perSubscriber = new Map<string, number>();
  let wrongOrganization = 0;
  const latencies: number[] = [];
  for (const r of result.received) {
    const ack = ackOf.get(r.id);
    const subscribedTo = result.subscribers[r.subscriber];
    // An event whose mutation the generator gave up on (timed out) has no acknowledgement to time.
    if (!ack && r.organizationId === subscribedTo) continue;
    if (r.organizationId !== subscribedTo || (ack && ack.organizationId !== subscribedTo)) {
      wrongOrganization++;
      continue;
    }
    const key = `${r.subscriber}:${r.id}`;
    perSubscriber.set(key, (perSubscriber.get(key) ?? 0) + 1);
    if (ack && perSubscriber.get(key) === 1) latencies.push(Math.max(0, r.at - ack.at));
  }
  const subscribersOf = (org: string) => result.subscribers.filter((s) => s === org).length;
  const expectedDeliveries = acked.reduce((sum, a) => sum + subscribersOf(a.organizationId), 0);
  const delivered = [...perSubscriber.values()].filter((n) => n >= 1).length;
  const duplicates = [...perSubscriber.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  const outcome: SubscriptionScenario = {
    subscribers: subscribers.length,
    organizations: orgs.length,
    events: acked.length,
    expectedDeliveries,
    delivered,
    duplicates,
    wrongOrganization,
    missing: expectedDeliveries - delivered,
    mutationErrors: result.acks.length - acked.length,
    latency: figures(latencies, 0, ctx.plan.durationMs),
  };
  ctx.log(
    `  6. subscriptions: p50 ${outcome.latency.p50} ms, p95 ${outcome.latency.p95} ms; ${delivered}/${expectedDeliveries} delivered, ${duplicates} duplicates, ${wrongOrganization} to another organization`,
  );
  await settle(ctx);
  return outcome;
}

export type BurstScenario = {
  burst: number;
  ackedAllS: number;
  mailed: number;
  errors: number;
  ackToMail: Figures;
  sendToMail: Figures;
  /** CPU milliseconds per email by part, from the first send until every email was mailed. */
  cpuPerEmailMs?: Record<string, number>;
};

/** A burst of assignments at once; each from its acknowledgement to its email in the mailbox. */
export async function burstScenario(ctx: Context): Promise<BurstScenario> {
  const pool = ctx.take(ctx.plan.burst);
  const users = ctx.manifest.users;
  const mutations = pool.map((workOrder, i) => {
    const actor = 1 + (i % (users.length - 1));
    return {
      marker: `assigned to you: ${workOrder.title}`,
      token: ctx.tokens[actor] ?? '',
      query: ASSIGN,
      variables: {
        id: workOrder.id,
        assigneeId: users[1 + ((i + 1) % (users.length - 1))]?.userId,
        v: 1,
      },
    };
  });
  const cpuBefore = cpuSnapshot(partOf(ctx));
  const result = await runBurstJob({
    graphqlUrl: runtimeOf(ctx).urls.graphql,
    mailFile: path.join(runtimeOf(ctx).dataDirectory, 'mail', 'mail.jsonl'),
    mutations,
    timeoutMs: 120_000,
    waitMs: 120_000,
    pollMs: 10,
  });
  const cpu = cpuBetween(cpuBefore, cpuSnapshot(partOf(ctx)));
  const ok = result.results.filter((r) => !r.error);
  const mailed = ok.filter((r) => r.ackToMailMs !== undefined);
  const outcome: BurstScenario = {
    burst: pool.length,
    ackedAllS: Math.round(result.ackedAllMs / 100) / 10,
    mailed: mailed.length,
    errors: result.results.length - ok.length,
    ackToMail: figures(
      mailed.map((r) => Math.max(0, r.ackToMailMs ?? 0)),
      ok.length - mailed.length,
      result.ackedAllMs,
    ),
    sendToMail: figures(
      mailed.map((r) => r.sendToMailMs ?? 0),
      ok.length - mailed.length,
      result.ackedAllMs,
    ),
    ...(cpuBefore.size > 0 && pool.length > 0
      ? {
          cpuPerEmailMs: cpuPer(cpu, pool.length),
        }
      : {}),
  };
  ctx.log(
    `  7. notifications: ${mailed.length}/${pool.length} mailed, ${outcome.errors} errors; ack → mailbox p50 ${outcome.ackToMail.p50} ms, p95 ${outcome.ackToMail.p95} ms; all acknowledged after ${outcome.ackedAllS} s`,
  );
  const errors = [...new Set(result.results.map((r) => r.error).filter(Boolean))];
  if (errors.length) ctx.log(`    errors: ${errors.slice(0, 5).join(' | ')}`);
  await settle(ctx);
  return outcome;
}
