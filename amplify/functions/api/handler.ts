import { randomBytes, randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { env } from '$amplify/env/api';
import { z } from 'zod';
import { createApiHandler } from './dispatch';
import { CognitoUserDirectory } from './stores/cognito-user-directory';
import { createDocumentClient } from '../shared/stores/dynamo-items';
import { DynamoInboxStore } from './stores/dynamo-inbox-store';
import { DynamoInventoryStore } from './stores/dynamo-inventory-store';
import { DynamoMembershipStore } from '../shared/stores/dynamo-membership-store';
import { DynamoOrganizationStore } from '../shared/stores/dynamo-organization-store';
import { DynamoProfileStore } from '../shared/stores/dynamo-profile-store';
import { DynamoWorkOrderStore } from './stores/dynamo-work-order-store';

/** Fails the cold start loudly when backend.ts did not wire a table or the pool. */
const config = z
  .object({
    ORGANIZATION_TABLE: z.string().min(1),
    ORGANIZATIONMEMBER_TABLE: z.string().min(1),
    WORKORDER_TABLE: z.string().min(1),
    WORKORDEREVENT_TABLE: z.string().min(1),
    INVENTORYITEM_TABLE: z.string().min(1),
    INVENTORYADJUSTMENT_TABLE: z.string().min(1),
    NOTIFICATION_TABLE: z.string().min(1),
    PROFILE_TABLE: z.string().min(1),
    USER_POOL_ID: z.string().min(1),
  })
  .parse(env);

const logger = new Logger({ serviceName: 'api' });
// Endpoints come from AWS_ENDPOINT_URL_* when set (the local runtime), from the region otherwise.
const db = createDocumentClient();
const cognito = new CognitoIdentityProviderClient({});

/** The AppSync Lambda resolver behind every custom query and mutation. */
export const handler = createApiHandler(
  {
    clock: { now: () => new Date() },
    ids: { uuid: randomUUID },
    secrets: { token: () => randomBytes(32).toString('base64url') },
    profiles: new DynamoProfileStore(db, config.PROFILE_TABLE),
    organizations: new DynamoOrganizationStore(db, {
      organizations: config.ORGANIZATION_TABLE,
      members: config.ORGANIZATIONMEMBER_TABLE,
    }),
    memberships: new DynamoMembershipStore(db, {
      members: config.ORGANIZATIONMEMBER_TABLE,
      organizations: config.ORGANIZATION_TABLE,
    }),
    workOrders: new DynamoWorkOrderStore(db, {
      workOrders: config.WORKORDER_TABLE,
      events: config.WORKORDEREVENT_TABLE,
      organizations: config.ORGANIZATION_TABLE,
    }),
    inventory: new DynamoInventoryStore(db, {
      items: config.INVENTORYITEM_TABLE,
      adjustments: config.INVENTORYADJUSTMENT_TABLE,
    }),
    inbox: new DynamoInboxStore(db, config.NOTIFICATION_TABLE),
    directory: new CognitoUserDirectory(cognito, config.USER_POOL_ID),
  },
  logger,
);
