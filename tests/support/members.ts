import {
  AdminAddUserToGroupCommand,
  CreateGroupCommand,
  GroupExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { memberItem } from '../../amplify/functions/shared/stores/dynamo-membership-store';
import { organizationGroup, type Role, roleGroup } from '../../core/organizations/roles';
import { membershipId } from '../../core/records';
import type { LocalCognito } from '../../local/graphql-client';

/**
 * Makes someone an ACTIVE member the way the server records one — the membership item and its
 * Cognito groups — for suites that need many people in many roles at once (invitations are
 * tested through the API in tests/invitations.test.ts; here they would only add minutes).
 */
export async function seedActiveMember(options: {
  documents: DynamoDBDocumentClient;
  cognito: LocalCognito;
  table: string;
  organizationId: string;
  userId: string;
  email: string;
  role: Role;
  displayName: string;
}): Promise<void> {
  const { documents, cognito, organizationId, email, role } = options;
  const now = new Date().toISOString();
  await documents.send(
    new PutCommand({
      TableName: options.table,
      Item: memberItem({
        id: membershipId(organizationId, options.userId),
        organizationId,
        userId: options.userId,
        username: email,
        email,
        displayName: options.displayName,
        role,
        status: 'ACTIVE',
        joinedAt: now,
        version: 1,
        createdAt: now,
        updatedAt: now,
      }),
    }),
  );
  for (const group of [organizationGroup(organizationId), roleGroup(organizationId, role)]) {
    try {
      await cognito.client.send(
        new CreateGroupCommand({ UserPoolId: cognito.userPoolId, GroupName: group }),
      );
    } catch (err) {
      if (!(err instanceof GroupExistsException)) throw err;
    }
    await cognito.client.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: cognito.userPoolId,
        Username: email,
        GroupName: group,
      }),
    );
  }
}
