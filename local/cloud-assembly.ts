import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type {
  CloudAssembly,
  CognitoTrigger,
  DataSourceDefinition,
  EventSourceMappingDefinition,
  FunctionDefinition,
  GraphqlApiLimits,
  PipelineFunctionDefinition,
  ResolverCode,
  ResolverDefinition,
  TableDefinition,
  UserPoolDefinition,
} from './assembly';
import { type PolicyStatement, statementsOf } from './iam/policy';
import { LocalRuntimeError } from './process-utils';

/**
 * Reads the CDK output of `amplify/backend.ts` into a CloudAssembly. CloudFormation intrinsics
 * are evaluated against local stand-ins: the API id is `local`, tables keep their model names,
 * and values only known once the runtime runs (the user pool id) become `{{placeholders}}` that
 * `bindPlaceholders` fills in.
 */

/** Placeholders left in the assembly for values the runtime learns while starting. */
export const PLACEHOLDERS = {
  userPoolId: '{{userPoolId}}',
  userPoolClientId: '{{userPoolClientId}}',
  graphqlUrl: '{{graphqlUrl}}',
} as const;

export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_API_ID = 'local';
const REGION = 'us-east-1';

type Template = {
  Parameters?: Record<string, { Default?: unknown }>;
  Conditions?: Record<string, unknown>;
  Resources?: Record<string, Resource>;
  Outputs?: Record<string, { Value: unknown }>;
};
type Resource = { Type: string; Properties?: Record<string, unknown> };

/** One template of the assembly, with its parent's view of its parameters. */
class Stack {
  readonly children = new Map<string, Stack>();
  constructor(
    readonly file: string,
    readonly template: Template,
    readonly parent?: { stack: Stack; resourceId: string },
  ) {}
  resources(): [string, Resource][] {
    return Object.entries(this.template.Resources ?? {});
  }
}

type Intrinsic = Record<string, unknown>;

/** Evaluates CloudFormation intrinsic functions against the local stand-ins. */
class Evaluator {
  constructor(
    private readonly tableNames: Map<Resource, string>,
    private readonly functionNames: Map<Resource, string>,
  ) {}

