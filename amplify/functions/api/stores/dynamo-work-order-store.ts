import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { WorkOrderStore } from '../../../../core/ports';
import type { WorkOrderEventRecord, WorkOrderRecord } from '../../../../core/records';
import { cancellationCodes, typed, untyped } from './dynamo-items';

/**
 * The composite sort key of the `organizationId` + (`status`, `createdAt`) index, which the
 * generated resolvers only maintain for their own writes: every server write must set it.
 */
export const STATUS_CREATED_AT = 'status#createdAt';

/** A work order as stored: typename and composite index key added. */
export const workOrderItem = (workOrder: WorkOrderRecord) => ({
  ...typed('WorkOrder', workOrder),
  [STATUS_CREATED_AT]: `${workOrder.status}#${workOrder.createdAt}`,
});

/** How often `replace` tries when another transaction holds the work order. */
const REPLACE_ATTEMPTS = 3;

/** Work orders, their audit events and the organization counters that number them. */
export class DynamoWorkOrderStore implements WorkOrderStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: { workOrders: string; events: string; organizations: string },
  ) {}

  async get(id: string): Promise<WorkOrderRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tables.workOrders, Key: { id }, ConsistentRead: true }),
    );
    return untyped<WorkOrderRecord>(Item, STATUS_CREATED_AT);
  }

  async insertNumbered(input: {
    workOrder: WorkOrderRecord;
    event: WorkOrderEventRecord;
    expectedCounter: number;
    usage: { month: string; count: number };
  }) {
    const { workOrder, event, expectedCounter, usage } = input;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tables.organizations,
                Key: { id: workOrder.organizationId },
                UpdateExpression:
                  'SET workOrderCounter = :number, workOrdersMonth = :month, workOrdersInMonth = :count, updatedAt = :now',
                ConditionExpression: 'workOrderCounter = :expected',
                ExpressionAttributeValues: {
                  ':number': workOrder.number,
                  ':expected': expectedCounter,
                  ':month': usage.month,
                  ':count': usage.count,
                  ':now': workOrder.createdAt,
                },
              },
            },
            {
              Put: {
                TableName: this.tables.workOrders,
                Item: workOrderItem(workOrder),
                ConditionExpression: 'attribute_not_exists(id)',
              },
            },
            {
              Put: {
                TableName: this.tables.events,
                Item: typed('WorkOrderEvent', event),
                ConditionExpression: 'attribute_not_exists(id)',
              },
            },
          ],
        }),
      );
      return 'CREATED' as const;
    } catch (err) {
      const codes = cancellationCodes(err);
      // Either way another submission holds or took the number: nothing was written, read again.
      if (codes?.[0] === 'ConditionalCheckFailed' || codes?.includes('TransactionConflict')) {
        return 'COUNTER_MOVED' as const;
      }
      throw err;
    }
  }

  async replace(input: {
    next: WorkOrderRecord;
    expectedVersion: number;
    event: WorkOrderEventRecord;
  }): Promise<'UPDATED' | 'STALE'> {
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.replaceOnce(input);
      if (outcome !== 'IN_FLIGHT') return outcome;
      // Another transaction held the item: nothing was written, so trying again is safe and lets
      // the version condition decide. After a few rounds the work order is clearly contended.
      if (attempt >= REPLACE_ATTEMPTS) return 'STALE';
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
    }
  }

  private async replaceOnce(input: {
    next: WorkOrderRecord;
    expectedVersion: number;
    event: WorkOrderEventRecord;
  }): Promise<'UPDATED' | 'STALE' | 'IN_FLIGHT'> {
    const { next, expectedVersion, event } = input;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tables.workOrders,
                Item: workOrderItem(next),
                // Same tenant and untouched since it was read; otherwise nothing is written.
                ConditionExpression: 'version = :expected AND organizationId = :organizationId',
                ExpressionAttributeValues: {
                  ':expected': expectedVersion,
                  ':organizationId': next.organizationId,
                },
              },
            },
            {
              Put: {
                TableName: this.tables.events,
                Item: typed('WorkOrderEvent', event),
                ConditionExpression: 'attribute_not_exists(id)',
              },
            },
          ],
        }),
      );
      return 'UPDATED' as const;
    } catch (err) {
      const codes = cancellationCodes(err);
      if (codes?.[0] === 'ConditionalCheckFailed') return 'STALE' as const;
      if (codes?.includes('TransactionConflict')) return 'IN_FLIGHT' as const;
      throw err;
    }
  }

  async appendEvent(event: WorkOrderEventRecord): Promise<void> {
    // One item, no transaction: a comment changes nothing else, and a PutItem is far cheaper.
    await this.db.send(
      new PutCommand({
        TableName: this.tables.events,
        Item: typed('WorkOrderEvent', event),
        ConditionExpression: 'attribute_not_exists(id)',
      }),
    );
  }
}
