import {
  GetCommand,
  paginateQuery,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { InboxStore } from '../../../../core/ports';
import type { NotificationRecord } from '../../../../core/records';
import { isConditionFailed, untyped } from '../../shared/stores/dynamo-items';

/** The Notification GSI of `notificationsByRecipient` (recipientId + createdAt). */
export const NOTIFICATIONS_BY_RECIPIENT_INDEX = 'notificationsByRecipientIdAndCreatedAt';

/** Server-only attributes of a delivery that no caller needs. */
const DELIVERY_ONLY = ['leaseUntil', 'lastError'];

/** A person's in-app notifications in the Notification table. */
export class DynamoInboxStore implements InboxStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(id: string): Promise<NotificationRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }),
    );
    return untyped<NotificationRecord>(Item, ...DELIVERY_ONLY);
  }

  async listUnread(recipientId: string): Promise<NotificationRecord[]> {
    const found: NotificationRecord[] = [];
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.tableName,
        IndexName: NOTIFICATIONS_BY_RECIPIENT_INDEX,
        KeyConditionExpression: 'recipientId = :recipientId',
        FilterExpression: 'attribute_not_exists(readAt)',
        ExpressionAttributeValues: { ':recipientId': recipientId },
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const record = untyped<NotificationRecord>(item, ...DELIVERY_ONLY);
        if (record) found.push(record);
      }
    }
    return found;
  }

  async markRead(id: string, recipientId: string, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id },
          UpdateExpression: 'SET readAt = :at',
          // Only the recipient's own, and only once: a second mark keeps the first time.
          ConditionExpression: 'recipientId = :recipientId AND attribute_not_exists(readAt)',
          ExpressionAttributeValues: { ':recipientId': recipientId, ':at': at },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }
}