  evaluate(value: unknown, stack: Stack): unknown {
    if (Array.isArray(value)) return value.map((v) => this.evaluate(v, stack));
    if (value === null || typeof value !== 'object') return value;
    const obj = value as Intrinsic;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const [key] = keys as [string];
      const arg = obj[key];
      switch (key) {
        case 'Ref':
          return this.ref(String(arg), stack);
        case 'Fn::GetAtt': {
          const [id, attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split(/\.(.+)/);
          return this.getAtt(String(id), String(attr), stack);
        }
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, unknown[]];
          return (this.evaluate(parts, stack) as unknown[]).map(String).join(sep);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [unknown, unknown];
          const items = this.evaluate(list, stack) as unknown[];
          return items[Number(this.evaluate(index, stack))];
        }
        case 'Fn::Split': {
          const [sep, source] = arg as [string, unknown];
          return String(this.evaluate(source, stack)).split(sep);
        }
        case 'Fn::Sub':
          return this.sub(arg, stack);
        case 'Fn::If': {
          const [condition, whenTrue, whenFalse] = arg as [string, unknown, unknown];
          return this.evaluate(this.condition(condition, stack) ? whenTrue : whenFalse, stack);
        }
        case 'Fn::Equals': {
          const [a, b] = this.evaluate(arg, stack) as [unknown, unknown];
          return a === b;
        }
        case 'Fn::Not':
          return !(this.evaluate((arg as unknown[])[0], stack) as boolean);
        case 'Fn::And':
          return (this.evaluate(arg, stack) as boolean[]).every(Boolean);
        case 'Fn::Or':
          return (this.evaluate(arg, stack) as boolean[]).some(Boolean);
        case 'Condition':
          return this.condition(String(arg), stack);
        default:
          break;
      }
    }
    return Object.fromEntries(keys.map((k) => [k, this.evaluate(obj[k], stack)]));
  }

  private condition(name: string, stack: Stack): boolean {
    const definition = stack.template.Conditions?.[name];
    return Boolean(this.evaluate(definition, stack));
  }

  private sub(arg: unknown, stack: Stack): string {
    const [text, vars] = Array.isArray(arg)
      ? (arg as [string, Record<string, unknown>])
      : [String(arg), {}];
    return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      if (name in vars) return String(this.evaluate(vars[name], stack));
      const [id, attr] = name.split(/\.(.+)/);
      return String(attr ? this.getAtt(String(id), attr, stack) : this.ref(String(id), stack));
    });
  }

  private ref(id: string, stack: Stack): unknown {
    switch (id) {
      case 'AWS::Region':
        return REGION;
      case 'AWS::AccountId':
        return LOCAL_ACCOUNT;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return path.basename(stack.file, '.template.json');
      case 'AWS::NoValue':
        return undefined;
      default:
        break;
    }
    const parameter = stack.template.Parameters?.[id];
    if (parameter) {
      const passed = stack.parent
        ? (
            stack.parent.stack.template.Resources?.[stack.parent.resourceId]?.Properties
              ?.Parameters as Record<string, unknown> | undefined
          )?.[id]
        : undefined;
      if (passed !== undefined && stack.parent) return this.evaluate(passed, stack.parent.stack);
      return parameter.Default;
    }
    const resource = stack.template.Resources?.[id];
    if (!resource) return id;
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table':
      case 'Custom::AmplifyDynamoDBTable':
        return this.tableNames.get(resource);
      case 'AWS::Lambda::Function':
        return this.functionNames.get(resource) ?? id;
      case 'AWS::Cognito::UserPool':
        return PLACEHOLDERS.userPoolId;
      case 'AWS::Cognito::UserPoolClient':
        return PLACEHOLDERS.userPoolClientId;
      default:
        return id;
    }
  }

  private getAtt(id: string, attr: string, stack: Stack): unknown {
    const resource = stack.template.Resources?.[id];
    if (!resource) return `${id}.${attr}`;
    if (resource.Type === 'AWS::CloudFormation::Stack' && attr.startsWith('Outputs.')) {
      const child = stack.children.get(id);
      const output = child?.template.Outputs?.[attr.slice('Outputs.'.length)];
      return child && output ? this.evaluate(output.Value, child) : `${id}.${attr}`;
    }
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table':
      case 'Custom::AmplifyDynamoDBTable': {
        const name = this.tableNames.get(resource);
        const arn = `arn:aws:dynamodb:${REGION}:${LOCAL_ACCOUNT}:table/${name}`;
        if (attr === 'TableName') return name;
        if (attr === 'StreamArn' || attr === 'TableStreamArn') return `${arn}/stream/local`;
        return arn;
      }
      case 'AWS::Lambda::Function':
        return `arn:aws:lambda:${REGION}:${LOCAL_ACCOUNT}:function:${this.functionNames.get(resource) ?? id}`;
      case 'AWS::AppSync::GraphQLApi':
        if (attr === 'ApiId') return LOCAL_API_ID;
        if (attr === 'GraphQLUrl') return PLACEHOLDERS.graphqlUrl;
        return `arn:aws:appsync:${REGION}:${LOCAL_ACCOUNT}:apis/${LOCAL_API_ID}`;
      case 'AWS::AppSync::DataSource':
        return attr === 'Name' ? this.evaluate(resource.Properties?.Name, stack) : id;
      case 'AWS::AppSync::FunctionConfiguration':
        return id;
      case 'AWS::Cognito::UserPool':
        return attr === 'Arn'
          ? `arn:aws:cognito-idp:${REGION}:${LOCAL_ACCOUNT}:userpool/${PLACEHOLDERS.userPoolId}`
          : PLACEHOLDERS.userPoolId;
      case 'AWS::IAM::Role':
        return `arn:aws:iam::${LOCAL_ACCOUNT}:role/${id}`;
      case 'AWS::SQS::Queue':
        return `arn:aws:sqs:${REGION}:${LOCAL_ACCOUNT}:${id}`;
      default:
        return `${id}.${attr}`;
    }
  }
}

