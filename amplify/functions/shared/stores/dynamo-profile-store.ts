import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ProfileStore } from '../../../../core/ports';
import type { NotificationPreferences, ProfileRecord } from '../../../../core/records';
import { putOnce, typed, untyped } from './dynamo-items';

/** Profiles in the profile table (`id` = Cognito sub), written at most once per user. */
export class DynamoProfileStore implements ProfileStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(id: string): Promise<ProfileRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }),
    );
    return untyped<ProfileRecord>(Item);
  }

  createOnce(profile: ProfileRecord): Promise<'CREATED' | 'EXISTS'> {
    return putOnce(this.db, this.tableName, typed('Profile', profile));
  }

  async setPreferences(
    id: string,
    preferences: NotificationPreferences,
    at: string,
  ): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { id },
        UpdateExpression: 'SET preferences = :preferences, updatedAt = :at',
        // Never create a half profile: the caller's profile is ensured first.
        ConditionExpression: 'attribute_exists(id)',
        ExpressionAttributeValues: { ':preferences': preferences, ':at': at },
      }),
    );
  }

  async setDisplayName(id: string, displayName: string, at: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { id },
        UpdateExpression: 'SET displayName = :displayName, updatedAt = :at',
        ConditionExpression: 'attribute_exists(id)',
        ExpressionAttributeValues: { ':displayName': displayName, ':at': at },
      }),
    );
  }
}
