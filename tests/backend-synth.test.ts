import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CloudAssembly } from '../local/assembly';
import { readCloudAssembly } from '../local/cloud-assembly';
import { PROJECT_ROOT, SYNTH_CACHE } from '../local/paths';
import { synthesize } from '../local/synth';

/** Every resource of every template of the synthesized backend, by type. */
function resourcesOfType(directory: string, type: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  for (const file of readdirSync(directory).filter((f) => f.endsWith('.template.json'))) {
    const template = JSON.parse(readFileSync(path.join(directory, file), 'utf8')) as {
      Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
    };
    for (const resource of Object.values(template.Resources ?? {})) {
      if (resource.Type === type) found.push(resource.Properties ?? {});
    }
  }
  return found;
}

describe('the synthesized backend', () => {
  let assembly: CloudAssembly;
  let directory: string;

  beforeAll(async () => {
    ({ directory } = await synthesize({ root: PROJECT_ROOT, cacheDirectory: SYNTH_CACHE }));
    assembly = readCloudAssembly(directory);
  });

  it('has a user pool with email sign-in, verification and the post-confirmation trigger', () => {
    expect(assembly.userPool.usernameAttributes).toEqual(['email']);
    expect(assembly.userPool.autoVerifiedAttributes).toEqual(['email']);
    expect(assembly.userPool.triggers.PostConfirmation).toBe('post-confirmation');
    const [pool] = resourcesOfType(directory, 'AWS::Cognito::UserPool');
    expect(pool?.AccountRecoverySetting).toEqual({
      RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }],
    });
  });

  it('keeps profiles in the auth stack, written only by the trigger and the api', () => {
    const profile = assembly.tables.find((t) => t.logicalId.startsWith('ProfileTable'));
    expect(profile?.keySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    const trigger = assembly.functions.find((f) => f.name === 'post-confirmation');
    expect(trigger?.environment.PROFILE_TABLE).toBe(profile?.tableName);
  });

  it.each([
    ['Organization', ['organizationsBySlug']],
    [
      'OrganizationMember',
      [
        'organizationMembersByOrganizationIdAndEmail',
        'organizationMembersByUserId',
        'organizationMembersByEmail',
      ],
    ],
    [
      'WorkOrder',
      [
        'workOrdersByOrganizationIdAndCreatedAt',
        'workOrdersByOrganizationIdAndStatusAndCreatedAt',
        'workOrdersByRequesterIdAndCreatedAt',
        'workOrdersByAssigneeIdAndCreatedAt',
        'workOrdersByOrganizationIdAndOpenDueAt',
      ],
    ],
    ['WorkOrderEvent', ['workOrderEventsByWorkOrderIdAndAt']],
    ['InventoryItem', ['inventoryItemsByOrganizationIdAndSku']],
    [
      'InventoryAdjustment',
      ['inventoryAdjustmentsByItemIdAndAt', 'inventoryAdjustmentsByWorkOrderIdAndAt'],
    ],
    ['Notification', ['notificationsByRecipientIdAndCreatedAt']],
  ])('gives %s a secondary index behind each list', (model, indexes) => {
    const table = assembly.tables.find((t) => t.modelName === model);
    expect(table?.globalSecondaryIndexes.map((i) => i.IndexName).sort()).toEqual(
      [...indexes].sort(),
    );
  });

  it('offers no request path that scans a table', () => {
    const templates = [
      ...assembly.resolvers.map((r) => (r.runtime === 'VTL' ? r.requestTemplate : r.code)),
      ...assembly.pipelineFunctions.map((f) => (f.runtime === 'VTL' ? f.requestTemplate : f.code)),
    ];
    expect(templates.length).toBeGreaterThan(20);
    for (const template of templates) expect(template).not.toMatch(/"operation"\s*:\s*"Scan"/);
    expect(assembly.schema).not.toMatch(/\blistWorkOrders\b/);
  });

  it('generates no create, update or delete mutations for tenant data', () => {
    const mutations = assembly.resolvers
      .filter((r) => r.typeName === 'Mutation')
      .map((r) => r.fieldName);
    expect(mutations.sort()).toEqual([
      'acceptInvitation',
      'addWorkOrderComment',
      'adjustInventory',
      'assignWorkOrder',
      'createInventoryItem',
      'createOrganization',
      'inviteMember',
      'markNotificationsRead',
      'publishNotification',
      'removeMember',
      'setMemberSuspended',
      'submitWorkOrder',
      'transferOwnership',
      'transitionWorkOrder',
      'updateInventoryItem',
      'updateMemberRole',
      'updateNotificationPreferences',
      'updateProfile',
    ]);
    for (const model of [
      'WorkOrder',
      'Organization',
      'OrganizationMember',
      'InventoryItem',
      'InventoryAdjustment',
      'Notification',
    ]) {
      // The generated mutations take one `input`; the custom ones of the same name take fields.
      expect(assembly.schema).not.toMatch(new RegExp(`\\b(create|update|delete)${model}\\(input:`));
    }
  });

  it('routes every business operation to the api function', () => {
    const lambdaSources = assembly.dataSources.filter((d) => d.type === 'AWS_LAMBDA');
    expect(lambdaSources.map((d) => d.type === 'AWS_LAMBDA' && d.functionName)).toEqual(
      lambdaSources.map(() => 'api'),
    );
    const api = assembly.functions.find((f) => f.name === 'api');
    expect(Object.keys(api?.environment ?? {})).toEqual(
      expect.arrayContaining([
        'WORKORDER_TABLE',
        'ORGANIZATIONMEMBER_TABLE',
        'PROFILE_TABLE',
        'USER_POOL_ID',
      ]),
    );
    // The api talks to DynamoDB directly: no SSM lookups at cold start.
    expect(api?.environment.AMPLIFY_SSM_ENV_CONFIG).toBe('{}');
  });

  it('feeds the notifier from the WorkOrder, OrganizationMember and InventoryItem streams with bounded retries, bisect, partial failures and a failure queue', () => {
    const watched = ['WorkOrder', 'OrganizationMember', 'InventoryItem'].map((model) =>
      assembly.tables.find((t) => t.modelName === model),
    );
    expect(watched.map((t) => t?.streamViewType)).toEqual([
      'NEW_AND_OLD_IMAGES',
      'NEW_AND_OLD_IMAGES',
      'NEW_AND_OLD_IMAGES',
    ]);
    expect(assembly.eventSourceMappings).toEqual(
      watched.map((table) =>
        expect.objectContaining({
          functionName: 'notifier',
          tableName: table?.tableName,
          maximumRetryAttempts: 3,
          bisectBatchOnFunctionError: true,
          reportBatchItemFailures: true,
          onFailureDestination: expect.stringContaining(':sqs:'),
        }),
      ),
    );
    expect(resourcesOfType(directory, 'AWS::SQS::Queue')).toHaveLength(1);
  });

  it('lets the notifier send email through SES', () => {
    const statements = resourcesOfType(directory, 'AWS::IAM::Policy').flatMap(
      (p) => (p.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement,
    );
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions).toEqual(expect.arrayContaining(['ses:SendEmail', 'ses:SendRawEmail']));
  });

  it('publishes stock changes to a per-organization subscription', () => {
    expect(assembly.schema).toMatch(
      /onInventoryChanged\(organizationId: ID!\): InventoryItem!\s*@aws_subscribe\(mutations: \["createInventoryItem", ?"updateInventoryItem", ?"adjustInventory"\]\)/,
    );
    expect(assembly.resolvers.find((r) => r.fieldName === 'onInventoryChanged')?.kind).toBe(
      'PIPELINE',
    );
  });

  it('filters the custom subscription with an APPSYNC_JS handler', () => {
    const subscription = assembly.resolvers.find((r) => r.fieldName === 'onWorkOrderChanged');
    expect(subscription?.kind).toBe('PIPELINE');
    expect(assembly.schema).toMatch(
      /onWorkOrderChanged\(organizationId: ID!\): WorkOrder!\s*@aws_subscribe\(mutations: \["submitWorkOrder", ?"assignWorkOrder", ?"transitionWorkOrder"\]\)/,
    );
    const handlers = assembly.pipelineFunctions.filter((f) => f.runtime === 'APPSYNC_JS');
    expect(
      handlers.some(
        (fn) => fn.runtime === 'APPSYNC_JS' && fn.code.includes('setSubscriptionFilter'),
      ),
    ).toBe(true);
  });

  it('lets only the notifier publish live notifications, with no Lambda: IAM, and a group no person is in', () => {
    expect(assembly.schema).toMatch(
      /publishNotification\([^)]*\): LiveNotification! @aws_cognito_user_pools\(cognito_groups: \["steward-services-only"\]\) @aws_iam\n/,
    );
    // Every step of its resolver is APPSYNC_JS on a NONE data source: no Lambda is invoked.
    const publish = assembly.resolvers.find((r) => r.fieldName === 'publishNotification');
    expect(publish?.kind).toBe('PIPELINE');
    const steps = (publish?.kind === 'PIPELINE' ? publish.functions : []).map((id) =>
      assembly.pipelineFunctions.find((f) => f.id === id),
    );
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) {
      const source = assembly.dataSources.find((d) => d.name === step?.dataSourceName);
      expect(source?.type).toBe('NONE');
    }
    expect(
      steps.some((f) => f?.runtime === 'APPSYNC_JS' && f.code.includes('Only Steward itself')),
    ).toBe(true);
    expect(assembly.schema).toMatch(
      /onNotification: LiveNotification! @aws_subscribe\(mutations: \["publishNotification"\]\)/,
    );
    const notifier = assembly.functions.find((f) => f.name === 'notifier');
    expect(notifier?.environment.AMPLIFY_DATA_GRAPHQL_ENDPOINT).toBe('{{graphqlUrl}}');
    expect(notifier?.environment.AMPLIFY_SSM_ENV_CONFIG).toBe('{}');
    type Statement = {
      Effect: string;
      Action: string | string[];
      Resource?: unknown;
      NotResource?: unknown;
    };
    const statementsOf = (p: Record<string, unknown>) =>
      (p.PolicyDocument as { Statement: Statement[] }).Statement;
    const graphqlGrants = resourcesOfType(directory, 'AWS::IAM::Policy').flatMap((p) =>
      statementsOf(p)
        .filter((s) => s.Action === 'appsync:GraphQL')
        .map((s) => ({ ...s, roles: JSON.stringify(p.Roles) })),
    );
    expect(
      graphqlGrants.some(
        (g) =>
          g.Effect === 'Allow' &&
          g.roles.includes('notifier') &&
          JSON.stringify(g.Resource).includes('/types/Mutation/*'),
      ),
    ).toBe(true);
    const denied = graphqlGrants.filter((g) => g.Effect === 'Deny');
    expect(denied).toHaveLength(2);
    // People (the identity pool's signed-in role) may never publish ...
    const people = denied.find((g) => /authenticatedUserRole/.test(g.roles));
    expect(JSON.stringify(people?.Resource)).toContain(
      '/types/Mutation/fields/publishNotification',
    );
    // ... and the notifier may call nothing but publishNotification.
    const notifierDeny = denied.find((g) => g.roles.includes('notifier'));
    expect(notifierDeny?.Resource).toBeUndefined();
    expect(JSON.stringify(notifierDeny?.NotResource)).toContain(
      '/types/Mutation/fields/publishNotification',
    );
  });

  it('limits every request: depth 10, 800 resolvers, no introspection, read back by the local runtime', () => {
    const [api] = resourcesOfType(directory, 'AWS::AppSync::GraphQLApi');
    expect(api).toMatchObject({
      QueryDepthLimit: 10,
      ResolverCountLimit: 800,
      IntrospectionConfig: 'DISABLED',
    });
    expect(assembly.graphqlApi).toMatchObject({
      queryDepthLimit: 10,
      resolverCountLimit: 800,
      introspection: false,
    });
  });

  it('rate-limits the API with an AWS WAF web ACL: per caller and per address, 429 with a typed body', () => {
    const [acl] = resourcesOfType(directory, 'AWS::WAFv2::WebACL');
    const [association] = resourcesOfType(directory, 'AWS::WAFv2::WebACLAssociation');
    expect(acl?.Scope).toBe('REGIONAL');
    type Rule = {
      Name: string;
      Action: { Block: { CustomResponse: { ResponseCode: number } } };
      Statement: { RateBasedStatement: Record<string, unknown> };
    };
    const rules = acl?.Rules as Rule[];
    expect(rules.map((r) => [r.Name, r.Statement.RateBasedStatement])).toEqual([
      [
        'PerCallerRate',
        expect.objectContaining({
          AggregateKeyType: 'CUSTOM_KEYS',
          CustomKeys: [
            expect.objectContaining({ Header: expect.objectContaining({ Name: 'authorization' }) }),
          ],
          EvaluationWindowSec: 300,
          Limit: 15_000,
        }),
      ],
      ['PerIpRate', expect.objectContaining({ AggregateKeyType: 'IP', Limit: 75_000 })],
    ]);
    expect(rules.every((r) => r.Action.Block.CustomResponse.ResponseCode === 429)).toBe(true);
    expect(JSON.stringify(association?.ResourceArn)).toMatch(/GraphQLAPI.*Arn/);
    expect(JSON.stringify(association?.WebACLArn)).toContain('GraphqlRateLimit');
    expect(JSON.parse(assembly.graphqlApi?.rateLimit?.responseBody ?? '{}')).toMatchObject({
      errors: [{ errorType: 'TooManyRequestsException' }],
    });
  });
});
