import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { WorkOrderRecord } from '../../../../core/records';

/** A DocumentClient that drops undefined attributes, so optional fields are absent, never null. */
export function createDocumentClient(client = new DynamoDBClient({})): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** Adds the `__typename` the generated resolvers expect on every model item. */
export const typed = <T extends object>(
  typename: string,
  record: T,
): T & { __typename: string } => ({
  ...record,
  __typename: typename,
});

/** Removes storage-only attributes (typename, composite index keys) from an item read back. */
export function untyped<T>(
  item: Record<string, unknown> | undefined,
  ...storageOnly: string[]
): T | undefined {
  if (!item) return undefined;
  const record: Record<string, unknown> = { ...item };
  delete record.__typename;
  for (const key of storageOnly) delete record[key];
  return record as T;
}

/** Whether an error is a failed condition of a single-item write. */
export const isConditionFailed = (err: unknown): boolean =>
  err instanceof Error && err.name === 'ConditionalCheckFailedException';

/**
 * Writes an item unless one with its `id` exists (then leaves that one as it is): 'EXISTS' is
 * an answer, not an error, as for a record written again on a redelivery.
 */
export async function putOnce(
  db: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown> & { id: string },
): Promise<'CREATED' | 'EXISTS'> {
  try {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(id)',
      }),
    );
    return 'CREATED';
  } catch (err) {
    if (isConditionFailed(err)) return 'EXISTS';
    throw err;
  }
}

/**
 * The cancellation reason codes of a failed TransactWriteItems, one per action in order
 * (`ConditionalCheckFailed`, `None`, …); undefined when the error is not a cancellation.
 */
export function cancellationCodes(err: unknown): (string | undefined)[] | undefined {
  if (!(err instanceof Error) || err.name !== 'TransactionCanceledException') return undefined;
  const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  if (reasons) return reasons.map((reason) => reason.Code);
  // Some emulators put the reasons only into the message: "…[ConditionalCheckFailed, None]".
  const listed = /\[([^\]]*)\]/.exec(err.message)?.[1];
  return listed?.split(',').map((code) => code.trim());
}

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
