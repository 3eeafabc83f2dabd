import { Logger } from '@aws-lambda-powertools/logger';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { env } from '$amplify/env/notifier';
import { z } from 'zod';
import { createDocumentClient } from '../shared/stores/dynamo-items';
import { DynamoMembershipStore } from '../shared/stores/dynamo-membership-store';
import { DynamoOrganizationStore } from '../shared/stores/dynamo-organization-store';
import { DynamoProfileStore } from '../shared/stores/dynamo-profile-store';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { InvocationBudget, PatientMailer, PatientNotificationStore } from './invocation-budget';
import { createNotifierHandler } from './process-stream';
import { DynamoNotificationStore } from './stores/dynamo-notification-store';
import { AppSyncLivePublisher } from './stores/appsync-publisher';
import { SesMailer } from './stores/ses-mailer';

/** Fails the cold start loudly when backend.ts did not wire a table or the mail settings. */
const config = z
  .object({
    NOTIFICATION_TABLE: z.string().min(1),
    ORGANIZATION_TABLE: z.string().min(1),
    ORGANIZATIONMEMBER_TABLE: z.string().min(1),
    PROFILE_TABLE: z.string().min(1),
    MAIL_FROM: z.string().min(3),
    APP_URL: z.string().url(),
    /** The data API, for live pushes (set by the schema's resource rule for this function). */
    AMPLIFY_DATA_GRAPHQL_ENDPOINT: z.string().url(),
    AWS_REGION: z.string().min(1),
  })
  .parse(env);

const logger = new Logger({ serviceName: 'notifier' });
const db = createDocumentClient();
const tables = {
  members: config.ORGANIZATIONMEMBER_TABLE,
  organizations: config.ORGANIZATION_TABLE,
};
const ses = new SESv2Client({});
const budget = new InvocationBudget();

const notify = createNotifierHandler({
  clock: { now: () => new Date() },
  memberships: new DynamoMembershipStore(db, tables),
  organizations: new DynamoOrganizationStore(db, tables),
  profiles: new DynamoProfileStore(db, config.PROFILE_TABLE),
  notifications: new PatientNotificationStore(
    new DynamoNotificationStore(db, config.NOTIFICATION_TABLE),
    budget,
    logger,
  ),
  mailer: new PatientMailer(new SesMailer(ses), budget, logger),
  live: new AppSyncLivePublisher(
    config.AMPLIFY_DATA_GRAPHQL_ENDPOINT,
    config.AWS_REGION,
    defaultProvider(),
  ),
  mailFrom: config.MAIL_FROM,
  appUrl: config.APP_URL,
  logger,
});

/** The DynamoDB stream handler that sends notifications exactly once per change. */
export const handler = (event: DynamoDBStreamEvent, context?: Context) => {
  budget.start(context);
  return notify(event);
};