/** Finds files of the assembly by the hash CDK uses as their S3 key. */
class AssetIndex {
  private readonly byHash = new Map<string, string>();
  constructor(private readonly directory: string) {
    for (const file of readdirSync(directory).filter((f) => f.endsWith('.assets.json'))) {
      const manifest = JSON.parse(readFileSync(path.join(directory, file), 'utf8')) as {
        files?: Record<string, { source: { path: string } }>;
      };
      for (const [hash, entry] of Object.entries(manifest.files ?? {})) {
        this.byHash.set(hash, path.join(directory, entry.source.path));
      }
    }
  }
  /** The file behind an S3 URL or key such as `s3://bucket/<hash>.vtl` or `<hash>.zip`. */
  resolve(s3: string): string {
    const hash = path.basename(s3).replace(/\..*$/, '');
    const found = this.byHash.get(hash);
    if (!found) {
      throw new LocalRuntimeError(
        `The synthesized backend references an asset that is not in ${this.directory}: ${s3}`,
        'Delete the synth cache (.steward/synth) and start again.',
      );
    }
    return found;
  }
  read(s3: string): string {
    return readFileSync(this.resolve(s3), 'utf8');
  }
}

function loadStacks(directory: string, assets: AssetIndex): Stack[] {
  const roots = readdirSync(directory).filter(
    (f) => f.endsWith('.template.json') && !f.endsWith('.nested.template.json'),
  );
  if (roots.length !== 1) {
    throw new LocalRuntimeError(
      `Expected one root template in ${directory}, found ${roots.length}.`,
      'Delete the synth cache (.steward/synth) and start again.',
    );
  }
  const all: Stack[] = [];
  const visit = (stack: Stack) => {
    all.push(stack);
    for (const [id, resource] of stack.resources()) {
      if (resource.Type !== 'AWS::CloudFormation::Stack') continue;
      const url = JSON.stringify(resource.Properties?.TemplateURL ?? '');
      const key = /([0-9a-f]{64})\.json/.exec(url)?.[1];
      if (!key) continue;
      const file = assets.resolve(`${key}.json`);
      const child = new Stack(file, JSON.parse(readFileSync(file, 'utf8')) as Template, {
        stack,
        resourceId: id,
      });
      stack.children.set(id, child);
      visit(child);
    }
  };
  const rootFile = path.join(directory, roots[0] as string);
  visit(new Stack(rootFile, JSON.parse(readFileSync(rootFile, 'utf8')) as Template));
  return all;
}

const tagValue = (resource: Resource, key: string): string | undefined =>
  (resource.Properties?.Tags as { Key: string; Value: string }[] | undefined)?.find(
    (t) => t.Key === key,
  )?.Value;

/** Lower-camel CloudFormation keys (Amplify's table custom resource) to DynamoDB's casing. */
function pascalKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pascalKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), pascalKeys(v)]),
  );
}

/**
 * The local values of the variables Amplify resolves from SSM at a function's cold start (its
 * resource access, e.g. the data API's endpoint for `allow.resource(fn)`). Locally there is no SSM:
 * the values are bound here and the function's SSM lookup is given nothing to fetch.
 */
const SSM_BACKED_VALUES: Record<string, string> = {
  AMPLIFY_DATA_GRAPHQL_ENDPOINT: PLACEHOLDERS.graphqlUrl,
  AMPLIFY_DATA_DEFAULT_NAME: 'amplifyData',
  AMPLIFY_DATA_MODEL_INTROSPECTION_SCHEMA_BUCKET_NAME: 'local-unavailable',
  AMPLIFY_DATA_MODEL_INTROSPECTION_SCHEMA_KEY: 'modelIntrospectionSchema.json',
};

