import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type BatchWriteCommandOutput,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { NumberTaken, WorkOrderStore } from '../../../../core/ports';
import type {
  OrganizationRecord,
  WorkOrderEventRecord,
  WorkOrderRecord,
} from '../../../../core/records';
import {
  cancellationCodes,
  isConditionFailed,
  STATUS_CREATED_AT,
  typed,
  untyped,
  workOrderItem,
} from './dynamo-items';

/** How often `replace` tries when another transaction holds the work order. */
const REPLACE_ATTEMPTS = 3;
/** Rounds of `takeNumber`: the same month, else the first of a new month. */
const TAKE_NUMBER_ROUNDS = 3;
/** How often `insert` sends what a batch left unprocessed. */
const INSERT_ATTEMPTS = 5;

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

  async takeNumber(input: {
    organizationId: string;
    month: string;
    monthlyLimit: number;
    at: string;
  }): Promise<NumberTaken> {
    const { organizationId, month, monthlyLimit, at } = input;
    const limited = Number.isFinite(monthlyLimit);
    // A month rolls over once; a second round can only follow a concurrent rollover.
    for (let round = 1; round <= TAKE_NUMBER_ROUNDS; round += 1) {
      const sameMonth = await this.increment({
        organizationId,
        update: 'workOrdersInMonth = workOrdersInMonth + :one',
        condition: `workOrdersMonth = :month${limited ? ' AND workOrdersInMonth < :limit' : ''}`,
        values: { ':month': month, ...(limited ? { ':limit': monthlyLimit } : {}) },
        at,
      });
      if (sameMonth) return { outcome: 'TAKEN', ...sameMonth };

      const { Item } = await this.db.send(
        new GetCommand({
          TableName: this.tables.organizations,
          Key: { id: organizationId },
          ConsistentRead: true,
        }),
      );
      const current = Item as Partial<OrganizationRecord> | undefined;
      if (current?.status !== 'ACTIVE') return { outcome: 'NOT_ACTIVE' };
      if (current.workOrdersMonth === month) {
        const countInMonth = current.workOrdersInMonth ?? 0;
        if (countInMonth >= monthlyLimit) return { outcome: 'AT_LIMIT', countInMonth };
        continue;
      }
      const firstOfMonth = await this.increment({
        organizationId,
        update: 'workOrdersMonth = :month, workOrdersInMonth = :one',
        condition: '(attribute_not_exists(workOrdersMonth) OR workOrdersMonth <> :month)',
        values: { ':month': month },
        at,
      });
      if (firstOfMonth) return { outcome: 'TAKEN', ...firstOfMonth };
    }
    throw new Error(`The work-order counter of ${organizationId} kept moving; nothing was taken.`);
  }

  /** Moves the counter by one with the month's usage, if the organization is ACTIVE and `condition` holds. */
  private async increment(input: {
    organizationId: string;
    update: string;
    condition: string;
    values: Record<string, unknown>;
    at: string;
  }): Promise<{ number: number; countInMonth: number } | undefined> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tables.organizations,
          Key: { id: input.organizationId },
          UpdateExpression: `SET workOrderCounter = workOrderCounter + :one, ${input.update}, updatedAt = :at`,
          ConditionExpression: `#status = :active AND ${input.condition}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':active': 'ACTIVE',
            ':at': input.at,
            ...input.values,
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return {
        number: Number(Attributes?.workOrderCounter),
        countInMonth: Number(Attributes?.workOrdersInMonth),
      };
    } catch (err) {
      if (isConditionFailed(err)) return undefined;
      throw err;
    }
  }

  async insert(input: { workOrder: WorkOrderRecord; event: WorkOrderEventRecord }): Promise<void> {
    // Both ids are new UUIDs and nothing else is touched, so one batch (no transaction, whose
    // coordination is the costliest write there is) writes them; what it leaves unprocessed is
    // sent again.
    let pending: BatchWriteCommandInput['RequestItems'] = {
      [this.tables.workOrders]: [{ PutRequest: { Item: workOrderItem(input.workOrder) } }],
      [this.tables.events]: [{ PutRequest: { Item: typed('WorkOrderEvent', input.event) } }],
    };
    for (let attempt = 1; pending && Object.keys(pending).length > 0; attempt += 1) {
      if (attempt > INSERT_ATTEMPTS) {
        throw new Error(`Work order ${input.workOrder.id} was not fully written; try again.`);
      }
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
      const answer: BatchWriteCommandOutput = await this.db.send(
        new BatchWriteCommand({ RequestItems: pending }),
      );
      pending = answer.UnprocessedItems;
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
