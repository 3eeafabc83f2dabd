import {
  GetCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { InventoryStore } from '../../../../core/ports';
import type { InventoryAdjustmentRecord, InventoryItemRecord } from '../../../../core/records';
import { cancellationCodes, typed, untyped } from '../../shared/stores/dynamo-items';

/**
 * The key of the item that reserves a SKU within an organization (SKUs compare case-blind). It
 * lives in the InventoryItem table without an `organizationId`, so it stays out of the
 * organization index and no `groupDefinedIn('organizationId')` read rule returns it; a
 * conditional put on it is what makes SKUs unique, as with organization slugs.
 */
export const skuClaimId = (organizationId: string, sku: string): string =>
  `sku#${organizationId}#${sku.toLowerCase()}`;

/** Inventory items, their SKU claims and the adjustment ledger. */
export class DynamoInventoryStore implements InventoryStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: { items: string; adjustments: string },
  ) {}

  async get(id: string): Promise<InventoryItemRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tables.items, Key: { id }, ConsistentRead: true }),
    );
    return Item?.__typename === 'InventoryItem' ? untyped<InventoryItemRecord>(Item) : undefined;
  }

  async create(item: InventoryItemRecord): Promise<'CREATED' | 'SKU_TAKEN'> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tables.items,
                Item: {
                  id: skuClaimId(item.organizationId, item.sku),
                  __typename: 'InventorySkuClaim',
                  itemId: item.id,
                  createdAt: item.createdAt,
                  updatedAt: item.updatedAt,
                },
                ConditionExpression: 'attribute_not_exists(id)',
              },
            },
            {
              Put: {
                TableName: this.tables.items,
                Item: typed('InventoryItem', item),
                ConditionExpression: 'attribute_not_exists(id)',
              },
            },
          ],
        }),
      );
      return 'CREATED';
    } catch (err) {
      const codes = cancellationCodes(err);
      // A concurrent creator holding the claim is as good as a taken SKU: nothing was written.
      if (codes?.[0] === 'ConditionalCheckFailed' || codes?.includes('TransactionConflict')) {
        return 'SKU_TAKEN';
      }
      throw err;
    }
  }

  async replace(input: {
    next: InventoryItemRecord;
    expectedVersion: number;
    adjustment?: InventoryAdjustmentRecord;
  }): Promise<'UPDATED' | 'STALE' | 'IN_FLIGHT'> {
    const { next, expectedVersion, adjustment } = input;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tables.items,
                Item: typed('InventoryItem', next),
                // Same tenant and untouched since it was read: the quantity the change was
                // computed from (and checked against zero) is still the stored one.
                ConditionExpression: 'version = :expected AND organizationId = :organizationId',
                ExpressionAttributeValues: {
                  ':expected': expectedVersion,
                  ':organizationId': next.organizationId,
                },
              },
            },
            ...(adjustment
              ? [
                  {
                    Put: {
                      TableName: this.tables.adjustments,
                      Item: typed('InventoryAdjustment', adjustment),
                      ConditionExpression: 'attribute_not_exists(id)',
                    },
                  },
                ]
              : []),
          ],
        }),
      );
      return 'UPDATED';
    } catch (err) {
      const codes = cancellationCodes(err);
      if (codes?.[0] === 'ConditionalCheckFailed') return 'STALE';
      if (codes?.includes('TransactionConflict')) return 'IN_FLIGHT';
      throw err;
    }
  }
}