function withoutSsmReferences(
  environment: Record<string, string>,
  functionName: string,
): Record<string, string> {
  const references = JSON.parse(environment.AMPLIFY_SSM_ENV_CONFIG ?? '{}') as Record<
    string,
    unknown
  >;
  const bound: Record<string, string> = { ...environment, AMPLIFY_SSM_ENV_CONFIG: '{}' };
  for (const key of Object.keys(references)) {
    const value = SSM_BACKED_VALUES[key];
    if (value === undefined) {
      throw new LocalRuntimeError(
        `Function ${functionName} reads ${key} from SSM, which the local runtime cannot provide.`,
        `Add a local value for ${key} to SSM_BACKED_VALUES in local/cloud-assembly.ts.`,
      );
    }
    bound[key] = value;
  }
  return bound;
}

/** What the readers collect while walking the templates. */
type Collected = {
  tables: TableDefinition[];
  functions: FunctionDefinition[];
  dataSources: DataSourceDefinition[];
  pipelineFunctions: PipelineFunctionDefinition[];
  resolvers: ResolverDefinition[];
  eventSourceMappings: EventSourceMappingDefinition[];
  /** Identity policies by the role name they are attached to (inline and AWS::IAM::Policy). */
  policiesByRole: Map<string, PolicyStatement[]>;
  emailIdentities: string[];
  preventUserExistenceErrors: boolean;
  schema?: string;
  userPool?: UserPoolDefinition;
  graphqlApi?: Omit<GraphqlApiLimits, 'rateLimit'>;
  rateLimit?: GraphqlApiLimits['rateLimit'];
};

/** One resource of a template and what reading it needs. */
type Visit = {
  id: string;
  resource: Resource;
  props: Record<string, unknown>;
  stack: Stack;
  /** Evaluates intrinsics in this resource's template (or another one). */
  evaluate: (value: unknown, stack?: Stack) => unknown;
  assets: AssetIndex;
  tableNames: Map<Resource, string>;
  functionNames: Map<Resource, string>;
  out: Collected;
};

/** Reads one resource type into the assembly; a type with no reader does not run locally. */
type Reader = (visit: Visit) => void;

const attachPolicy = (out: Collected, role: unknown, statements: PolicyStatement[]) => {
  const name = String(role).split('/').pop() as string;
  out.policiesByRole.set(name, [...(out.policiesByRole.get(name) ?? []), ...statements]);
};

const tableFromArn = (arn: unknown): string => {
  const match = /:table\/([^/]+)/.exec(String(arn));
  if (!match?.[1]) throw new Error(`Not a table ARN: ${String(arn)}`);
  return match[1];
};
const functionFromArn = (arn: unknown): string =>
  String(arn).split(':function:').pop() ?? String(arn);

/** A resolver's or pipeline function's code: APPSYNC_JS, or a VTL template pair. */
const resolverCode = ({ props, stack, evaluate, assets }: Visit): ResolverCode => {
  const runtime = (props.Runtime as { Name?: string } | undefined)?.Name;
  if (runtime === 'APPSYNC_JS') {
    const inline = props.Code !== undefined ? String(evaluate(props.Code, stack)) : undefined;
    return {
      runtime: 'APPSYNC_JS',
      code: inline ?? assets.read(String(evaluate(props.CodeS3Location, stack))),
    };
  }
  const template = (inlineKey: string, s3Key: string): string =>
    props[inlineKey] !== undefined
      ? String(evaluate(props[inlineKey], stack))
      : props[s3Key] !== undefined
        ? assets.read(String(evaluate(props[s3Key], stack)))
        : '';
  return {
    runtime: 'VTL',
    requestTemplate: template('RequestMappingTemplate', 'RequestMappingTemplateS3Location'),
    responseTemplate: template('ResponseMappingTemplate', 'ResponseMappingTemplateS3Location'),
  };
};

