import {
  GetCommand,
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
      if (cancellationCodes(err)?.[0] === 'ConditionalCheckFailed') return 'COUNTER_MOVED' as const;
      throw err;
    }
  }

  async replace(input: {
    next: WorkOrderRecord;
    expectedVersion: number;
    event: WorkOrderEventRecord;
  }) {
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
      if (cancellationCodes(err)?.[0] === 'ConditionalCheckFailed') return 'STALE' as const;
      throw err;
    }
  }
}
