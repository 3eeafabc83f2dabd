import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { workOrderItem } from '../../amplify/functions/shared/stores/dynamo-items';
import { workOrderReadGroups } from '../../core/organizations/roles';
import { ownerValue, type WorkOrderRecord } from '../../core/records';
import { withDerivedFields } from '../../core/work-orders/derived-fields';
import type { WorkOrderStatus } from '../../core/work-orders/vocabulary';

/**
 * A work order exactly as `submitWorkOrder` stores it (the same record builders), for suites and
 * benchmarks that need more of them than the API would create in reasonable time.
 */
export function storedWorkOrder(options: {
  organizationId: string;
  number: number;
  status: WorkOrderStatus;
  requesterId: string;
  requesterEmail: string;
  createdAt: string;
  title: string;
}): Record<string, unknown> {
  const requester = ownerValue(options.requesterId, options.requesterEmail);
  const record: WorkOrderRecord = withDerivedFields({
    id: randomUUID(),
    organizationId: options.organizationId,
    number: options.number,
    title: options.title,
    description: 'A dripping tap in the second-floor washroom.',
    status: options.status,
    priority: 'MEDIUM',
    category: 'PLUMBING',
    type: 'CORRECTIVE',
    locationText: 'Building A',
    requester,
    requesterId: options.requesterId,
    requesterName: options.requesterEmail,
    readGroups: workOrderReadGroups(options.organizationId),
    version: 1,
    createdAt: options.createdAt,
    updatedAt: options.createdAt,
    // The requester made the latest change: the notifier has nobody to tell.
    updatedBy: options.requesterId,
  });
  return workOrderItem(record);
}

/** Writes items 25 at a time, retrying what DynamoDB left unprocessed. */
export async function writeAll(
  documents: DynamoDBDocumentClient,
  table: string,
  items: readonly Record<string, unknown>[],
): Promise<void> {
  for (let start = 0; start < items.length; start += 25) {
    let requests = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const { UnprocessedItems } = await documents.send(
        new BatchWriteCommand({ RequestItems: { [table]: requests } }),
      );
      requests = (UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  }
}