const readTable: Reader = ({ id, resource, props, stack, evaluate, tableNames, out }) => {
  const definition = (
    resource.Type === 'Custom::AmplifyDynamoDBTable'
      ? pascalKeys(evaluate(props, stack))
      : evaluate(props, stack)
  ) as {
    KeySchema: TableDefinition['keySchema'];
    AttributeDefinitions: TableDefinition['attributeDefinitions'];
    GlobalSecondaryIndexes?: (TableDefinition['globalSecondaryIndexes'][number] & {
      ProvisionedThroughput?: unknown;
    })[];
    StreamSpecification?: { StreamViewType?: TableDefinition['streamViewType'] };
  };
  out.tables.push({
    logicalId: id,
    modelName:
      resource.Type === 'Custom::AmplifyDynamoDBTable' ? id.replace(/Table$/, '') : undefined,
    tableName: tableNames.get(resource) as string,
    keySchema: definition.KeySchema,
    attributeDefinitions: definition.AttributeDefinitions,
    globalSecondaryIndexes: (definition.GlobalSecondaryIndexes ?? []).map((gsi) => ({
      IndexName: gsi.IndexName,
      KeySchema: gsi.KeySchema,
      Projection: gsi.Projection,
    })),
    streamViewType: definition.StreamSpecification?.StreamViewType,
  });
};

const readFunction: Reader = ({
  id,
  resource,
  props,
  stack,
  evaluate,
  assets,
  functionNames,
  out,
}) => {
  const name = functionNames.get(resource);
  if (!name) return; // CDK's own helper functions (custom resources) do not run locally.
  const codeKey = String(evaluate((props.Code as { S3Key?: unknown } | undefined)?.S3Key, stack));
  const environment = evaluate(
    (props.Environment as { Variables?: unknown } | undefined)?.Variables ?? {},
    stack,
  ) as Record<string, unknown>;
  out.functions.push({
    logicalId: id,
    name,
    codeDirectory: assets.resolve(codeKey),
    handler: String(props.Handler ?? 'index.handler'),
    environment: withoutSsmReferences(
      Object.fromEntries(
        Object.entries(environment)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, String(v)]),
      ),
      name,
    ),
    timeoutSeconds: Number(props.Timeout ?? 3),
    memoryMB: Number(props.MemorySize ?? 128),
    runtime: String(props.Runtime ?? ''),
    roleArn: props.Role === undefined ? undefined : String(evaluate(props.Role, stack)),
  });
};

const readRole: Reader = ({ id, props, stack, evaluate, out }) => {
  for (const policy of (props.Policies as { PolicyDocument: unknown }[] | undefined) ?? []) {
    attachPolicy(out, id, statementsOf(evaluate(policy.PolicyDocument, stack)));
  }
};

const readPolicy: Reader = ({ props, stack, evaluate, out }) => {
  for (const role of (evaluate(props.Roles, stack) as unknown[] | undefined) ?? []) {
    attachPolicy(out, role, statementsOf(evaluate(props.PolicyDocument, stack)));
  }
};

const readEmailIdentity: Reader = ({ props, stack, evaluate, out }) => {
  out.emailIdentities.push(String(evaluate(props.EmailIdentity, stack)));
};

const readGraphqlApi: Reader = ({ props, out }) => {
  out.graphqlApi = {
    queryDepthLimit: props.QueryDepthLimit ? Number(props.QueryDepthLimit) : undefined,
    // AppSync's default when unset (or 0) is its maximum.
    resolverCountLimit: props.ResolverCountLimit ? Number(props.ResolverCountLimit) : 10_000,
    introspection: props.IntrospectionConfig !== 'DISABLED',
  };
};

const readWebAcl: Reader = ({ props, stack, evaluate, out }) => {
  out.rateLimit = rateLimitOf(evaluate(props, stack) as WebAclProperties) ?? out.rateLimit;
};

const readSchema: Reader = ({ props, stack, evaluate, assets, out }) => {
  out.schema =
    props.Definition !== undefined
      ? String(evaluate(props.Definition, stack))
      : assets.read(String(evaluate(props.DefinitionS3Location, stack)));
};

