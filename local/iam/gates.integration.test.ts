import { CreateTableCommand, DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudAssembly, FunctionDefinition } from '../assembly';
import { type DynamoDbLocal, LOCAL_REGION, startDynamoDbLocal } from '../dynamodb';
import { type Mail, readMailbox, startMail } from '../mail';
import { freePort } from '../process-utils';
import { type IamGates, startIamGates } from '.';
import { statementsOf } from './policy';
import { createPrincipals, type Principals } from './principals';

const TABLE = 'Member-local';
const TABLE_ARN = `arn:aws:dynamodb:${LOCAL_REGION}:000000000000:table/${TABLE}`;
const POOL_ARN = `arn:aws:cognito-idp:${LOCAL_REGION}:000000000000:userpool/us-east-1_pool`;
const IDENTITY_ARN = `arn:aws:ses:${LOCAL_REGION}:000000000000:identity/steward@parish.example`;

/** A function of the backend with the given role policy, as the synth would describe it. */
const fn = (name: string, statements: unknown[]): FunctionDefinition => ({
  logicalId: name,
  name,
  codeDirectory: '/nonexistent',
  handler: 'index.handler',
  environment: {},
  timeoutSeconds: 3,
  memoryMB: 128,
  runtime: 'nodejs24.x',
  roleArn: `arn:aws:iam::000000000000:role/${name}Role`,
  policy: statementsOf({ Statement: statements }),
});

const FUNCTIONS = [
  // What grantReadWriteData gives an Amplify model table: the table, not its indexes.
  fn('tableOnly', [{ Effect: 'Allow', Action: ['dynamodb:Query'], Resource: TABLE_ARN }]),
  fn('withIndexes', [
    { Effect: 'Allow', Action: ['dynamodb:Query'], Resource: [TABLE_ARN, `${TABLE_ARN}/index/*`] },
    { Effect: 'Allow', Action: ['ses:SendEmail'], Resource: IDENTITY_ARN },
    { Effect: 'Allow', Action: ['cognito-idp:AdminGetUser'], Resource: POOL_ARN },
  ]),
];

