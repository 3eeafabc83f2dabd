import {
  BatchGetCommand,
  GetCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { OrganizationStore } from '../../../../core/ports';
import type { MemberRecord, OrganizationRecord } from '../../../../core/records';
import { cancellationCodes, typed, untyped } from './dynamo-items';
import { memberItem } from './dynamo-membership-store';

/**
 * The key of the item that reserves a slug. It lives in the Organization table (no extra table
 * to wire) without a `slug` attribute, so it stays out of the slug index, and no token carries a
 * group equal to its id, so the generated `groupDefinedIn('id')` read rule never returns it.
 * A conditional put on it is what makes slugs unique: a GSI can only be read, eventually
 * consistently, so a check through `organizationsBySlug` would let two creators race.
 */
export const slugClaimId = (slug: string): string => `slug#${slug}`;

const BATCH_GET_LIMIT = 100;
const BATCH_GET_ROUNDS = 5;

/** Organizations, their slug claims and (at creation) their owner's membership. */
export class DynamoOrganizationStore implements OrganizationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: { organizations: string; members: string },
  ) {}

  async get(id: string): Promise<OrganizationRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tables.organizations, Key: { id }, ConsistentRead: true }),
    );
    return Item?.__typename === 'Organization' ? untyped<OrganizationRecord>(Item) : undefined;
  }

  async getMany(ids: readonly string[]): Promise<OrganizationRecord[]> {
    const found: OrganizationRecord[] = [];
    for (let start = 0; start < ids.length; start += BATCH_GET_LIMIT) {
      let keys: Record<string, unknown>[] = ids
        .slice(start, start + BATCH_GET_LIMIT)
        .map((id) => ({ id }));
      for (let round = 0; keys.length > 0; round += 1) {
        if (round === BATCH_GET_ROUNDS)
          throw new Error(`BatchGet left ${keys.length} keys unprocessed`);
        const result = await this.db.send(
          new BatchGetCommand({ RequestItems: { [this.tables.organizations]: { Keys: keys } } }),
        );
        for (const item of result.Responses?.[this.tables.organizations] ?? []) {
          const organization =
            item.__typename === 'Organization' ? untyped<OrganizationRecord>(item) : undefined;
          if (organization) found.push(organization);
        }
        keys = result.UnprocessedKeys?.[this.tables.organizations]?.Keys ?? [];
        if (keys.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
      }
    }
    return found;
  }

  async isSlugTaken(slug: string): Promise<boolean> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tables.organizations,
        Key: { id: slugClaimId(slug) },
        ConsistentRead: true,
      }),
    );
    return Item !== undefined;
  }

  async create({ organization, owner }: { organization: OrganizationRecord; owner: MemberRecord }) {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tables.organizations,
                Item: {
                  id: slugClaimId(organization.slug),
                  __typename: 'OrganizationSlug',
                  organizationId: organization.id,
                  createdAt: organization.createdAt,
                  updatedAt: organization.updatedAt,
                },
                ConditionExpression: 'attribute_not_exists(id)',
              },
            },
            {
              Put: {
                TableName: this.tables.organizations,
                Item: typed('Organization', organization),
                ConditionExpression: 'attribute_not_exists(id)',
              },
            },
            {
              Put: {
                TableName: this.tables.members,
                Item: memberItem(owner),
                ConditionExpression: 'attribute_not_exists(id)',
              },
            },
          ],
        }),
      );
      return 'CREATED' as const;
    } catch (err) {
      if (cancellationCodes(err)?.[0] === 'ConditionalCheckFailed') return 'SLUG_TAKEN' as const;
      throw err;
    }
  }

  async remove({
    organization,
    owner,
  }: {
    organization: OrganizationRecord;
    owner: MemberRecord;
  }): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: this.tables.organizations,
              Key: { id: slugClaimId(organization.slug) },
              // Never release a slug someone else holds.
              ConditionExpression: 'attribute_not_exists(id) OR organizationId = :id',
              ExpressionAttributeValues: { ':id': organization.id },
            },
          },
          { Delete: { TableName: this.tables.organizations, Key: { id: organization.id } } },
          { Delete: { TableName: this.tables.members, Key: { id: owner.id } } },
        ],
      }),
    );
  }
}