const readDataSource: Reader = ({ props, stack, evaluate, out }) => {
  const name = String(evaluate(props.Name, stack));
  const type = String(props.Type);
  if (type === 'AMAZON_DYNAMODB') {
    const table = evaluate((props.DynamoDBConfig as { TableName: unknown }).TableName, stack);
    out.dataSources.push({ name, type, tableName: String(table) });
  } else if (type === 'AWS_LAMBDA') {
    const arn = evaluate(
      (props.LambdaConfig as { LambdaFunctionArn: unknown }).LambdaFunctionArn,
      stack,
    );
    out.dataSources.push({ name, type, functionName: functionFromArn(arn) });
  } else if (type === 'NONE') {
    out.dataSources.push({ name, type });
  } else {
    throw new LocalRuntimeError(
      `Data source ${name} has type ${type}, which the local runtime does not run.`,
      'Use DynamoDB, Lambda or NONE data sources, or add support for this type in local/.',
    );
  }
};

const readPipelineFunction: Reader = (visit) => {
  const { id, props, stack, evaluate, out } = visit;
  out.pipelineFunctions.push({
    id,
    name: String(evaluate(props.Name, stack)),
    dataSourceName: String(evaluate(props.DataSourceName, stack)),
    ...resolverCode(visit),
  });
};

const readResolver: Reader = (visit) => {
  const { props, stack, evaluate, out } = visit;
  const base = {
    typeName: String(props.TypeName),
    fieldName: String(props.FieldName),
    ...resolverCode(visit),
  };
  if (props.Kind === 'PIPELINE') {
    const ids = evaluate(
      (props.PipelineConfig as { Functions: unknown[] }).Functions,
      stack,
    ) as string[];
    out.resolvers.push({ ...base, kind: 'PIPELINE', functions: ids });
  } else {
    out.resolvers.push({
      ...base,
      kind: 'UNIT',
      dataSourceName: String(evaluate(props.DataSourceName, stack)),
    });
  }
};

const readEventSourceMapping: Reader = ({ props, stack, evaluate, out }) => {
  const source = String(evaluate(props.EventSourceArn, stack));
  if (!source.includes(':dynamodb:')) return;
  const onFailure = (
    props.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined
  )?.OnFailure?.Destination;
  out.eventSourceMappings.push({
    functionName: functionFromArn(evaluate(props.FunctionName, stack)),
    tableName: tableFromArn(source),
    batchSize: Number(props.BatchSize ?? 100),
    maximumRetryAttempts:
      props.MaximumRetryAttempts === undefined ? -1 : Number(props.MaximumRetryAttempts),
    bisectBatchOnFunctionError: Boolean(props.BisectBatchOnFunctionError),
    reportBatchItemFailures: ((props.FunctionResponseTypes as string[] | undefined) ?? []).includes(
      'ReportBatchItemFailures',
    ),
    maximumBatchingWindowSeconds: Number(props.MaximumBatchingWindowInSeconds ?? 0),
    startingPosition: props.StartingPosition === 'TRIM_HORIZON' ? 'TRIM_HORIZON' : 'LATEST',
    onFailureDestination: onFailure === undefined ? undefined : String(evaluate(onFailure, stack)),
  });
};

const readUserPoolClient: Reader = ({ props, out }) => {
  out.preventUserExistenceErrors = props.PreventUserExistenceErrors === 'ENABLED';
};

