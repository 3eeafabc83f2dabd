import { describe, expect, it } from 'vitest';
import { dynamoDbPermissions } from './dynamodb-permissions';
import { evaluatePolicy, statementsOf } from './policy';

const TABLE = 'arn:aws:dynamodb:us-east-1:000000000000:table/WorkOrder-local';
const tableArn = (name: string) => `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`;
/** What CDK's grantReadWriteData writes for a table handle that knows no indexes. */
const grantWithoutIndexes = statementsOf({
  Statement: [
    {
      Effect: 'Allow',
      Action: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem'],
      Resource: TABLE,
    },
  ],
});

describe('IAM policy evaluation', () => {
  it('allows an action on a listed resource and nothing else', () => {
    expect(evaluatePolicy(grantWithoutIndexes, 'dynamodb:Query', TABLE)).toBe('allow');
    expect(evaluatePolicy(grantWithoutIndexes, 'dynamodb:DeleteItem', TABLE)).toBe('implicit-deny');
    expect(evaluatePolicy(grantWithoutIndexes, 'dynamodb:Query', tableArn('Other-local'))).toBe(
      'implicit-deny',
    );
  });

  it('refuses a Query of an index when only the table is granted (amplify-backend#3054)', () => {
    const [permission = { action: '', resource: '' }] = dynamoDbPermissions(
      'Query',
      { TableName: 'WorkOrder-local', IndexName: 'byOrganization' },
      tableArn,
    );
    expect(permission).toEqual({
      action: 'dynamodb:Query',
      resource: `${TABLE}/index/byOrganization`,
    });
    expect(evaluatePolicy(grantWithoutIndexes, permission.action, permission.resource)).toBe(
      'implicit-deny',
    );
    const withIndexes = statementsOf({
      Statement: [
        { Effect: 'Allow', Action: 'dynamodb:Query', Resource: [TABLE, `${TABLE}/index/*`] },
      ],
    });
    expect(evaluatePolicy(withIndexes, permission.action, permission.resource)).toBe('allow');
  });

  it('lets an explicit deny win over any allow, also through NotResource', () => {
    const api = 'arn:aws:appsync:us-east-1:000000000000:apis/local';
    const statements = statementsOf({
      Statement: [
        { Effect: 'Allow', Action: 'appsync:GraphQL', Resource: `${api}/types/Mutation/*` },
        {
          Effect: 'Deny',
          Action: 'appsync:GraphQL',
          NotResource: `${api}/types/Mutation/fields/publishNotification`,
        },
      ],
    });
    expect(
      evaluatePolicy(
        statements,
        'appsync:GraphQL',
        `${api}/types/Mutation/fields/publishNotification`,
      ),
    ).toBe('allow');
    expect(
      evaluatePolicy(statements, 'appsync:GraphQL', `${api}/types/Mutation/fields/submitWorkOrder`),
    ).toBe('explicit-deny');
  });

  it('matches actions case-insensitively and with ? and * wildcards, resources exactly', () => {
    const statements = statementsOf({
      Statement: {
        Effect: 'Allow',
        Action: 'DynamoDB:Get?tem',
        Resource: 'arn:aws:dynamodb:*:*:table/W*',
      },
    });
    expect(evaluatePolicy(statements, 'dynamodb:GetItem', TABLE)).toBe('allow');
    expect(evaluatePolicy(statements, 'dynamodb:GetItems', TABLE)).toBe('implicit-deny');
    expect(evaluatePolicy(statements, 'dynamodb:GetItem', tableArn('workOrder'))).toBe(
      'implicit-deny',
    );
  });

  it('never allows through a condition it cannot evaluate, and always denies through one', () => {
    const allow = statementsOf({
      Statement: {
        Effect: 'Allow',
        Action: 'ses:SendEmail',
        Resource: '*',
        Condition: { StringEquals: { 'ses:FromAddress': 'steward@example.org' } },
      },
    });
    expect(evaluatePolicy(allow, 'ses:SendEmail', 'x')).toBe('implicit-deny');
    expect(
      evaluatePolicy(allow, 'ses:SendEmail', 'x', { 'ses:FromAddress': 'steward@example.org' }),
    ).toBe('allow');
    expect(
      evaluatePolicy(allow, 'ses:SendEmail', 'x', { 'ses:FromAddress': 'eve@example.org' }),
    ).toBe('implicit-deny');
    const deny = statementsOf({
      Statement: [
        { Effect: 'Allow', Action: '*', Resource: '*' },
        {
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020' } },
        },
      ],
    });
    expect(evaluatePolicy(deny, 'dynamodb:GetItem', TABLE)).toBe('explicit-deny');
  });

  it('asks for each item’s own action in a transaction, on each table', () => {
    expect(
      dynamoDbPermissions(
        'TransactWriteItems',
        {
          TransactItems: [
            { Put: { TableName: 'WorkOrder-local' } },
            { Update: { TableName: 'Organization-local' } },
            { ConditionCheck: { TableName: 'OrganizationMember-local' } },
            { Delete: { TableName: 'WorkOrder-local' } },
          ],
        },
        tableArn,
      ),
    ).toEqual([
      { action: 'dynamodb:PutItem', resource: TABLE },
      { action: 'dynamodb:UpdateItem', resource: tableArn('Organization-local') },
      { action: 'dynamodb:ConditionCheckItem', resource: tableArn('OrganizationMember-local') },
      { action: 'dynamodb:DeleteItem', resource: TABLE },
    ]);
    expect(
      dynamoDbPermissions(
        'BatchWriteItem',
        { RequestItems: { 'WorkOrder-local': [], 'X-local': [] } },
        tableArn,
      ),
    ).toEqual([
      { action: 'dynamodb:BatchWriteItem', resource: TABLE },
      { action: 'dynamodb:BatchWriteItem', resource: tableArn('X-local') },
    ]);
    expect(() => dynamoDbPermissions('ExecuteStatement', {}, tableArn)).toThrow(
      /does not authorize/,
    );
  });
});
