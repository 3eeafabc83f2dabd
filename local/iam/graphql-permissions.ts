import { type DocumentNode, Kind, parse } from 'graphql';
import { LOCAL_ACCOUNT, LOCAL_API_ID } from '../cloud-assembly';
import { LOCAL_REGION } from '../dynamodb';
import type { Permission } from './dynamodb-permissions';

export const LOCAL_API_ARN = `arn:aws:appsync:${LOCAL_REGION}:${LOCAL_ACCOUNT}:apis/${LOCAL_API_ID}`;

const ROOT_TYPES = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' } as const;

/**
 * `appsync:GraphQL` on `<api>/types/<Type>/fields/<field>` for every root field of the operation
 * a request runs, as AppSync authorizes an IAM caller. A request that does not parse needs
 * permission on the API itself (AppSync then answers its own validation error).
 */
export function graphqlPermissions(body: unknown, apiArn: string): Permission[] {
  const { query, operationName } = (body ?? {}) as { query?: unknown; operationName?: unknown };
  let document: DocumentNode;
  try {
    document = parse(String(query ?? ''));
  } catch {
    return [{ action: 'appsync:GraphQL', resource: apiArn }];
  }
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation =
    operations.find((o) => typeof operationName === 'string' && o.name?.value === operationName) ??
    operations[0];
  if (!operation) return [{ action: 'appsync:GraphQL', resource: apiArn }];
  const type = ROOT_TYPES[operation.operation];
  return operation.selectionSet.selections
    .filter((s) => s.kind === Kind.FIELD)
    .map((field) => ({
      action: 'appsync:GraphQL',
      resource: `${apiArn}/types/${type}/fields/${field.name.value}`,
    }));
}
