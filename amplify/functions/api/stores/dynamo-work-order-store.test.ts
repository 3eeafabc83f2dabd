import { describe, expect, it } from 'vitest';
import type { WorkOrderEventRecord, WorkOrderRecord } from '../../../../core/records';
import { DynamoWorkOrderStore } from './dynamo-work-order-store';
import { cancelled, scripted } from './scripted-client';

const next = {
  id: 'wo-1',
  organizationId: 'org-1',
  status: 'IN_PROGRESS',
  version: 3,
  createdAt: '2026-03-01T00:00:00.000Z',
} as WorkOrderRecord;
const event = { id: 'ev-1', workOrderId: 'wo-1' } as WorkOrderEventRecord;
const tables = { workOrders: 'WO', events: 'EV', organizations: 'ORG' };

describe('DynamoWorkOrderStore.replace', () => {
  it('writes the work order (with its status#createdAt key) and the event in one transaction', async () => {
    const { db, sent } = scripted({});
    expect(
      await new DynamoWorkOrderStore(db, tables).replace({ next, expectedVersion: 2, event }),
    ).toBe('UPDATED');
    expect(sent).toHaveLength(1);
    const items = sent[0]?.input.TransactItems as {
      Put: { Item: Record<string, unknown>; ConditionExpression: string };
    }[];
    expect(items.map((i) => i.Put.ConditionExpression)).toEqual([
      'version = :expected AND organizationId = :organizationId',
      'attribute_not_exists(id)',
    ]);
    expect(items[0]?.Put.Item['status#createdAt']).toBe('IN_PROGRESS#2026-03-01T00:00:00.000Z');
  });

  it('answers STALE when the version condition fails', async () => {
    const { db } = scripted(cancelled('ConditionalCheckFailed', 'None'));
    expect(
      await new DynamoWorkOrderStore(db, tables).replace({ next, expectedVersion: 2, event }),
    ).toBe('STALE');
  });

  it('tries again while another transaction holds the item, then lets the condition decide', async () => {
    const { db, sent } = scripted(
      cancelled('TransactionConflict', 'None'),
      cancelled('ConditionalCheckFailed', 'None'),
    );
    expect(
      await new DynamoWorkOrderStore(db, tables).replace({ next, expectedVersion: 2, event }),
    ).toBe('STALE');
    expect(sent).toHaveLength(2);
  });

  it('gives up as STALE when the item stays contended', async () => {
    const conflict = () => cancelled('TransactionConflict', 'None');
    const { db, sent } = scripted(conflict(), conflict(), conflict(), conflict());
    expect(
      await new DynamoWorkOrderStore(db, tables).replace({ next, expectedVersion: 2, event }),
    ).toBe('STALE');
    expect(sent).toHaveLength(3);
  });

  it('rethrows anything else', async () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    const { db } = scripted(throttled);
    await expect(
      new DynamoWorkOrderStore(db, tables).replace({ next, expectedVersion: 2, event }),
    ).rejects.toThrow('slow down');
  });
});

describe('DynamoWorkOrderStore.appendEvent', () => {
  it('puts one event item, never overwriting', async () => {
    const { db, sent } = scripted({});
    await new DynamoWorkOrderStore(db, tables).appendEvent(event);
    expect(sent[0]?.input).toMatchObject({
      TableName: 'EV',
      Item: { id: 'ev-1', __typename: 'WorkOrderEvent' },
      ConditionExpression: 'attribute_not_exists(id)',
    });
  });
});

describe('DynamoWorkOrderStore.insert', () => {
  it('writes the work order and its event in one batch, sending again what it left unprocessed', async () => {
    const left = { EV: [{ PutRequest: { Item: { id: 'ev-1' } } }] };
    const { db, sent } = scripted({ UnprocessedItems: left }, { UnprocessedItems: {} });
    await new DynamoWorkOrderStore(db, tables).insert({ workOrder: next, event });
    expect(sent).toHaveLength(2);
    const first = sent[0]?.input.RequestItems as Record<
      string,
      { PutRequest: { Item: Record<string, unknown> } }[]
    >;
    expect(first.WO?.[0]?.PutRequest.Item).toMatchObject({
      id: 'wo-1',
      __typename: 'WorkOrder',
      'status#createdAt': 'IN_PROGRESS#2026-03-01T00:00:00.000Z',
    });
    expect(first.EV?.[0]?.PutRequest.Item).toMatchObject({
      id: 'ev-1',
      __typename: 'WorkOrderEvent',
    });
    expect(sent[1]?.input.RequestItems).toEqual(left);
  });

  it('fails rather than acknowledge a work order it could not fully write', async () => {
    const left = { EV: [{ PutRequest: { Item: { id: 'ev-1' } } }] };
    const answers = Array.from({ length: 5 }, () => ({ UnprocessedItems: left }));
    const { db, sent } = scripted(...answers);
    await expect(
      new DynamoWorkOrderStore(db, tables).insert({ workOrder: next, event }),
    ).rejects.toThrow('was not fully written');
    expect(sent).toHaveLength(5);
  });
});
