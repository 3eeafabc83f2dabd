import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORK_ORDERS_PER_MONTH } from '../../../../core/organizations/plans';
import type { WorkOrderEventRecord, WorkOrderRecord } from '../../../../core/records';
import {
  type DynamoDbLocal,
  localDynamoDbClient,
  startDynamoDbLocal,
} from '../../../../local/dynamodb';
import { freePort } from '../../../../local/process-utils';
import {
  type DynamoDbRecorder,
  startDynamoDbRecorder,
} from '../../../../tests/support/dynamodb-recorder';
import { createIdTables } from '../../../../tests/support/id-tables';
import { DynamoWorkOrderStore } from './dynamo-work-order-store';

/** The work-order store's numbering against DynamoDB Local: its conditions, not a script. */
describe('DynamoWorkOrderStore numbering on DynamoDB Local', () => {
  const tables = { workOrders: 'NumWorkOrder', events: 'NumEvent', organizations: 'NumOrg' };
  let dynamodb: DynamoDbLocal;
  let recorder: DynamoDbRecorder;
  let documents: DynamoDBDocumentClient;
  let store: DynamoWorkOrderStore;
  const at = '2026-03-05T10:00:00.000Z';
  const month = '2026-03';

  const organization = async (id: string, patch: Record<string, unknown> = {}) => {
    await documents.send(
      new PutCommand({
        TableName: tables.organizations,
        Item: {
          id,
          name: `Name of ${id}`,
          status: 'ACTIVE',
          plan: 'FREE',
          workOrderCounter: 0,
          ...patch,
        },
      }),
    );
  };
  const stored = async (id: string) =>
    (
      await documents.send(
        new GetCommand({ TableName: tables.organizations, Key: { id }, ConsistentRead: true }),
      )
    ).Item;
  const take = (organizationId: string) =>
    store.takeNumber({ organizationId, month, monthlyLimits: WORK_ORDERS_PER_MONTH, at });
  /** `count` submissions taking a number at once. */
  const takeAtOnce = (count: number, organizationId: string) =>
    Promise.all(Array.from({ length: count }, () => take(organizationId)));

  beforeAll(async () => {
    dynamodb = await startDynamoDbLocal({ port: await freePort() });
    const raw = localDynamoDbClient(dynamodb.endpoint);
    await createIdTables(raw, Object.values(tables));
    raw.destroy();
    // The store reaches DynamoDB Local through a recorder, so a test can see what it called.
    recorder = await startDynamoDbRecorder(dynamodb.endpoint);
    documents = DynamoDBDocumentClient.from(localDynamoDbClient(recorder.endpoint));
    store = new DynamoWorkOrderStore(documents, tables);
  }, 60_000);

  afterAll(async () => {
    documents?.destroy();
    await recorder?.stop();
    await dynamodb?.stop();
  });

  it('hands 40 submissions at once the numbers 1 to 40, each once, and counts them in the month', async () => {
    await organization('org-busy', { plan: 'ENTERPRISE' });
    const taken = await takeAtOnce(40, 'org-busy');
    const numbers = taken.map((t) => (t.outcome === 'TAKEN' ? t.number : -1));
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await stored('org-busy')).toMatchObject({
      workOrderCounter: 40,
      workOrdersMonth: month,
      workOrdersInMonth: 40,
    });
  });

  it('takes a number in the month with one conditional write and no read', async () => {
    await organization('org-one', { workOrdersMonth: month, workOrdersInMonth: 3 });
    const before = recorder.calls.length;
    expect(await take('org-one')).toEqual({ outcome: 'TAKEN', number: 1, countInMonth: 4 });
    expect(recorder.calls.slice(before)).toEqual([
      { operation: 'UpdateItem', table: tables.organizations },
    ]);
  });

  it("stops at the plan's monthly limit, exactly, however many ask at once", async () => {
    await organization('org-free', {
      workOrderCounter: 100,
      workOrdersMonth: month,
      workOrdersInMonth: 45,
    });
    const taken = await takeAtOnce(12, 'org-free');
    expect(taken.filter((t) => t.outcome === 'TAKEN')).toHaveLength(5);
    expect(taken.filter((t) => t.outcome === 'AT_LIMIT')).toEqual(
      Array.from({ length: 7 }, () => ({ outcome: 'AT_LIMIT', plan: 'FREE', countInMonth: 50 })),
    );
    expect(await stored('org-free')).toMatchObject({
      workOrderCounter: 105,
      workOrdersInMonth: 50,
    });
  });

  it('counts against the plan the organization has at the moment of the write', async () => {
    await organization('org-upgrade', { workOrdersMonth: month, workOrdersInMonth: 50 });
    expect(await take('org-upgrade')).toEqual({
      outcome: 'AT_LIMIT',
      plan: 'FREE',
      countInMonth: 50,
    });
    await organization('org-upgrade', {
      plan: 'STARTER',
      workOrdersMonth: month,
      workOrdersInMonth: 50,
    });
    expect(await take('org-upgrade')).toEqual({ outcome: 'TAKEN', number: 1, countInMonth: 51 });
  });

  it('starts a new month once, even when many roll it over at once', async () => {
    await organization('org-month', {
      workOrderCounter: 7,
      workOrdersMonth: '2026-02',
      workOrdersInMonth: 50,
    });
    const taken = await takeAtOnce(10, 'org-month');
    expect(taken.every((t) => t.outcome === 'TAKEN')).toBe(true);
    expect(await stored('org-month')).toMatchObject({
      workOrderCounter: 17,
      workOrdersMonth: month,
      workOrdersInMonth: 10,
    });
  });

  it('counts the first month of an organization that never had one', async () => {
    await organization('org-new');
    expect(await take('org-new')).toEqual({ outcome: 'TAKEN', number: 1, countInMonth: 1 });
  });

  it.each([
    ['suspended', { status: 'SUSPENDED' }],
    [
      'suspended in the same month',
      { status: 'SUSPENDED', workOrdersMonth: month, workOrdersInMonth: 1 },
    ],
  ])('takes nothing from an organization that is %s, and says so', async (_name, patch) => {
    await organization('org-off', { workOrderCounter: 3, ...patch });
    expect(await take('org-off')).toEqual({
      outcome: 'NOT_ACTIVE',
      name: 'Name of org-off',
      status: 'SUSPENDED',
    });
    expect((await stored('org-off'))?.workOrderCounter).toBe(3);
  });

  it('takes nothing for an organization that does not exist, and creates none', async () => {
    expect(await take('org-none')).toEqual({ outcome: 'NOT_FOUND' });
    expect(await stored('org-none')).toBeUndefined();
  });

  it('writes the work order and its event', async () => {
    const workOrder = {
      id: 'wo-9',
      organizationId: 'org-busy',
      number: 41,
      status: 'NEW',
      createdAt: at,
    } as WorkOrderRecord;
    const event = { id: 'ev-9', workOrderId: 'wo-9', kind: 'SUBMITTED' } as WorkOrderEventRecord;
    await store.insert({ workOrder, event });
    expect(await store.get('wo-9')).toMatchObject({ id: 'wo-9', number: 41, status: 'NEW' });
    const { Item } = await documents.send(
      new GetCommand({ TableName: tables.events, Key: { id: 'ev-9' }, ConsistentRead: true }),
    );
    expect(Item).toMatchObject({
      workOrderId: 'wo-9',
      kind: 'SUBMITTED',
      __typename: 'WorkOrderEvent',
    });
  });
});
