import { defineBackend } from '@aws-amplify/backend';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { auth } from './auth/resource';
import { postConfirmation } from './auth/post-confirmation/resource';
import { data } from './data/resource';
import { api } from './functions/api/resource';
import { notifier } from './functions/notifier/resource';
import { createProfileTable } from './custom/profile-table';
import { wireNotifier } from './custom/notification-stream';
import {
  limitGraphqlRequests,
  rateLimitGraphqlApi,
  rateLimitsFromEnvironment,
} from './custom/api-protection';
import { deploymentTypeOf, mailSettingsFrom } from './custom/deployment';
import { protectOrganizationData } from './custom/data-protection';
import { createSenderIdentity, grantSendFrom, sendCognitoEmailThroughSes } from './custom/mail';
import { grantTable } from './custom/table-access';
import { acknowledgeNagFindings, checkWithNag } from './custom/nag';

/** Wiring only: each resource is defined in its own folder. */
const backend = defineBackend({ auth, data, api, notifier, postConfirmation });
const deployment = deploymentTypeOf(backend.stack);
// Fails a branch synth without a sender and an app URL, with what to set.
const mail = mailSettingsFrom(process.env, deployment);

const tables = backend.data.resources.tables;
/** A model's table; a missing one is a wiring mistake, so fail the synth loudly. */
const tableOf = (model: string): ITable => {
  const table = tables[model];
  if (!table) throw new Error(`amplify/backend.ts: the data schema has no model ${model}`);
  return table;
};
const userPool = backend.auth.resources.userPool;
const { cfnUserPool, cfnIdentityPool } = backend.auth.resources.cfnResources;
// Nothing in Steward is for signed-out visitors: no guest credentials from the identity pool.
cfnIdentityPool.allowUnauthenticatedIdentities = false;

const profiles = createProfileTable(userPool);
profiles.grantReadWriteData(backend.postConfirmation.resources.lambda);
backend.postConfirmation.addEnvironment('PROFILE_TABLE', profiles.tableName);

const apiLambda = backend.api.resources.lambda;
for (const [model, table] of Object.entries(tables)) {
  grantTable(table, apiLambda, 'readwrite');
  backend.api.addEnvironment(`${model.toUpperCase()}_TABLE`, table.tableName);
}
profiles.grantReadWriteData(apiLambda);
backend.api.addEnvironment('PROFILE_TABLE', profiles.tableName);
backend.api.addEnvironment('USER_POOL_ID', userPool.userPoolId);
apiLambda.addToRolePolicy(
  new PolicyStatement({
    effect: Effect.ALLOW,
    actions: [
      'cognito-idp:CreateGroup',
      'cognito-idp:GetGroup',
      'cognito-idp:AdminAddUserToGroup',
      'cognito-idp:AdminRemoveUserFromGroup',
      'cognito-idp:AdminGetUser',
      'cognito-idp:ListUsers',
    ],
    resources: [userPool.userPoolArn],
  }),
);

const notifierLambda = backend.notifier.resources.lambda;
// Work-order changes (assignment, status) and memberships (invitations) are what people hear about.
const notifierFailures = wireNotifier(notifierLambda, [
  tableOf('WorkOrder'),
  tableOf('OrganizationMember'),
  tableOf('InventoryItem'),
]);
for (const model of [
  'Notification',
  'Organization',
  'OrganizationMember',
  'WorkOrder',
  'InventoryItem',
]) {
  grantTable(tableOf(model), notifierLambda, 'readwrite');
  backend.notifier.addEnvironment(`${model.toUpperCase()}_TABLE`, tableOf(model).tableName);
}
profiles.grantReadData(notifierLambda);
backend.notifier.addEnvironment('PROFILE_TABLE', profiles.tableName);

// Email: one SES identity (the sender's domain with DKIM, or its address), the only one the
// notifier may send from; Cognito's codes through it too once it is verified.
const mailStack = backend.createStack('mail');
const senderIdentity = createSenderIdentity(mailStack, mail);
grantSendFrom(notifierLambda, senderIdentity);
if (mail.cognitoThroughSes) sendCognitoEmailThroughSes(cfnUserPool, mail, senderIdentity);
backend.notifier.addEnvironment('MAIL_FROM', mail.from);
backend.notifier.addEnvironment('APP_URL', mail.appUrl);

const publishNotificationArn = `${backend.data.resources.graphqlApi.arn}/types/Mutation/fields/publishNotification`;
// The schema's resource rule lets the notifier (IAM) call every mutation; it needs one.
notifierLambda.addToRolePolicy(
  new PolicyStatement({
    effect: Effect.DENY,
    actions: ['appsync:GraphQL'],
    notResources: [publishNotificationArn],
  }),
);
// The data construct also grants publishNotification to the identity pool's signed-in role;
// people must never publish, so deny that.
backend.auth.resources.authenticatedUserIamRole.attachInlinePolicy(
  new Policy(backend.data.stack, 'NoPublishByPeople', {
    statements: [
      new PolicyStatement({
        effect: Effect.DENY,
        actions: ['appsync:GraphQL'],
        resources: [publishNotificationArn],
      }),
    ],
  }),
);

// A branch holds organizations' real data: recoverable, and never deleted with the stack.
if (deployment === 'branch') {
  protectOrganizationData({ data: backend.data, profiles, userPool: cfnUserPool });
}

// Depth, resolver-count and introspection limits on every request, and a tunable rate limit.
const graphqlApi = backend.data.resources.cfnResources.cfnGraphqlApi;
limitGraphqlRequests(graphqlApi);
const rateLimits = rateLimitsFromEnvironment(process.env);
if (rateLimits) rateLimitGraphqlApi(graphqlApi, rateLimits);

// cdk-nag over the whole backend (tests/deployment.test.ts); what is deliberate is acknowledged.
acknowledgeNagFindings({
  root: backend.stack,
  data: backend.data.stack,
  functions: [apiLambda, notifierLambda, backend.postConfirmation.resources.lambda],
  userPool: userPool,
  graphqlApi,
  notifierFailures,
});
if (process.env.STEWARD_NAG === '1') checkWithNag(backend.stack.node.root);
