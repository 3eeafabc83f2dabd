import { describe, expect, it } from 'vitest';
import type { InventoryAdjustmentRecord, InventoryItemRecord } from '../../../../core/records';
import { DynamoInventoryStore, skuClaimId } from './dynamo-inventory-store';
import { cancelled, scripted } from './scripted-client';

const item = {
  id: 'item-1',
  organizationId: 'org-1',
  sku: 'FLT-20',
  quantity: 4,
  version: 3,
  createdAt: '2026-03-01T00:00:00.000Z',
  updatedAt: '2026-03-01T00:00:00.000Z',
} as InventoryItemRecord;
const adjustment = { id: 'adj-1', itemId: 'item-1' } as InventoryAdjustmentRecord;
const tables = { items: 'ITEMS', adjustments: 'LEDGER' };

describe('DynamoInventoryStore', () => {
  it('claims the SKU case-blind within the organization and writes the item, in one transaction', async () => {
    const { db, sent } = scripted({});
    expect(await new DynamoInventoryStore(db, tables).create(item)).toBe('CREATED');
    const actions = (sent[0]?.input.TransactItems ?? []) as { Put: Record<string, unknown> }[];
    expect(
      actions.map((a) => [
        a.Put.TableName,
        (a.Put.Item as { id: string }).id,
        a.Put.ConditionExpression,
      ]),
    ).toEqual([
      ['ITEMS', 'sku#org-1#flt-20', 'attribute_not_exists(id)'],
      ['ITEMS', 'item-1', 'attribute_not_exists(id)'],
    ]);
    // The claim stays out of the organization index and the read rule.
    expect(actions[0]?.Put.Item).not.toHaveProperty('organizationId');
    expect(skuClaimId('org-1', 'Flt-20')).toBe(skuClaimId('org-1', 'FLT-20'));
  });

  it.each([
    ['a taken claim', cancelled('ConditionalCheckFailed', 'None')],
    ['a concurrent creator', cancelled('TransactionConflict', 'None')],
  ])('answers SKU_TAKEN for %s', async (_name, error) => {
    const { db } = scripted(error);
    expect(await new DynamoInventoryStore(db, tables).create(item)).toBe('SKU_TAKEN');
  });

  it('replaces on the version read, with the ledger entry in the same transaction', async () => {
    const { db, sent } = scripted({});
    const store = new DynamoInventoryStore(db, tables);
    expect(
      await store.replace({ next: { ...item, version: 4 }, expectedVersion: 3, adjustment }),
    ).toBe('UPDATED');
    const actions = (sent[0]?.input.TransactItems ?? []) as { Put: Record<string, unknown> }[];
    expect(actions[0]?.Put).toMatchObject({
      TableName: 'ITEMS',
      ConditionExpression: 'version = :expected AND organizationId = :organizationId',
      ExpressionAttributeValues: { ':expected': 3, ':organizationId': 'org-1' },
    });
    expect(actions[1]?.Put).toMatchObject({
      TableName: 'LEDGER',
      ConditionExpression: 'attribute_not_exists(id)',
    });
  });

  it.each([
    ['a moved version', cancelled('ConditionalCheckFailed', 'None'), 'STALE'],
    ['a transaction in flight', cancelled('None', 'TransactionConflict'), 'IN_FLIGHT'],
  ] as const)('answers %s', async (_name, error, outcome) => {
    const { db } = scripted(error);
    expect(
      await new DynamoInventoryStore(db, tables).replace({
        next: item,
        expectedVersion: 3,
        adjustment,
      }),
    ).toBe(outcome);
  });

  it('rethrows anything else', async () => {
    const { db } = scripted(new Error('throttled'));
    await expect(
      new DynamoInventoryStore(db, tables).replace({ next: item, expectedVersion: 3 }),
    ).rejects.toThrow('throttled');
  });

  it('reads only inventory items, never a SKU claim', async () => {
    const { db } = scripted({ Item: { id: 'sku#org-1#x', __typename: 'InventorySkuClaim' } });
    expect(await new DynamoInventoryStore(db, tables).get('sku#org-1#x')).toBeUndefined();
  });
});