const readUserPool: Reader = ({ props, stack, evaluate, out }) => {
  const lambdaConfig = (evaluate(props.LambdaConfig ?? {}, stack) ?? {}) as Record<string, unknown>;
  const triggers: UserPoolDefinition['triggers'] = {};
  for (const [trigger, arn] of Object.entries(lambdaConfig)) {
    if (typeof arn === 'string') triggers[trigger as CognitoTrigger] = functionFromArn(arn);
  }
  const template = props.VerificationMessageTemplate as
    { EmailSubject?: string; EmailMessage?: string } | undefined;
  out.userPool = {
    triggers,
    usernameAttributes: (props.UsernameAttributes as string[] | undefined) ?? [],
    autoVerifiedAttributes: (props.AutoVerifiedAttributes as string[] | undefined) ?? [],
    passwordPolicy:
      (props.Policies as { PasswordPolicy?: UserPoolDefinition['passwordPolicy'] } | undefined)
        ?.PasswordPolicy ?? {},
    schema: (props.Schema as UserPoolDefinition['schema'] | undefined) ?? [],
    emailVerificationSubject: template?.EmailSubject ?? (props.EmailVerificationSubject as string),
    emailVerificationMessage: template?.EmailMessage ?? (props.EmailVerificationMessage as string),
  };
};

/** The reader of each resource type the local runtime runs. */
const READERS: Partial<Record<string, Reader>> = {
  'Custom::AmplifyDynamoDBTable': readTable,
  'AWS::DynamoDB::Table': readTable,
  'AWS::Lambda::Function': readFunction,
  'AWS::IAM::Role': readRole,
  'AWS::IAM::Policy': readPolicy,
  'AWS::SES::EmailIdentity': readEmailIdentity,
  'AWS::AppSync::GraphQLApi': readGraphqlApi,
  'AWS::WAFv2::WebACL': readWebAcl,
  'AWS::AppSync::GraphQLSchema': readSchema,
  'AWS::AppSync::DataSource': readDataSource,
  'AWS::AppSync::FunctionConfiguration': readPipelineFunction,
  'AWS::AppSync::Resolver': readResolver,
  'AWS::Lambda::EventSourceMapping': readEventSourceMapping,
  'AWS::Cognito::UserPoolClient': readUserPoolClient,
  'AWS::Cognito::UserPool': readUserPool,
};

/** Reads a synthesized backend folder into a CloudAssembly. */
export function readCloudAssembly(directory: string): CloudAssembly {
  const assets = new AssetIndex(directory);
  const stacks = loadStacks(directory, assets);

  const tableNames = new Map<Resource, string>();
  const functionNames = new Map<Resource, string>();
  for (const stack of stacks) {
    for (const [id, resource] of stack.resources()) {
      if (resource.Type === 'Custom::AmplifyDynamoDBTable') {
        tableNames.set(resource, `${id.replace(/Table$/, '')}-${LOCAL_API_ID}`);
      } else if (resource.Type === 'AWS::DynamoDB::Table') {
        tableNames.set(resource, `${id.replace(/[0-9A-F]{8}$/, '')}-${LOCAL_API_ID}`);
      } else if (resource.Type === 'AWS::Lambda::Function') {
        // Functions made with defineFunction carry this variable; CDK's own helpers do not.
        const variables = (
          resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined
        )?.Variables;
        const name = tagValue(resource, 'amplify:friendly-name');
        if (name && variables && 'AMPLIFY_SSM_ENV_CONFIG' in variables)
          functionNames.set(resource, name);
      }
    }
  }
  const evaluator = new Evaluator(tableNames, functionNames);

  const out: Collected = {
    tables: [],
    functions: [],
    dataSources: [],
    pipelineFunctions: [],
    resolvers: [],
    eventSourceMappings: [],
    policiesByRole: new Map(),
    emailIdentities: [],
    preventUserExistenceErrors: false,
  };
  for (const stack of stacks) {
    for (const [id, resource] of stack.resources()) {
      READERS[resource.Type]?.({
        id,
        resource,
        props: resource.Properties ?? {},
        stack,
        evaluate: (value, at = stack) => evaluator.evaluate(value, at),
        assets,
        tableNames,
        functionNames,
        out,
      });
    }
  }

  const { schema, userPool, graphqlApi, rateLimit, policiesByRole } = out;
  if (!schema || !userPool) {
    throw new LocalRuntimeError(
      `The synthesized backend in ${directory} has no ${schema ? 'user pool' : 'GraphQL schema'}.`,
      'amplify/backend.ts must define both auth and data.',
    );
  }
  return {
    directory,
    schema,
    modelIntrospection: readModelIntrospection(directory),
    tables: out.tables,
    functions: out.functions.map((fn) => ({
      ...fn,
      policy: policiesByRole.get(String(fn.roleArn).split('/').pop() as string) ?? [],
    })),
    emailIdentities: out.emailIdentities,
    dataSources: out.dataSources,
    pipelineFunctions: out.pipelineFunctions,
    resolvers: out.resolvers,
    eventSourceMappings: out.eventSourceMappings,
    userPool: { ...userPool, preventUserExistenceErrors: out.preventUserExistenceErrors },
    graphqlApi: { resolverCountLimit: 10_000, introspection: true, ...graphqlApi, rateLimit },
  };
}

