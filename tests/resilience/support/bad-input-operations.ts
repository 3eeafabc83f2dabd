import {
  buildSchema,
  getNamedType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CloudAssembly } from '../../../local/assembly';
import { ERROR_CODES } from '../../../core/errors';

const AWS_SCALARS = [
  'AWSDate',
  'AWSTime',
  'AWSDateTime',
  'AWSTimestamp',
  'AWSEmail',
  'AWSJSON',
  'AWSURL',
  'AWSPhone',
  'AWSIPAddress',
];

/** The deployed schema (the synth's SDL), with AppSync's scalars declared so graphql-js reads it. */
export function schemaOf(assembly: CloudAssembly): GraphQLSchema {
  const missing = AWS_SCALARS.filter((s) => !new RegExp(`\\bscalar ${s}\\b`).test(assembly.schema));
  return buildSchema(`${missing.map((s) => `scalar ${s}`).join('\n')}\n${assembly.schema}`, {
    assumeValidSDL: true,
  });
}

/** One root field of the API, with what a request for it needs. */
export type Operation = {
  kind: 'query' | 'mutation';
  name: string;
  field: GraphQLField<unknown, unknown>;
};

/** Every query and mutation of the schema. */
export function operationsOf(schema: GraphQLSchema): Operation[] {
  const out: Operation[] = [];
  for (const [kind, type] of [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const) {
    for (const field of Object.values(type?.getFields() ?? {})) {
      out.push({ kind, name: field.name, field });
    }
  }
  return out;
}

/** A value of the argument's type that GraphQL accepts (the server may still refuse it). */
export function plausibleValue(
  type: GraphQLInputType,
  name: string,
  ids: Record<string, string>,
): unknown {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return [plausibleValue(inner.ofType, name, ids)];
  if (isEnumType(inner)) return inner.getValues()[0]?.value;
  if (isInputObjectType(inner)) return {};
  switch (String(getNamedType(type))) {
    case 'Int':
      return 1;
    case 'Float':
      return 1.5;
    case 'Boolean':
      return true;
    case 'AWSDateTime':
      return new Date(Date.now() + 86_400_000).toISOString();
    case 'AWSEmail':
      return 'someone@example.com';
    case 'AWSJSON':
      return '{}';
    default:
      return ids[name] ?? 'x';
  }
}

/** Whether an argument takes text (String, ID or an AWS string scalar, or a list of them). */
export const isTextArgument = (arg: GraphQLArgument): boolean => {
  const named = getNamedType(arg.type);
  return isScalarType(named) && !['Int', 'Float', 'Boolean', 'AWSJSON'].includes(named.name);
};

/** A selection for the field's return type: `{ __typename }` for objects, nothing for scalars. */
export const selectionOf = (field: GraphQLField<unknown, unknown>): string =>
  isObjectType(getNamedType(field.type)) ? '{ __typename }' : '';

/** The request for an operation with every argument passed as a variable. */
export function requestFor(
  operation: Operation,
  args: readonly GraphQLArgument[],
  extraSelection = '',
): string {
  const declared = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const passed = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = selectionOf(operation.field);
  const withExtra = extraSelection && selection ? `{ __typename ${extraSelection} }` : selection;
  return `${operation.kind} Probe${declared ? `(${declared})` : ''} { ${operation.name}${passed ? `(${passed})` : ''} ${withExtra} }`;
}

/** Error types a refusal may carry: the domain's codes and the API's own (never INTERNAL). */
export const TYPED_ERRORS = new Set<string>([
  ...ERROR_CODES.filter((c) => c !== 'INTERNAL'),
  'Unauthorized',
  /** AppSync's refusal of arguments a generated resolver cannot use together. */
  'InvalidArgumentsError',
  'ValidationError',
  'MalformedHttpRequestException',
  'PayloadTooLargeException',
  'QueryDepthLimitReached',
  'ResolverExecutionLimitReached',
]);

/** A GraphQL validation or variable-coercion message (graphql-js wording, as the simulator sends). */
export const VALIDATION_MESSAGE =
  /Cannot query field|Can only validate|Unknown argument|Unknown type|argument .* of type .* is required|Expected (type|value of type)|cannot represent|got invalid value|must not have a selection|must have a selection|Variable .* (of required type|of non-null type)|Int cannot represent|String cannot represent|Boolean cannot represent|Enum .* cannot represent|Field .* is not defined by type|Expected a value|Cannot return null/i;

/** Every item of every table of the backend, sorted: equal before and after means nothing changed. */
export async function tablesSnapshot(
  documents: DynamoDBDocumentClient,
  assembly: CloudAssembly,
): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of assembly.tables) {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new ScanCommand({ TableName: table.tableName, ExclusiveStartKey: start }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    out[table.tableName] = items
      .map((item) => JSON.stringify(item, Object.keys(item).sort()))
      .sort();
  }
  return out;
}

/** Nearest-rank percentile of durations in ms. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
