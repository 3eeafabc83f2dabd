import {
  AmplifyAppSyncSimulator,
  type AmplifyAppSyncSimulatorConfig,
  type AppSyncSimulatorServerConfig,
  VelocityTemplate,
} from '@aws-amplify/amplify-appsync-simulator';
import { createRequire } from 'node:module';
import type { DocumentNode, GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import {
  AppSyncJsEarlyReturn,
  AppSyncJsError,
  type AppSyncJsContext,
  type AppSyncJsIdentity,
  type AppSyncJsModule,
  compileAppSyncJs,
} from './js-runtime';
import type { JsCode } from './simulator-config';
import {
  matchesSubscriptionArguments,
  matchesSubscriptionFilter,
  SubscriptionFilterError,
  type SubscriptionFilter,
  toSubscriptionFilter,
  validateSubscriptionFilter,
} from './subscription-filter';

/**
 * The simulator's own CommonJS copy of graphql (15.x). An ESM `import 'graphql'` would load the
 * .mjs build, a second realm whose functions reject the simulator's schema.
 */
const simulatorRequire = createRequire(
  createRequire(import.meta.url).resolve('@aws-amplify/amplify-appsync-simulator'),
);
const { isNonNullType, specifiedRules, subscribe, validate } = simulatorRequire(
  'graphql',
) as typeof import('graphql');

/**
 * The simulator decodes each request's JWT twice with jwt-decode, whose base64 decoder rebuilds
 * the text a character at a time through a regular expression and decodeURIComponent (about 3%
 * of the runtime's CPU under load). Node's base64url decoder gives the same payload. Nothing
 * decoded here is trusted for being decoded: the token verifier in front of the simulator has
 * checked the signature and the claims.
 */
const authHelpers = simulatorRequire('./utils/auth-helpers/helpers.js') as {
  extractJwtToken: (authorization: string) => unknown;
};
authHelpers.extractJwtToken = (authorization) => {
  try {
    const payload = String(authorization).split('.')[1];
    if (payload === undefined) return undefined;
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
};

/**
 * The simulator prints every Lambda data-source error with its stack, expected domain errors
 * (CONFLICT, FORBIDDEN…) included. The error still reaches the resolver's template, and so the
 * client, as AppSync reports it; only the console noise goes.
 */
type LambdaLoader = { _config: { invoke: (payload: unknown) => Promise<unknown> } };
const lambdaModule = simulatorRequire('./data-loader/lambda/index.js') as {
  LambdaDataLoader: {
    prototype: {
      load: (
        this: LambdaLoader,
        req: { operation: string; payload: unknown },
        extra: unknown,
      ) => Promise<unknown>;
    };
  };
};
const loadWithLogging = lambdaModule.LambdaDataLoader.prototype.load;
lambdaModule.LambdaDataLoader.prototype.load = function quietLoad(this: LambdaLoader, req, extra) {
  return req.operation === 'BatchInvoke'
    ? loadWithLogging.call(this, req, extra)
    : this._config.invoke(req.payload);
};

/** The simulator's per-request GraphQL context, plus the filter a subscription resolver set. */
export type ExecutionContext = {
  jwt?: Record<string, unknown>;
  sourceIp?: string;
  headers: Record<string, unknown>;
  requestAuthorizationMode: string;
  appsyncErrors: unknown[];
  subscriptionFilter?: SubscriptionFilter;
};

type Log = (line: string) => void;

/** An error the simulator reports as `{ message, errorType, … }` (it exposes `extensions`). */
export class ResolverError extends Error {
  readonly extensions: Record<string, unknown>;
  constructor(message: string, errorType: string | undefined, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ResolverError';
    this.extensions = { message, errorType: errorType ?? null, ...extra };
  }
}

function pathOf(info: GraphQLResolveInfo | undefined): (string | number)[] {
  const out: (string | number)[] = [];
  for (let p = info?.path; p; p = p.prev) out.unshift(p.key);
  return out;
}

function toResolverError(err: unknown, info?: GraphQLResolveInfo): ResolverError {
  if (err instanceof ResolverError) return err;
  if (err instanceof AppSyncJsError) {
    return new ResolverError(err.message, err.errorType, {
      data: err.data,
      errorInfo: err.errorInfo,
      path: pathOf(info),
    });
  }
  if (err instanceof SubscriptionFilterError) {
    return new ResolverError(err.message, err.errorType, {
      errorCode: err.errorCode,
      path: pathOf(info),
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ResolverError(message, 'Code', { path: pathOf(info) });
}

/** Plain JSON out of the simulator's Java-like VTL values. */
function plainOf(value: unknown): unknown {
  const v = value as { toJSON?: () => unknown } | null | undefined;
  return v && typeof v.toJSON === 'function' ? v.toJSON() : value;
}

/** Records a subscription filter on the request, enforcing AppSync's limits as AppSync does. */
function setSubscriptionFilter(
  context: ExecutionContext,
  filter: unknown,
  info?: GraphQLResolveInfo,
): void {
  try {
    context.subscriptionFilter = validateSubscriptionFilter(plainOf(filter));
  } catch (err) {
    context.appsyncErrors.push(toResolverError(err, info));
  }
}

type RenderContext = {
  util: Record<string, unknown> & { transform: Record<string, unknown> };
  utils: unknown;
  ctx: {
    identity?: {
      put?: (key: string, value: unknown) => unknown;
      containsKey?: (key: string) => boolean;
    } | null;
  };
  context: unknown;
  extensions?: unknown;
};
type BuildRenderContext = (
  ctxValues: unknown,
  requestContext: ExecutionContext,
  info?: GraphQLResolveInfo,
) => RenderContext;

/**
 * VTL templates with what the simulator lacks: `$extensions.setSubscriptionFilter`,
 * `$util.transform.toSubscriptionFilter`, and `$ctx.identity.groups` (AWS sets it; the simulator
 * only has the claim).
 */
class ExtendedVelocityTemplate extends VelocityTemplate {}
{
  // buildRenderContext is private in the simulator's typings, so it is extended on the subclass only.
  const proto = ExtendedVelocityTemplate.prototype as unknown as {
    buildRenderContext: BuildRenderContext;
  };
  const base = proto.buildRenderContext;
  proto.buildRenderContext = function (this: unknown, ctxValues, requestContext, info) {
    const rendered = base.call(this, ctxValues, requestContext, info);
    const util = {
      ...rendered.util,
      transform: {
        ...rendered.util.transform,
        toSubscriptionFilter: (filter: unknown, ignored?: unknown, rules?: unknown) => {
          try {
            return toSubscriptionFilter(
              plainOf(filter),
              (plainOf(ignored) as string[] | undefined) ?? [],
              plainOf(rules),
            );
          } catch (err) {
            requestContext.appsyncErrors.push(toResolverError(err, info));
            return { filterGroup: [] };
          }
        },
      },
    };
    rendered.util = util;
    rendered.utils = util;
    rendered.extensions = {
      // Returns '' so a bare `$extensions.setSubscriptionFilter(...)` statement renders nothing.
      setSubscriptionFilter: (filter: unknown) => (
        setSubscriptionFilter(requestContext, filter, info),
        ''
      ),
      setSubscriptionInvalidationFilter: () => '',
      invalidateSubscriptions: () => '',
      evictFromApiCache: () => '',
    };
    const identity = rendered.ctx.identity;
    const groups = requestContext.jwt?.['cognito:groups'];
    if (identity?.put && !identity.containsKey?.('groups'))
      identity.put('groups', Array.isArray(groups) ? groups : null);
    return rendered;
  };
}

/**
 * Response templates that only hand a result on (`$util.toJson($ctx.prev.result)`, and
 * `$util.toJson($ctx.result)` after the usual error check), as the generated pipelines end.
 * Rendering them converts every item of a page into VTL maps and lists and back through JSON
 * (twice for the pipeline's last step): most of the CPU of a 50-item list. Their output is their
 * input, so they return it directly; with an error they render as usual.
 */
const PASS_THROUGH: Record<string, 'result' | 'prevResult'> = {
  '$util.toJson($ctx.prev.result)': 'prevResult',
  '#if( $ctx.error )\n  $util.error($ctx.error.message, $ctx.error.type)\n#end\n$util.toJson($ctx.result)':
    'result',
};
{
  type RenderValues = {
    result?: unknown;
    prevResult?: unknown;
    stash?: Record<string, unknown>;
    arguments?: Record<string, unknown>;
    error?: unknown;
  };
  type Render = (
    values: RenderValues,
    context: ExecutionContext,
    info?: GraphQLResolveInfo,
  ) => unknown;
  const proto = ExtendedVelocityTemplate.prototype as unknown as {
    render: Render;
    template: { content: string | Buffer };
  };
  const base = proto.render;
  proto.render = function (this: typeof proto, values, context, info) {
    const source = PASS_THROUGH[String(this.template.content).trim()];
    const value = source ? values[source] : undefined;
    if (!source || values.error || value === undefined)
      return base.call(this, values, context, info);
    return {
      // A copy, as the JSON round trip of a render would give.
      result: structuredClone(value),
      stash: structuredClone(values.stash ?? {}),
      args: structuredClone(values.arguments ?? {}),
      errors: [],
      isReturn: false,
      hadException: false,
    };
  };
}

function identityOf(context: ExecutionContext): AppSyncJsIdentity | null {
  const jwt = context.jwt;
  if (!jwt) return null;
  const groups = jwt['cognito:groups'];
  return {
    sub: typeof jwt.sub === 'string' ? jwt.sub : undefined,
    issuer: typeof jwt.iss === 'string' ? jwt.iss : undefined,
    username: String(jwt['cognito:username'] ?? jwt.username ?? ''),
    claims: jwt,
    sourceIp: context.sourceIp ? [context.sourceIp] : [],
    defaultAuthStrategy: 'ALLOW',
    groups: Array.isArray(groups) ? groups.map(String) : null,
  };
}

function selectionSetList(info: GraphQLResolveInfo | undefined): string[] {
  const node = info?.fieldNodes[0];
  const out: string[] = [];
  const walk = (
    set: typeof node extends undefined ? never : NonNullable<typeof node>['selectionSet'],
    prefix: string,
  ) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind !== 'Field' || selection.name.value.startsWith('__')) continue;
      const name = prefix + selection.name.value;
      out.push(name);
      walk(selection.selectionSet, `${name}/`);
    }
  };
  walk(node?.selectionSet, '');
  return out;
}

type JsCall = {
  source: unknown;
  args: Record<string, unknown>;
  stash: Record<string, unknown>;
  prevResult: unknown;
  context: ExecutionContext;
  info?: GraphQLResolveInfo;
};

function jsContext(call: JsCall): AppSyncJsContext {
  const args = JSON.parse(JSON.stringify(call.args ?? {})) as Record<string, unknown>;
  return {
    arguments: args,
    args,
    identity: identityOf(call.context),
    source: call.source ?? null,
    stash: call.stash,
    prev: { result: call.prevResult ?? null },
    request: { headers: call.context.headers ?? {}, domainName: null },
    info: {
      fieldName: call.info?.fieldName ?? '',
      parentTypeName: call.info?.parentType.name ?? '',
      variables: (call.info?.variableValues as Record<string, unknown>) ?? {},
      selectionSetList: selectionSetList(call.info),
    },
    env: {},
  };
}

function hooksFor(call: JsCall, log?: Log) {
  return {
    setSubscriptionFilter: (filter: unknown) =>
      setSubscriptionFilter(call.context, filter, call.info),
    appendError: (error: AppSyncJsError) =>
      call.context.appsyncErrors.push(toResolverError(error, call.info)),
    log,
  };
}

type DataLoader = { load: (request: unknown, extra?: unknown) => unknown };
type SimulatorFunction = {
  resolve: (
    source: unknown,
    args: Record<string, unknown>,
    stash: Record<string, unknown>,
    prevResult: unknown,
    context: ExecutionContext,
    info?: GraphQLResolveInfo,
  ) => Promise<{
    result: unknown;
    stash: Record<string, unknown>;
    args: Record<string, unknown>;
    hadException?: boolean;
  }>;
};

/** An APPSYNC_JS pipeline function, with the interface the simulator's pipeline resolver calls. */
class JsPipelineFunction implements SimulatorFunction {
  constructor(
    private readonly module: AppSyncJsModule,
    private readonly dataSource: () => DataLoader,
    private readonly log?: Log,
  ) {}

  async resolve(
    source: unknown,
    args: Record<string, unknown>,
    stash: Record<string, unknown>,
    prevResult: unknown,
    context: ExecutionContext,
    info?: GraphQLResolveInfo,
  ) {
    const call: JsCall = { source, args, stash, prevResult, context, info };
    const ctx = jsContext(call);
    const hooks = hooksFor(call, this.log);
    let request: unknown;
    try {
      request = this.module.call('request', ctx, hooks);
    } catch (err) {
      if (err instanceof AppSyncJsEarlyReturn) return { result: err.value, stash: ctx.stash, args };
      context.appsyncErrors.push(toResolverError(err, info));
      return { result: null, stash: ctx.stash, args, hadException: true };
    }
    try {
      ctx.result = await this.dataSource().load(request, { source, args, context, info });
      ctx.error = null;
    } catch (err) {
      const e = err as { message?: string; type?: string; extensions?: { errorType?: string } };
      ctx.error = {
        message: e.message ?? String(err),
        type: e.type ?? e.extensions?.errorType ?? 'UnknownErrorType',
      };
    }
    try {
      return { result: this.module.call('response', ctx, hooks), stash: ctx.stash, args };
    } catch (err) {
      if (err instanceof AppSyncJsEarlyReturn) return { result: err.value, stash: ctx.stash, args };
      context.appsyncErrors.push(toResolverError(err, info));
      return { result: null, stash: ctx.stash, args, hadException: true };
    }
  }
}

/** An APPSYNC_JS resolver (UNIT or PIPELINE) with the interface the simulator's schema calls. */
class JsResolver {
  constructor(
    private readonly module: AppSyncJsModule,
    private readonly steps:
      | { kind: 'PIPELINE'; functions: string[]; getFunction: (id: string) => SimulatorFunction }
      | { kind: 'UNIT'; dataSource: () => DataLoader },
    private readonly log?: Log,
  ) {}

  async resolve(
    source: unknown,
    args: Record<string, unknown>,
    context: ExecutionContext,
    info?: GraphQLResolveInfo,
  ) {
    const stash: Record<string, unknown> = {};
    const call: JsCall = { source, args, stash, prevResult: null, context, info };
    const ctx = jsContext(call);
    const hooks = hooksFor(call, this.log);
    let prev: unknown;
    try {
      prev = this.module.call('request', ctx, hooks);
    } catch (err) {
      if (err instanceof AppSyncJsEarlyReturn) return err.value;
      throw toResolverError(err, info);
    }
    if (this.steps.kind === 'PIPELINE') {
      let currentArgs = args;
      let currentStash = ctx.stash;
      for (const id of this.steps.functions) {
        const step = await this.steps
          .getFunction(id)
          .resolve(source, currentArgs, currentStash, prev, context, info);
        if (step.hadException) return step.result;
        prev = step.result;
        currentStash = step.stash;
        currentArgs = step.args ?? currentArgs;
      }
      ctx.stash = currentStash;
      ctx.prev = { result: prev };
    } else {
      try {
        ctx.result = await this.steps.dataSource().load(prev, { source, args, context, info });
      } catch (err) {
        const e = err as { message?: string; type?: string };
        ctx.error = { message: e.message ?? String(err), type: e.type ?? 'UnknownErrorType' };
      }
    }
    try {
      return this.module.call('response', ctx, hooks);
    } catch (err) {
      if (err instanceof AppSyncJsEarlyReturn) return err.value;
      throw toResolverError(err, info);
    }
  }
}

/** An async iterator that yields only the values the predicate accepts. */
function filteredIterator<T>(
  source: AsyncIterator<T>,
  accept: (value: T) => boolean,
): AsyncIterableIterator<T> {
  return {
    async next() {
      for (;;) {
        const item = await source.next();
        if (item.done || accept(item.value)) return item;
      }
    },
    return: () =>
      source.return ? source.return() : Promise.resolve({ value: undefined, done: true as const }),
    throw: (error?: unknown) => (source.throw ? source.throw(error) : Promise.reject(error)),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * The simulator with the local runtime's additions, hooked through its own extension points:
 * `getMappingTemplate` (extended VTL), `getResolver`/`getFunction` (APPSYNC_JS), and each
 * Subscription field's `subscribe` (per-subscriber filtering on the published payload).
 */
export class LocalAppSyncSimulator extends AmplifyAppSyncSimulator {
  private readonly templates = new Map<string, ExtendedVelocityTemplate>();
  private readonly jsResolvers = new Map<string, JsResolver>();
  private readonly jsFunctions = new Map<string, JsPipelineFunction>();
  private templateSources = new Map<string, string>();

  constructor(
    serverConfig: AppSyncSimulatorServerConfig,
    private readonly js: JsCode,
    private readonly log?: Log,
  ) {
    super(serverConfig);
  }

  override init(config: AmplifyAppSyncSimulatorConfig): void {
    this.templateSources = new Map(
      (config.mappingTemplates ?? []).map((t) => [t.path ?? '', t.content]),
    );
    this.templates.clear();
    this.jsFunctions.clear();
    this.jsResolvers.clear();
    for (const [id, fn] of this.js.functions) {
      this.jsFunctions.set(
        id,
        new JsPipelineFunction(
          compileAppSyncJs(fn.code, id),
          () => this.loader(fn.dataSourceName),
          this.log,
        ),
      );
    }
    for (const resolver of config.resolvers ?? []) {
      const key = `${resolver.typeName}:${resolver.fieldName}`;
      const code = this.js.resolvers.get(key);
      if (!code) continue;
      const module = compileAppSyncJs(code, key);
      const steps =
        'functions' in resolver
          ? {
              kind: 'PIPELINE' as const,
              functions: resolver.functions,
              getFunction: (id: string) => this.getFunction(id) as unknown as SimulatorFunction,
            }
          : { kind: 'UNIT' as const, dataSource: () => this.loader(resolver.dataSourceName) };
      this.jsResolvers.set(key, new JsResolver(module, steps, this.log));
    }
    super.init(config);
    this.filterSubscriptions();
    this.raiseErrorsOfNonNullFields();
  }

  override getMappingTemplate(path: string): VelocityTemplate {
    const cached = this.templates.get(path);
    if (cached) return cached;
    const content = this.templateSources.get(path);
    if (content === undefined) throw new Error(`Missing mapping template ${path}`);
    const template = new ExtendedVelocityTemplate({ path, content }, this);
    this.templates.set(path, template);
    return template;
  }

  override getResolver(typeName: string, fieldName: string): unknown {
    return (
      this.jsResolvers.get(`${typeName}:${fieldName}`) ?? super.getResolver(typeName, fieldName)
    );
  }

  override getFunction(functionName: string): ReturnType<AmplifyAppSyncSimulator['getFunction']> {
    const js = this.jsFunctions.get(functionName);
    // The simulator's pipeline resolver only calls resolve() with the same arguments.
    return js
      ? (js as unknown as ReturnType<AmplifyAppSyncSimulator['getFunction']>)
      : super.getFunction(functionName);
  }

  private loader(name: string): DataLoader {
    return this.getDataLoader(name) as unknown as DataLoader;
  }

  /**
   * Starts a subscription as AppSync does: the subscription resolver runs once (auth, filters,
   * `util.unauthorized()`), its return value is ignored, and events are filtered per subscriber.
   * Replaces the simulator's runSubscription, which executes the subscription as a query and so
   * fails on non-null subscription types.
   */
  async startSubscription(
    document: DocumentNode,
    variables: Record<string, unknown> | undefined,
    context: ExecutionContext,
    operationName?: string,
  ): Promise<AsyncIterator<unknown> | { data: null; errors: readonly unknown[] }> {
    const invalid = validate(this.schema, document, specifiedRules);
    if (invalid.length) return { data: null, errors: invalid };
    const result = await subscribe({
      schema: this.schema,
      document,
      variableValues: variables,
      contextValue: context,
      operationName,
    });
    if (context.appsyncErrors.length) {
      if (Symbol.asyncIterator in result) await result.return?.();
      return { data: null, errors: context.appsyncErrors.map((e) => appSyncErrorJson(e)) };
    }
    if ('errors' in result && result.errors) return { data: null, errors: result.errors };
    return result as AsyncIterator<unknown>;
  }

  /** Replaces every Subscription field's subscribe with one that runs the resolver, then filters per subscriber. */
  private filterSubscriptions(): void {
    const fields = this.schema.getSubscriptionType()?.getFields() ?? {};
    for (const [fieldName, field] of Object.entries(fields)) {
      // The simulator's resolve (behind its auth directive) runs the resolver when there is no source.
      const resolve = field.resolve;
      const subscribe: GraphQLFieldResolver<
        unknown,
        ExecutionContext,
        Record<string, unknown>
      > = async (_source, args, context, info) => {
        try {
          await resolve?.(undefined, args, context, info);
        } catch (err) {
          context.appsyncErrors.push(err);
        }
        if (context.appsyncErrors.length) throw new Error('Subscription failed');
        const filter = context.subscriptionFilter;
        return filteredIterator(this.pubsub.asyncIterator<unknown>(fieldName), (payload) => {
          if (payload === null || payload === undefined) return false;
          if (!matchesSubscriptionArguments(args, payload)) return false;
          return filter ? matchesSubscriptionFilter(filter, payload) : true;
        });
      };
      field.subscribe = subscribe as typeof field.subscribe;
    }
  }

  /**
   * A non-null root field whose resolver reported an error answers with that error alone, as on
   * AWS, rather than the simulator's extra "Cannot return null for non-nullable field".
   */
  private raiseErrorsOfNonNullFields(): void {
    for (const type of [this.schema.getQueryType(), this.schema.getMutationType()]) {
      for (const field of Object.values(type?.getFields() ?? {})) {
        const resolve = field.resolve;
        if (!resolve || !isNonNullType(field.type)) continue;
        field.resolve = async (source, args, context: ExecutionContext, info) => {
          const before = context.appsyncErrors.length;
          const result: unknown = await resolve(source, args, context, info);
          if ((result === null || result === undefined) && context.appsyncErrors.length > before) {
            const [first] = context.appsyncErrors.splice(before, 1);
            throw first;
          }
          return result;
        };
      }
    }
  }
}

/** An error as AppSync's real-time protocol shows it: `{ message, errorType, … }`. */
export function appSyncErrorJson(error: unknown): Record<string, unknown> {
  const e = error as { message?: string; extensions?: Record<string, unknown> };
  if (e?.extensions && Object.keys(e.extensions).length)
    return { message: e.message, ...e.extensions };
  return { message: e?.message ?? String(error) };
}
