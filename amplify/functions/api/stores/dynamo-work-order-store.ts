import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type BatchWriteCommandOutput,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type UpdateCommandInput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Plan } from '../../../../core/organizations/roles';
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
} from '../../shared/stores/dynamo-items';

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
    monthlyLimits: Readonly<Record<Plan, number>>;
    at: string;
  }): Promise<NumberTaken> {
    const { organizationId, month, monthlyLimits, at } = input;
    const plans = Object.keys(monthlyLimits) as Plan[];
    const limitOf = (plan: Plan | undefined) => (plan ? (monthlyLimits[plan] ?? 0) : 0);
    const withinPlan = withinPlanCondition(monthlyLimits);
    const startsMonth = plans.flatMap((plan, i) => (limitOf(plan) >= 1 ? [`:plan${i}`] : []));
    // A month rolls over once; a second round can only follow a concurrent rollover.
    for (let round = 1; round <= TAKE_NUMBER_ROUNDS; round += 1) {
      const sameMonth = await this.increment(
        sameMonthNumberUpdate(this.tables.organizations, { organizationId, month, at }, withinPlan),
      );
      if (sameMonth) return { outcome: 'TAKEN', ...sameMonth };

      // Refused: read the organization to say why (or to start a new month).
      const { Item } = await this.db.send(
        new GetCommand({
          TableName: this.tables.organizations,
          Key: { id: organizationId },
          ConsistentRead: true,
        }),
      );
      const current = Item as OrganizationRecord | undefined;
      if (!current) return { outcome: 'NOT_FOUND' };
      if (current.status !== 'ACTIVE') {
        return { outcome: 'NOT_ACTIVE', name: current.name, status: current.status };
      }
      if (current.workOrdersMonth === month) {
        const countInMonth = current.workOrdersInMonth ?? 0;
        if (countInMonth >= limitOf(current.plan)) {
          return { outcome: 'AT_LIMIT', plan: current.plan, countInMonth };
        }
        continue;
      }
      if (limitOf(current.plan) < 1) {
        return { outcome: 'AT_LIMIT', plan: current.plan, countInMonth: 0 };
      }
      const firstOfMonth = await this.increment(
        numberUpdate(this.tables.organizations, {
          organizationId,
          at,
          update: 'workOrdersMonth = :month, workOrdersInMonth = :one',
          condition: `(attribute_not_exists(workOrdersMonth) OR workOrdersMonth <> :month) AND #plan IN (${startsMonth.join(', ')})`,
          values: {
            ':month': month,
            ...Object.fromEntries(startsMonth.map((name) => [name, withinPlan.values[name]])),
          },
        }),
      );
      if (firstOfMonth) return { outcome: 'TAKEN', ...firstOfMonth };
    }
    throw new Error(`The work-order counter of ${organizationId} kept moving; nothing was taken.`);
  }

  /** Runs a counter update; undefined when its condition refused it. */
  private async increment(
    update: UpdateCommandInput,
  ): Promise<{ number: number; countInMonth: number } | undefined> {
    try {
      const { Attributes } = await this.db.send(new UpdateCommand(update));
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

/**
 * `#plan = :plan0 AND workOrdersInMonth < :limit0 OR …`: the month's count is below the limit of
 * the plan the organization has (a plan without a limit only has to match).
 */
export function withinPlanCondition(monthlyLimits: Readonly<Record<Plan, number>>): {
  expression: string;
  values: Record<string, unknown>;
} {
  const values: Record<string, unknown> = {};
  const terms = (Object.keys(monthlyLimits) as Plan[]).map((plan, i) => {
    values[`:plan${i}`] = plan;
    if (!Number.isFinite(monthlyLimits[plan])) return `#plan = :plan${i}`;
    values[`:limit${i}`] = monthlyLimits[plan];
    return `(#plan = :plan${i} AND workOrdersInMonth < :limit${i})`;
  });
  return { expression: terms.join(' OR '), values };
}

/**
 * The UpdateItem that takes a number within the month, with no read before it (the benchmark's
 * floor issues exactly this one).
 */
export function sameMonthNumberUpdate(
  table: string,
  input: { organizationId: string; month: string; at: string },
  withinPlan: ReturnType<typeof withinPlanCondition>,
): UpdateCommandInput {
  return numberUpdate(table, {
    organizationId: input.organizationId,
    at: input.at,
    update: 'workOrdersInMonth = workOrdersInMonth + :one',
    condition: `workOrdersMonth = :month AND (${withinPlan.expression})`,
    values: { ':month': input.month, ...withinPlan.values },
  });
}

/** Moves the counter by one with the month's usage, if the organization is ACTIVE and `condition` holds. */
function numberUpdate(
  table: string,
  input: {
    organizationId: string;
    at: string;
    update: string;
    condition: string;
    values: Record<string, unknown>;
  },
): UpdateCommandInput {
  return {
    TableName: table,
    Key: { id: input.organizationId },
    UpdateExpression: `SET workOrderCounter = workOrderCounter + :one, ${input.update}, updatedAt = :at`,
    ConditionExpression: `#status = :active AND ${input.condition}`,
    ExpressionAttributeNames: { '#status': 'status', '#plan': 'plan' },
    ExpressionAttributeValues: { ':one': 1, ':active': 'ACTIVE', ':at': input.at, ...input.values },
    ReturnValues: 'UPDATED_NEW',
  };
}
