import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NotificationRecord } from '../../../../core/records';
import { isConditionFailed, putOnce, typed } from '../../shared/stores/dynamo-items';
import type { LeasedNotificationStore } from '../invocation-budget';

/**
 * Notification deliveries in the Notification table, keyed by dedupe key. A claim is one
 * conditional UpdateItem that creates the item or takes over an unsent one whose lease expired,
 * so two deliveries of the same stream record never both send.
 */
export class DynamoNotificationStore implements LeasedNotificationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(
    record: NotificationRecord,
    leaseUntil: string,
  ): Promise<'CLAIMED' | 'SENT' | 'BUSY'> {
    const fields: Record<string, unknown> = {
      __typename: 'Notification',
      organizationId: record.organizationId,
      recipientId: record.recipientId,
      recipient: record.recipient,
      kind: record.kind,
      subject: record.subject,
      status: 'PENDING',
      updatedAt: record.updatedAt,
      leaseUntil,
      ...(record.email ? { email: record.email } : {}),
      ...(record.link ? { link: record.link } : {}),
    };
    const names: Record<string, string> = { '#attempts': 'attempts', '#createdAt': 'createdAt' };
    const values: Record<string, unknown> = {
      ':zero': 0,
      ':one': 1,
      ':createdAt': record.createdAt,
      ':sent': 'SENT',
      ':now': record.updatedAt,
    };
    const sets = Object.entries(fields).map(([key, value], i) => {
      names[`#f${i}`] = key;
      values[`:f${i}`] = value;
      return `#f${i} = :f${i}`;
    });
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id: record.id },
          UpdateExpression: `SET ${sets.join(', ')}, #attempts = if_not_exists(#attempts, :zero) + :one, #createdAt = if_not_exists(#createdAt, :createdAt)`,
          ConditionExpression:
            'attribute_not_exists(id) OR (#status <> :sent AND (attribute_not_exists(#lease) OR #lease < :now))',
          ExpressionAttributeNames: { ...names, '#status': 'status', '#lease': 'leaseUntil' },
          ExpressionAttributeValues: values,
        }),
      );
      return 'CLAIMED';
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const { Item } = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: { id: record.id }, ConsistentRead: true }),
      );
      return Item?.status === 'SENT' ? 'SENT' : 'BUSY';
    }
  }

  async leaseOf(id: string): Promise<string | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }),
    );
    return Item?.status === 'SENT' ? undefined : (Item?.leaseUntil as string | undefined);
  }

  async markSent(id: string, messageId: string, at: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { id },
        UpdateExpression:
          'SET #status = :sent, messageId = :messageId, updatedAt = :at REMOVE leaseUntil, lastError',
        ConditionExpression: 'attribute_exists(id)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sent': 'SENT', ':messageId': messageId, ':at': at },
      }),
    );
  }

  async markFailed(id: string, error: string, at: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id },
          UpdateExpression:
            'SET #status = :failed, lastError = :error, updatedAt = :at REMOVE leaseUntil',
          ConditionExpression: 'attribute_exists(id) AND #status <> :sent',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':failed': 'FAILED',
            ':error': error.slice(0, 1000),
            ':sent': 'SENT',
            ':at': at,
          },
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }

  recordUnsent(record: NotificationRecord): Promise<'CREATED' | 'EXISTS'> {
    // A redelivered record, or a delivery that already exists, keeps what it has.
    return putOnce(this.db, this.tableName, typed('Notification', record));
  }
}