describe('the IAM gates in front of the local DynamoDB and SES', () => {
  let dynamodb: DynamoDbLocal;
  let mail: Mail;
  let gates: IamGates;
  let principals: Principals;

  beforeAll(async () => {
    [dynamodb, mail] = await Promise.all([
      freePort().then((port) => startDynamoDbLocal({ port })),
      freePort().then((port) => startMail({ port })),
    ]);
    const raw = new DynamoDBClient({
      endpoint: dynamodb.endpoint,
      region: LOCAL_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await raw.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'email', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byEmail',
            KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
    raw.destroy();
    principals = createPrincipals(FUNCTIONS, LOCAL_REGION);
    const assembly = { emailIdentities: ['steward@parish.example'] } as CloudAssembly;
    gates = await startIamGates({
      assembly,
      principals,
      dynamoDb: dynamodb.endpoint,
      mail: mail.endpoint,
      cognito: mail.endpoint,
    });
  });

  afterAll(async () => {
    await gates?.stop();
    await Promise.all([dynamodb?.stop(), mail?.stop()]);
  });

  const credentialsOf = (name: string) => {
    const { accessKeyId, secretAccessKey } = principals.forFunction(name);
    return { accessKeyId, secretAccessKey };
  };
  const dynamoAs = (name: string) =>
    new DynamoDBClient({
      endpoint: gates.dynamoDb,
      region: LOCAL_REGION,
      credentials: credentialsOf(name),
      maxAttempts: 1,
    });
  const queryIndex = new QueryCommand({
    TableName: TABLE,
    IndexName: 'byEmail',
    KeyConditionExpression: 'email = :e',
    ExpressionAttributeValues: { ':e': { S: 'ruth@parish.example' } },
  });

  it('refuses a Query of an index whose ARN the policy lacks, as AWS does', async () => {
    const error = await dynamoAs('tableOnly')
      .send(queryIndex)
      .then(
        () => undefined,
        (err: unknown) => err as Error,
      );
    expect(error?.name).toBe('AccessDeniedException');
    expect(error?.message).toBe(
      `User: arn:aws:sts::000000000000:assumed-role/tableOnlyRole/tableOnly is not authorized to perform: dynamodb:Query on resource: ${TABLE_ARN}/index/byEmail because no identity-based policy allows the dynamodb:Query action`,
    );
  });

  it('lets the same Query through once the index is granted', async () => {
    const answer = await dynamoAs('withIndexes').send(queryIndex);
    expect(answer.Items).toEqual([]);
  });

  it('refuses a key that belongs to no function', async () => {
    const stranger = new DynamoDBClient({
      endpoint: gates.dynamoDb,
      region: LOCAL_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    await expect(stranger.send(queryIndex)).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
    });
  });

  const sesAs = (name: string) =>
    new SESv2Client({
      endpoint: gates.mail,
      region: LOCAL_REGION,
      credentials: credentialsOf(name),
      maxAttempts: 1,
    });
  const email = (from: string, subject: string) =>
    new SendEmailCommand({
      FromEmailAddress: from,
      Destination: { ToAddresses: ['ruth@parish.example'] },
      Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: 'Hello' } } } },
    });

  it('sends from the verified identity the policy names, and refuses everything else', async () => {
    const sent = await sesAs('withIndexes').send(
      email('Steward <steward@parish.example>', 'allowed'),
    );
    expect(sent.MessageId).toBeTruthy();
    // No ses:SendEmail on the identity: refused by IAM before SES looks at the sender.
    await expect(
      sesAs('tableOnly').send(email('steward@parish.example', 'no permission')),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    // An address no identity verifies: IAM first (not granted), so AccessDenied as well ...
    await expect(
      sesAs('withIndexes').send(email('eve@elsewhere.example', 'unverified')),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    const subjects = (await readMailbox(mail.url)).map((m) => m.subject);
    expect(subjects).toEqual(['allowed']);
  });

  it('rejects mail from an unverified address even when IAM allows any identity', async () => {
    const anyIdentity = createPrincipals(
      [fn('anySender', [{ Effect: 'Allow', Action: 'ses:SendEmail', Resource: '*' }])],
      LOCAL_REGION,
    );
    const gate = await startIamGates({
      assembly: { emailIdentities: ['parish.example'] } as CloudAssembly,
      principals: anyIdentity,
      dynamoDb: dynamodb.endpoint,
      mail: mail.endpoint,
      cognito: mail.endpoint,
    });
    try {
      const { accessKeyId, secretAccessKey } = anyIdentity.forFunction('anySender');
      const ses = new SESv2Client({
        endpoint: gate.mail,
        region: LOCAL_REGION,
        credentials: { accessKeyId, secretAccessKey },
        maxAttempts: 1,
      });
      await expect(ses.send(email('eve@elsewhere.example', 'spoofed'))).rejects.toMatchObject({
        name: 'MessageRejected',
        message: expect.stringContaining('Email address is not verified') as unknown,
      });
      // A domain identity verifies every address of its domain.
      await expect(ses.send(email('anyone@parish.example', 'domain'))).resolves.toMatchObject({
        MessageId: expect.any(String) as unknown,
      });
      const subjects = (await readMailbox(mail.url)).map((m) => m.subject);
      expect(subjects).not.toContain('spoofed');
      expect(subjects).toContain('domain');
    } finally {
      await gate.stop();
    }
  });

  it('refuses a Cognito admin call the role does not allow, and passes one it does', async () => {
    const cognitoAs = (name: string) =>
      new CognitoIdentityProviderClient({
        endpoint: gates.cognito,
        region: LOCAL_REGION,
        credentials: credentialsOf(name),
        maxAttempts: 1,
      });
    const lookup = new AdminGetUserCommand({ UserPoolId: 'us-east-1_pool', Username: 'ruth' });
    await expect(cognitoAs('tableOnly').send(lookup)).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(
        `not authorized to perform: cognito-idp:AdminGetUser on resource: ${POOL_ARN}`,
      ) as unknown,
    });
    // Allowed: the gate forwards it (here to a server that is no Cognito, so some other error).
    const forwarded = await cognitoAs('withIndexes')
      .send(lookup)
      .then(
        () => undefined,
        (err: unknown) => err as Error,
      );
    expect(forwarded?.name).not.toBe('AccessDeniedException');
  });
});
