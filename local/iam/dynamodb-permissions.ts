/**
 * The IAM permissions DynamoDB checks for one API call, as documented in "Actions, resources and
 * condition keys for Amazon DynamoDB": the operation's action on each table it touches, an index
 * ARN (`table/<name>/index/<index>`) for a Query or Scan of an index, and for a transaction the
 * action of each item (`PutItem`, `UpdateItem`, `DeleteItem`, `ConditionCheckItem`, `GetItem`).
 */
export type Permission = { action: string; resource: string };

type Keyed = { TableName?: string };
type Request = {
  TableName?: string;
  IndexName?: string;
  RequestItems?: Record<string, unknown>;
  TransactItems?: Record<string, Keyed | undefined>[];
};

const TRANSACT_WRITE_ACTIONS: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

/** Operations the local runtime knows how to authorize; anything else is refused. */
const SINGLE_TABLE = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'DescribeTable',
  'DescribeTimeToLive',
  'DescribeContinuousBackups',
]);

export class UnsupportedOperationError extends Error {}

export function dynamoDbPermissions(
  operation: string,
  body: Request,
  tableArn: (table: string) => string,
): Permission[] {
  if (SINGLE_TABLE.has(operation)) {
    const table = tableArn(String(body.TableName));
    const resource =
      (operation === 'Query' || operation === 'Scan') && body.IndexName
        ? `${table}/index/${body.IndexName}`
        : table;
    return [{ action: `dynamodb:${operation}`, resource }];
  }
  switch (operation) {
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.keys(body.RequestItems ?? {}).map((table) => ({
        action: `dynamodb:${operation}`,
        resource: tableArn(table),
      }));
    case 'TransactWriteItems':
    case 'TransactGetItems':
      return (body.TransactItems ?? []).flatMap((item) =>
        Object.entries(item).map(([kind, keyed]) => ({
          action:
            operation === 'TransactGetItems'
              ? 'dynamodb:GetItem'
              : (TRANSACT_WRITE_ACTIONS[kind] ?? `dynamodb:${kind}`),
          resource: tableArn(String(keyed?.TableName)),
        })),
      );
    case 'ListTables':
      return [{ action: 'dynamodb:ListTables', resource: '*' }];
    default:
      throw new UnsupportedOperationError(
        `The local runtime does not authorize DynamoDB ${operation || 'requests without an X-Amz-Target'}; add it to local/iam/dynamodb-permissions.ts.`,
      );
  }
}