type WebAclProperties = {
  CustomResponseBodies?: Record<string, { Content: string }>;
  Rules?: {
    Action?: {
      Block?: { CustomResponse?: { ResponseCode: number; CustomResponseBodyKey?: string } };
    };
    Statement?: {
      RateBasedStatement?: {
        AggregateKeyType: string;
        CustomKeys?: { Header?: { Name: string } }[];
        EvaluationWindowSec?: number;
        Limit: number;
      };
    };
  }[];
};

/** The per-caller and per-IP rate-based rules of a web ACL, read as the local runtime applies them. */
function rateLimitOf(acl: WebAclProperties): GraphqlApiLimits['rateLimit'] {
  let found: GraphqlApiLimits['rateLimit'];
  for (const rule of acl.Rules ?? []) {
    const rate = rule.Statement?.RateBasedStatement;
    const response = rule.Action?.Block?.CustomResponse;
    if (!rate) continue;
    const byCaller =
      rate.AggregateKeyType === 'CUSTOM_KEYS' &&
      (rate.CustomKeys ?? []).some((k) => k.Header?.Name.toLowerCase() === 'authorization');
    const byIp = rate.AggregateKeyType === 'IP';
    if (!byCaller && !byIp) continue;
    found = {
      windowSeconds: rate.EvaluationWindowSec ?? 300,
      responseCode: response?.ResponseCode ?? 403,
      responseBody:
        (response?.CustomResponseBodyKey &&
          acl.CustomResponseBodies?.[response.CustomResponseBodyKey]?.Content) ||
        JSON.stringify({ errors: [{ errorType: 'Forbidden', message: 'Forbidden' }] }),
      ...found,
      ...(byCaller ? { perCaller: Number(rate.Limit) } : { perIp: Number(rate.Limit) }),
    };
  }
  return found;
}

function readModelIntrospection(directory: string): unknown {
  for (const entry of readdirSync(directory)) {
    const candidate = path.join(directory, entry, 'modelIntrospectionSchema.json');
    if (entry.startsWith('asset.') && existsSync(candidate)) {
      return JSON.parse(readFileSync(candidate, 'utf8'));
    }
  }
  throw new LocalRuntimeError(
    `No modelIntrospectionSchema.json in ${directory}.`,
    'Delete the synth cache (.steward/synth) and start again.',
  );
}

/** Replaces the `{{placeholders}}` of function environments with the values now known. */
export function bindPlaceholders(
  assembly: CloudAssembly,
  values: Partial<Record<keyof typeof PLACEHOLDERS, string>>,
): CloudAssembly {
  const bind = (text: string) =>
    Object.entries(values).reduce(
      (acc, [key, value]) =>
        acc.split(PLACEHOLDERS[key as keyof typeof PLACEHOLDERS]).join(value ?? ''),
      text,
    );
  return {
    ...assembly,
    functions: assembly.functions.map((fn) => ({
      ...fn,
      environment: Object.fromEntries(Object.entries(fn.environment).map(([k, v]) => [k, bind(v)])),
      policy: fn.policy?.map((statement) => ({
        ...statement,
        resources: statement.resources?.map(bind),
        notResources: statement.notResources?.map(bind),
      })),
    })),
  };
}
