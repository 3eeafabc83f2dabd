import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkOrderEventRecord, WorkOrderRecord } from '../../../../core/records';
import {
  type DynamoDbLocal,
  localDynamoDbClient,
  startDynamoDbLocal,
} from '../../../../local/dynamodb';
import { freePort } from '../../../../local/process-utils';
import { createIdTables } from '../../../../tests/support/id-tables';
import { DynamoWorkOrderStore } from './dynamo-work-order-store';

/** The work-order store's numbering against DynamoDB Local: its conditions, not a script. */
describe('DynamoWorkOrderStore numbering on DynamoDB Local', () => {
  const tables = { workOrders: 'NumWorkOrder', events: 'NumEvent', organizations: 'NumOrg' };
  let dynamodb: DynamoDbLocal;
  let documents: DynamoDBDocumentClient;
  let store: DynamoWorkOrderStore;
  const at = '2026-03-05T10:00:00.000Z';

  const organization = async (id: string, patch: Record<string, unknown> = {}) => {
    await documents.send(
      new PutCommand({
        TableName: tables.organizations,
        Item: { id, status: 'ACTIVE', plan: 'FREE', workOrderCounter: 0, ...patch },
      }),
    );
  };
  const stored = async (id: string) =>
    (
      await documents.send(
        new GetCommand({ TableName: tables.organizations, Key: { id }, ConsistentRead: true }),
      )
    ).Item;

  /** `count` submissions taking a number at once. */
  const takeAtOnce = (count: number, organizationId: string, month: string, monthlyLimit: number) =>
    Promise.all(
      Array.from({ length: count }, () =>
        store.takeNumber({ organizationId, month, monthlyLimit, at }),
      ),
    );

  beforeAll(async () => {
    dynamodb = await startDynamoDbLocal({ port: await freePort() });
    const raw = localDynamoDbClient(dynamodb.endpoint);
    await createIdTables(raw, Object.values(tables));
    documents = DynamoDBDocumentClient.from(raw);
    store = new DynamoWorkOrderStore(documents, tables);
  }, 60_000);

  afterAll(async () => {
    documents?.destroy();
    await dynamodb?.stop();
  });

  it('hands 40 submissions at once the numbers 1 to 40, each once, and counts them in the month', async () => {
    await organization('org-busy');
    const taken = await takeAtOnce(40, 'org-busy', '2026-03', Infinity);
    const numbers = taken.map((t) => (t.outcome === 'TAKEN' ? t.number : -1));
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await stored('org-busy')).toMatchObject({
      workOrderCounter: 40,
      workOrdersMonth: '2026-03',
      workOrdersInMonth: 40,
    });
  });

  it('stops at the monthly limit, exactly, however many ask at once', async () => {
    await organization('org-free', {
      workOrderCounter: 100,
      workOrdersMonth: '2026-03',
      workOrdersInMonth: 45,
    });
    const taken = await takeAtOnce(12, 'org-free', '2026-03', 50);
    expect(taken.filter((t) => t.outcome === 'TAKEN')).toHaveLength(5);
    expect(taken.filter((t) => t.outcome === 'AT_LIMIT')).toEqual(
      Array.from({ length: 7 }, () => ({ outcome: 'AT_LIMIT', countInMonth: 50 })),
    );
    expect(await stored('org-free')).toMatchObject({
      workOrderCounter: 105,
      workOrdersInMonth: 50,
    });
  });

  it('starts a new month once, even when many roll it over at once', async () => {
    await organization('org-month', {
      workOrderCounter: 7,
      workOrdersMonth: '2026-02',
      workOrdersInMonth: 50,
    });
    const taken = await takeAtOnce(10, 'org-month', '2026-03', 50);
    expect(taken.every((t) => t.outcome === 'TAKEN')).toBe(true);
    expect(await stored('org-month')).toMatchObject({
      workOrderCounter: 17,
      workOrdersMonth: '2026-03',
      workOrdersInMonth: 10,
    });
  });

  it('counts the first month of an organization that never had one', async () => {
    await organization('org-new');
    expect(
      await store.takeNumber({ organizationId: 'org-new', month: '2026-03', monthlyLimit: 50, at }),
    ).toEqual({ outcome: 'TAKEN', number: 1, countInMonth: 1 });
  });

  it.each([
    ['suspended', { status: 'SUSPENDED' }],
    [
      'suspended in the same month',
      { status: 'SUSPENDED', workOrdersMonth: '2026-03', workOrdersInMonth: 1 },
    ],
  ])('takes nothing from an organization that is %s', async (_name, patch) => {
    await organization('org-off', { workOrderCounter: 3, ...patch });
    expect(
      await store.takeNumber({ organizationId: 'org-off', month: '2026-03', monthlyLimit: 50, at }),
    ).toEqual({ outcome: 'NOT_ACTIVE' });
    expect((await stored('org-off'))?.workOrderCounter).toBe(3);
  });

  it('takes nothing for an organization that does not exist, and creates none', async () => {
    expect(
      await store.takeNumber({
        organizationId: 'org-none',
        month: '2026-03',
        monthlyLimit: 50,
        at,
      }),
    ).toEqual({ outcome: 'NOT_ACTIVE' });
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
