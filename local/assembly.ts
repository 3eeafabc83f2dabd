import type { PolicyStatement } from './iam/policy';

/**
 * The synthesized backend, read into plain data: the single source of truth the local runtime
 * is driven by. Produced by `readCloudAssembly()` in cloud-assembly.ts from the CDK output of
 * `amplify/backend.ts`; every other module of local/ consumes only these types.
 */

/** A DynamoDB table, as CloudFormation would create it (with the local name resolved). */
export type TableDefinition = {
  /** CloudFormation logical id, e.g. `WorkOrderTable` or `ProfileTable0598D89D`. */
  logicalId: string;
  /** The model the table stores (`WorkOrder`), or undefined for a plain CDK table. */
  modelName?: string;
  /** The table name used locally (what handlers receive in their environment). */
  tableName: string;
  keySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  attributeDefinitions: { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[];
  globalSecondaryIndexes: {
    IndexName: string;
    KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
    Projection: { ProjectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; NonKeyAttributes?: string[] };
  }[];
  /** StreamViewType when the table has a stream. */
  streamViewType?: 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';
};

/** A Lambda function of the backend, with its bundle on disk. */
export type FunctionDefinition = {
  logicalId: string;
  /** Amplify's friendly name (`api`, `notifier`, `post-confirmation`). */
  name: string;
  /** Folder holding the esbuild bundle (`index.mjs`). */
  codeDirectory: string;
  /** `index.handler` → file `index` (.mjs/.js/.cjs), export `handler`. */
  handler: string;
  /** Environment with CloudFormation references resolved to local values. */
  environment: Record<string, string>;
  timeoutSeconds: number;
  memoryMB: number;
  /** The Lambda runtime the function declares (`nodejs22.x`). */
  runtime?: string;
  /** Its execution role's ARN. */
  roleArn?: string;
  /** Every identity-policy statement of its execution role, intrinsics evaluated. */
  policy?: PolicyStatement[];
};

export type DataSourceDefinition =
  | { name: string; type: 'AMAZON_DYNAMODB'; tableName: string }
  | { name: string; type: 'AWS_LAMBDA'; functionName: string }
  | { name: string; type: 'NONE' };

/** A VTL template pair, or APPSYNC_JS code. */
export type ResolverCode =
  | { runtime: 'VTL'; requestTemplate: string; responseTemplate: string }
  | { runtime: 'APPSYNC_JS'; code: string };

/** An AppSync pipeline function (FunctionConfiguration). */
export type PipelineFunctionDefinition = {
  /** FunctionId as referenced by resolvers (the logical id of the configuration). */
  id: string;
  name: string;
  dataSourceName: string;
} & ResolverCode;

export type ResolverDefinition = {
  typeName: string;
  fieldName: string;
} & (
  | ({ kind: 'UNIT'; dataSourceName: string } & ResolverCode)
  | ({ kind: 'PIPELINE'; functions: string[] } & ResolverCode)
);

/** A stream → Lambda event source mapping with its AWS settings. */
export type EventSourceMappingDefinition = {
  functionName: string;
  tableName: string;
  batchSize: number;
  maximumRetryAttempts: number;
  bisectBatchOnFunctionError: boolean;
  reportBatchItemFailures: boolean;
  maximumBatchingWindowSeconds: number;
  startingPosition: 'LATEST' | 'TRIM_HORIZON';
  /** Logical id of the on-failure destination (an SQS queue on AWS). */
  onFailureDestination?: string;
};

/** Cognito trigger names as in a user pool's LambdaConfig. */
export type CognitoTrigger =
  | 'PreSignUp'
  | 'PostConfirmation'
  | 'PreTokenGeneration'
  | 'CustomMessage'
  | 'PostAuthentication'
  | 'UserMigration'
  | 'PreAuthentication'
  | 'DefineAuthChallenge'
  | 'CreateAuthChallenge'
  | 'VerifyAuthChallengeResponse';

export type UserPoolDefinition = {
  /** Trigger → function name. */
  triggers: Partial<Record<CognitoTrigger, string>>;
  usernameAttributes: string[];
  autoVerifiedAttributes: string[];
  passwordPolicy: {
    MinimumLength?: number;
    RequireLowercase?: boolean;
    RequireNumbers?: boolean;
    RequireSymbols?: boolean;
    RequireUppercase?: boolean;
  };
  /** User pool schema attributes (`email`, `preferred_username`, …). */
  schema: { Name: string; Required?: boolean; Mutable?: boolean }[];
  emailVerificationSubject?: string;
  emailVerificationMessage?: string;
  /**
   * The app client's PreventUserExistenceErrors: when true (Amplify's default), sign-in answers
   * an unknown user exactly as a wrong password, and password resets do not tell either.
   */
  preventUserExistenceErrors?: boolean;
};

/** The request limits of the GraphQL API (AppSync settings and the AWS WAF rate rules on it). */
export type GraphqlApiLimits = {
  /** Nested levels a request may have; undefined: no limit. */
  queryDepthLimit?: number;
  /** Resolvers one request may invoke; AppSync's own maximum (10,000) when unset. */
  resolverCountLimit: number;
  /** Whether `__schema` and `__type` may be queried. */
  introspection: boolean;
  /** The rate-based rules of a web ACL associated with the API, if there is one. */
  rateLimit?: {
    /** Requests per window per caller (keyed by the Authorization header). */
    perCaller?: number;
    /** Requests per window per source IP. */
    perIp?: number;
    windowSeconds: number;
    /** What a blocked request is answered with. */
    responseCode: number;
    responseBody: string;
  };
};

export type CloudAssembly = {
  /** The folder the synth wrote. */
  directory: string;
  /** The transformed GraphQL schema (SDL with AppSync directives). */
  schema: string;
  /** `modelIntrospectionSchema.json`, for `data.model_introspection` in amplify_outputs.json. */
  modelIntrospection: unknown;
  tables: TableDefinition[];
  functions: FunctionDefinition[];
  dataSources: DataSourceDefinition[];
  pipelineFunctions: PipelineFunctionDefinition[];
  resolvers: ResolverDefinition[];
  eventSourceMappings: EventSourceMappingDefinition[];
  userPool: UserPoolDefinition;
  /** SES identities the backend declares (addresses and domains); locally they count as verified. */
  emailIdentities?: string[];
  /** Absent in hand-built assemblies (unit tests): no limits then. */
  graphqlApi?: GraphqlApiLimits;
};
