import { createRequire } from 'node:module';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudAssembly } from '../assembly';
import { readCloudAssembly } from '../cloud-assembly';
import { PROJECT_ROOT, SYNTH_CACHE } from '../paths';
import { freePort } from '../process-utils';
import { synthesize } from '../synth';
import { startTestDynamoDb, type TestDynamoDb } from '../testing/dynamodb-local';
import { type AppSyncServer, startAppSync } from './index';
import { TestRealtimeClient } from './test-realtime-client';
import {
  cognitoClaims,
  createTestKey,
  signToken,
  startJwksServer,
  unsignedToken,
} from './test-tokens';

const issuer = 'https://cognito-idp.localhost/local_pool';
const clientId = 'local-client';
const key = createTestKey('CognitoLocal');

type Jwks = Awaited<ReturnType<typeof startJwksServer>>;

function tokenFor(sub: string, groups: string[], lifetimeSeconds = 3600): string {
  return signToken(key, cognitoClaims({ issuer, clientId, sub, groups, lifetimeSeconds }));
}

async function graphql(
  server: AppSyncServer,
  token: string | undefined,
  query: string,
  variables: Record<string, unknown> = {},
) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      data?: Record<string, unknown>;
      errors?: Record<string, unknown>[];
    },
  };
}

function authHeader(server: AppSyncServer, token: string) {
  return { host: new URL(server.url).host, Authorization: token };
}

/** A small hand-made API: a VTL subscription using the generated model filter template, and a JS query. */
const handMade: CloudAssembly = {
  directory: '',
  modelIntrospection: {},
  tables: [],
  functions: [],
  eventSourceMappings: [],
  userPool: {
    triggers: {},
    usernameAttributes: [],
    autoVerifiedAttributes: [],
    passwordPolicy: {},
    schema: [],
  },
  schema: /* GraphQL */ `
    input StringF {
      eq: String
      ne: String
      in: [String]
      notIn: [String]
      beginsWith: String
      containsAny: [String]
    }
    input IntF {
      gt: Int
      lt: Int
      between: [Int]
    }
    input ThingF {
      group: StringF
      score: IntF
      tags: StringF
      and: [ThingF]
      or: [ThingF]
    }
    type Thing @aws_cognito_user_pools {
      id: ID!
      group: String!
      score: Int
      tags: [String]
    }
    type Query {
      whoAmI(greeting: String): String @aws_cognito_user_pools
    }
    type Mutation {
      publishThing(id: ID!, group: String!, score: Int, tags: [String]): Thing
        @aws_cognito_user_pools
    }
    type Subscription {
      onThing(filter: ThingF): Thing
        @aws_subscribe(mutations: ["publishThing"])
        @aws_cognito_user_pools
    }
    schema {
      query: Query
      mutation: Mutation
      subscription: Subscription
    }
  `,
  dataSources: [{ name: 'NONE_DS', type: 'NONE' }],
  pipelineFunctions: [],
  resolvers: [
    {
      typeName: 'Mutation',
      fieldName: 'publishThing',
      kind: 'UNIT',
      dataSourceName: 'NONE_DS',
      runtime: 'VTL',
      requestTemplate: '{"version":"2018-05-29","payload": $util.toJson($ctx.args)}',
      responseTemplate: '$util.toJson($ctx.result)',
    },
    {
      typeName: 'Subscription',
      fieldName: 'onThing',
      kind: 'UNIT',
      dataSourceName: 'NONE_DS',
      runtime: 'VTL',
      requestTemplate: '{"version":"2018-05-29","payload":{}}',
      responseTemplate: [
        '#if( !$util.isNullOrEmpty($ctx.args.filter) )',
        '$extensions.setSubscriptionFilter($util.transform.toSubscriptionFilter($ctx.args.filter))',
        '#end',
        '$util.toJson(null)',
      ].join('\n'),
    },
    {
      typeName: 'Query',
      fieldName: 'whoAmI',
      kind: 'UNIT',
      dataSourceName: 'NONE_DS',
      runtime: 'APPSYNC_JS',
      code: `import { util } from '@aws-appsync/utils';
        export function request(ctx) { return { payload: ctx.args.greeting + ' ' + ctx.identity.sub + ' ' + ctx.identity.groups.join('|') }; }
        export function response(ctx) { if (ctx.args.greeting === 'boom') util.error('no', 'Nope'); return ctx.result; }`,
    },
  ],
};

const ON_THING = 'subscription S($filter: ThingF) { onThing(filter: $filter) { id } }';
const PUBLISH =
  'mutation P($id: ID!, $group: String!, $score: Int, $tags: [String]) { publishThing(id: $id, group: $group, score: $score, tags: $tags) { id } }';

describe('startAppSync with a hand-made assembly', () => {
  let jwks: Jwks;
  let server: AppSyncServer;
  const token = tokenFor('user-1', ['org-a', 'org-a:MANAGER']);

  beforeAll(async () => {
    jwks = await startJwksServer([key]);
    server = await startAppSync({
      assembly: handMade,
      port: await freePort(),
      dynamoDbEndpoint: 'http://127.0.0.1:1',
      invokeFunction: () => Promise.reject(new Error('no functions')),
      auth: { issuer, jwksUri: jwks.jwksUri, userPoolId: 'local_pool', clientId },
      iam: { accessKeyId: 'ASIATEST', secretAccessKey: 'test-secret', region: 'us-east-1' },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await jwks?.stop();
  });

  it('runs an APPSYNC_JS UNIT resolver with identity.groups set', async () => {
    const { status, body } = await graphql(server, token, 'query { whoAmI(greeting: "hi") }');
    expect(status).toBe(200);
    expect(body.data?.whoAmI).toBe('hi user-1 org-a|org-a:MANAGER');
    const failed = await graphql(server, token, 'query { whoAmI(greeting: "boom") }');
    expect(failed.body.errors?.[0]).toMatchObject({ message: 'no', errorType: 'Nope' });
  });

  it('accepts a Bearer token and refuses a forged one over HTTP before any resolver', async () => {
    expect(
      (await graphql(server, `Bearer ${token}`, 'query { whoAmI(greeting: "hi") }')).status,
    ).toBe(200);
    const forged = await graphql(
      server,
      unsignedToken(cognitoClaims({ issuer, clientId, sub: 'x', groups: ['Admin'] })),
      'query { whoAmI }',
    );
    expect(forged.status).toBe(401);
    expect(forged.body.errors?.[0]?.errorType).toBe('UnauthorizedException');
  });

  it('refuses the simulator-only /clear-data endpoint', async () => {
    const response = await fetch(server.url.replace('/graphql', '/clear-data'), {
      method: 'DELETE',
      headers: { authorization: token },
    });
    expect(response.status).toBe(404);
  });

  it('filters VTL subscriptions on the published payload, with and/or/between/beginsWith', async () => {
    const client = await TestRealtimeClient.connect(server.realtimeUrl, authHeader(server, token));
    await client.init();
    const filter = {
      or: [{ group: { eq: 'a' }, score: { between: [1, 5] } }, { group: { beginsWith: 'vip-' } }],
    };
    expect(
      (await client.subscribe('s1', ON_THING, { filter }, authHeader(server, token))).type,
    ).toBe('start_ack');
    expect((await client.subscribe('s2', ON_THING, {}, authHeader(server, token))).type).toBe(
      'start_ack',
    );
    for (const [id, group, score] of [
      ['1', 'a', 3],
      ['2', 'a', 9],
      ['3', 'b', 3],
      ['4', 'vip-x', 0],
    ] as const) {
      await graphql(server, token, PUBLISH, { id, group, score });
    }
    await client.waitFor((m) => m.id === 's2' && JSON.stringify(m.payload).includes('"4"'));
    // The selection set is only `id`: filters still see group and score, as on AWS.
    expect(client.dataFor('s1')).toEqual([
      { data: { onThing: { id: '1' } } },
      { data: { onThing: { id: '4' } } },
    ]);
    expect(client.dataFor('s2')).toHaveLength(4);
    client.close();
  });

  it.each([
    [
      'in with 6 values',
      { group: { in: ['1', '2', '3', '4', '5', '6'] } },
      'maximum value limit 5 for operator `in`',
    ],
    [
      'containsAny with 21 values',
      { tags: { containsAny: Array.from({ length: 21 }, (_, i) => `g${i}`) } },
      'maximum value limit 20',
    ],
    [
      '11 filter groups',
      { or: Array.from({ length: 11 }, (_, i) => ({ group: { eq: `g${i}` } })) },
      'maximum filter group limit 10',
    ],
  ])(
    'refuses a subscription whose filter AppSync would reject: %s',
    async (_name, filter, message) => {
      const client = await TestRealtimeClient.connect(
        server.realtimeUrl,
        authHeader(server, token),
      );
      await client.init();
      const answer = await client.subscribe('bad', ON_THING, { filter }, authHeader(server, token));
      expect(answer.type).toBe('error');
      expect(JSON.stringify(answer.payload)).toContain(message);
      client.close();
    },
  );

  it('refuses a start message whose own token is forged', async () => {
    const client = await TestRealtimeClient.connect(server.realtimeUrl, authHeader(server, token));
    await client.init();
    const forged = unsignedToken(cognitoClaims({ issuer, clientId, sub: 'x', groups: ['Admin'] }));
    const answer = await client.subscribe('f', ON_THING, {}, authHeader(server, forged));
    expect(answer.type).toBe('error');
    expect(JSON.stringify(answer.payload)).toContain('UnauthorizedException');
    client.close();
  });

  it('survives a message that is not JSON', async () => {
    const client = await TestRealtimeClient.connect(server.realtimeUrl, authHeader(server, token));
    await client.init();
    (client as unknown as { socket: { send: (s: string) => void } }).socket.send('{nope');
    await client.waitFor((m) => m.type === 'error');
    expect((await graphql(server, token, 'query { whoAmI(greeting: "still") }')).status).toBe(200);
    client.close();
  });
});

describe('startAppSync with the synthesized backend and DynamoDB Local', () => {
  let jwks: Jwks;
  let dynamo: TestDynamoDb;
  let server: AppSyncServer;
  let assembly: CloudAssembly;
  const invocations: { functionName: string; payload: Record<string, unknown> }[] = [];

  const manager = { sub: 'manager-a', token: tokenFor('manager-a', ['org-a', 'org-a:MANAGER']) };
  const memberA = { sub: 'member-a', token: tokenFor('member-a', ['org-a', 'org-a:MEMBER']) };
  const ownerB = { sub: 'owner-b', token: tokenFor('owner-b', ['org-b', 'org-b:OWNER']) };

  /** Stands in for the `api` Lambda: submitWorkOrder returns a work order of the caller. */
  async function invokeFunction(functionName: string, payload: unknown): Promise<unknown> {
    const event = payload as {
      fieldName: string;
      arguments: Record<string, unknown>;
      identity: { sub: string; groups?: string[] };
    };
    invocations.push({ functionName, payload: event as unknown as Record<string, unknown> });
    if (event.fieldName !== 'submitWorkOrder')
      throw Object.assign(new Error('unexpected'), {
        errorType: 'Test',
        errorMessage: 'unexpected',
      });
    if (event.arguments.title === 'fail') {
      throw Object.assign(new Error('Title refused'), {
        errorType: 'VALIDATION',
        errorMessage: 'Title refused',
      });
    }
    const now = new Date().toISOString();
    return {
      id: `wo-${invocations.length}`,
      organizationId: event.arguments.organizationId,
      number: invocations.length,
      title: event.arguments.title,
      status: 'OPEN',
      priority: 'MEDIUM',
      category: 'GENERAL',
      type: 'CORRECTIVE',
      requester: `${event.identity.sub}::${event.identity.sub}`,
      requesterId: event.identity.sub,
      readGroups: [`${event.arguments.organizationId}:MANAGER`],
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
  }

  beforeAll(async () => {
    const { directory } = await synthesize({ root: PROJECT_ROOT, cacheDirectory: SYNTH_CACHE });
    assembly = await readCloudAssembly(directory);
    jwks = await startJwksServer([key]);
    dynamo = await startTestDynamoDb(assembly.tables);
    server = await startAppSync({
      assembly,
      port: await freePort(),
      dynamoDbEndpoint: dynamo.endpoint,
      invokeFunction,
      auth: { issuer, jwksUri: jwks.jwksUri, userPoolId: 'local_pool', clientId },
      iam: { accessKeyId: 'ASIATEST', secretAccessKey: 'test-secret', region: 'us-east-1' },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await dynamo?.stop();
    await jwks?.stop();
  });

  const SUBMIT =
    'mutation S($o: ID!, $t: String!) { submitWorkOrder(organizationId: $o, title: $t) { id title } }';
  const ON_CHANGED =
    'subscription C($o: ID!) { onWorkOrderChanged(organizationId: $o) { id title } }';

  it('resolves graphql to the simulator’s own 15.x copy', () => {
    const simulatorRequire = createRequire(
      createRequire(import.meta.url).resolve('@aws-amplify/amplify-appsync-simulator'),
    );
    expect((simulatorRequire('graphql/package.json') as { version: string }).version).toMatch(
      /^15\./,
    );
  });

  it('runs the generated VTL against DynamoDB Local, scoped by the token groups', async () => {
    const table = assembly.tables.find((t) => t.modelName === 'Organization');
    expect(table).toBeDefined();
    const now = new Date().toISOString();
    await dynamo.client.send(
      new PutItemCommand({
        TableName: table?.tableName,
        Item: {
          id: { S: 'org-a' },
          name: { S: 'Org A' },
          slug: { S: 'org-a' },
          plan: { S: 'FREE' },
          status: { S: 'ACTIVE' },
          ownerId: { S: 'manager-a' },
          workOrderCounter: { N: '0' },
          memberCount: { N: '1' },
          createdAt: { S: now },
          updatedAt: { S: now },
          __typename: { S: 'Organization' },
        },
      }),
    );
    const query = 'query { getOrganization(id: "org-a") { id name } }';
    expect((await graphql(server, manager.token, query)).body.data?.getOrganization).toEqual({
      id: 'org-a',
      name: 'Org A',
    });
    const foreign = await graphql(server, ownerB.token, query);
    expect(foreign.body.data?.getOrganization ?? null).toBeNull();
    expect(foreign.body.errors?.[0]?.errorType).toBe('Unauthorized');
  });

  it('routes Lambda data sources to invokeFunction, with identity and errors as AppSync has them', async () => {
    const { body } = await graphql(server, manager.token, SUBMIT, { o: 'org-a', t: 'Leak' });
    expect(body.data?.submitWorkOrder).toMatchObject({ title: 'Leak' });
    const call = invocations.at(-1);
    expect(call?.functionName).toBe('api');
    expect(call?.payload).toMatchObject({
      fieldName: 'submitWorkOrder',
      arguments: { organizationId: 'org-a', title: 'Leak' },
    });
    expect((call?.payload.identity as { groups?: string[] }).groups).toEqual([
      'org-a',
      'org-a:MANAGER',
    ]);
    const failed = await graphql(server, manager.token, SUBMIT, { o: 'org-a', t: 'fail' });
    expect(failed.body.errors?.[0]).toMatchObject({
      message: 'Title refused',
      errorType: 'VALIDATION',
    });
  });

  it('delivers a custom mutation to onWorkOrderChanged subscribers of that organization only (APPSYNC_JS handler)', async () => {
    const a = await TestRealtimeClient.connect(
      server.realtimeUrl,
      authHeader(server, manager.token),
    );
    const member = await TestRealtimeClient.connect(
      server.realtimeUrl,
      authHeader(server, memberA.token),
      'query',
    );
    const b = await TestRealtimeClient.connect(
      server.realtimeUrl,
      authHeader(server, ownerB.token),
    );
    for (const c of [a, member, b]) await c.init();
    const ack = await a.subscribe(
      'a',
      ON_CHANGED,
      { o: 'org-a' },
      authHeader(server, manager.token),
    );
    expect(ack, JSON.stringify(ack)).toMatchObject({ type: 'start_ack' });
    expect(
      (await member.subscribe('m', ON_CHANGED, { o: 'org-a' }, authHeader(server, memberA.token)))
        .type,
    ).toBe('start_ack');
    expect(
      (await b.subscribe('b', ON_CHANGED, { o: 'org-b' }, authHeader(server, ownerB.token))).type,
    ).toBe('start_ack');

    await graphql(server, manager.token, SUBMIT, { o: 'org-a', t: 'A by manager' });
    await graphql(server, memberA.token, SUBMIT, { o: 'org-a', t: 'A by member' });
    await graphql(server, ownerB.token, SUBMIT, { o: 'org-b', t: 'B by owner' });
    await b.waitFor((m) => m.type === 'data');
    await a.waitFor((m) => m.type === 'data' && JSON.stringify(m.payload).includes('A by member'));
    await member.waitFor((m) => m.type === 'data');
    await new Promise((r) => setTimeout(r, 200));

    const titles = (c: TestRealtimeClient, id: string) =>
      c
        .dataFor(id)
        .map(
          (p) =>
            (p as { data: { onWorkOrderChanged: { title: string } } }).data.onWorkOrderChanged
              .title,
        );
    expect(titles(a, 'a')).toEqual(['A by manager', 'A by member']);
    // A MEMBER's filter is on requesterId, which the subscriber did not select: evaluated on the payload.
    expect(titles(member, 'm')).toEqual(['A by member']);
    expect(titles(b, 'b')).toEqual(['B by owner']);
    for (const c of [a, member, b]) c.close();
  });

  it('refuses a subscription the handler rejects with util.unauthorized()', async () => {
    const b = await TestRealtimeClient.connect(
      server.realtimeUrl,
      authHeader(server, ownerB.token),
    );
    await b.init();
    const answer = await b.subscribe(
      'x',
      ON_CHANGED,
      { o: 'org-a' },
      authHeader(server, ownerB.token),
    );
    expect(answer.type).toBe('error');
    expect(JSON.stringify(answer.payload)).toContain('Unauthorized');
    b.close();
  });

  it('answers 401 to an unsigned or expired token over HTTP', async () => {
    const query = 'query { getOrganization(id: "org-a") { id } }';
    for (const token of [undefined, tokenFor('manager-a', ['org-a'], -10)]) {
      const { status, body } = await graphql(server, token, query);
      expect(status).toBe(401);
      expect(body).toEqual({
        errors: [{ errorType: 'UnauthorizedException', message: expect.any(String) }],
      });
    }
  });

  it('refuses an expired or missing token in the WebSocket handshake with connection_error and a close', async () => {
    for (const header of [
      authHeader(server, tokenFor('manager-a', ['org-a'], -10)),
      { host: 'x' },
    ]) {
      const client = await TestRealtimeClient.connect(server.realtimeUrl, header);
      const error = await client.waitFor((m) => m.type === 'connection_error');
      expect(JSON.stringify(error.payload)).toContain('UnauthorizedException');
      expect(await client.closed()).toBe(1008);
    }
  });
});
