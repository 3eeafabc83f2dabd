import {
  AmplifyAppSyncSimulator,
  type AmplifyAppSyncSimulatorConfig,
  type AppSyncSimulatorServerConfig,
  type VelocityTemplate,
} from '@aws-amplify/amplify-appsync-simulator';
import type { DocumentNode, GraphQLResolveInfo } from 'graphql';
import {
  AppSyncJsEarlyReturn,
  AppSyncJsError,
  type AppSyncJsContext,
  type AppSyncJsIamIdentity,
  type AppSyncJsIdentity,
  type AppSyncJsModule,
  compileAppSyncJs,
} from './js-runtime';
import { LocalVelocityTemplate } from './local-velocity-template';
import {
  appSyncErrorJson,
  type ExecutionContext,
  setSubscriptionFilter,
  toResolverError,
} from './resolver-error';
import type { JsCode } from './simulator-config';
import { simulatorRequire } from './simulator-module';

export { type ExecutionContext, ResolverError, appSyncErrorJson } from './resolver-error';

const { specifiedRules, subscribe, validate } = simulatorRequire(
  'graphql',
) as typeof import('graphql');

type Log = (line: string) => void;

function identityOf(context: ExecutionContext): AppSyncJsIdentity | AppSyncJsIamIdentity | null {
  const jwt = context.jwt;
  if (context.requestAuthorizationMode === 'AWS_IAM' && context.iamToken) {
    const { accountId, userArn, username, cognitoIdentityPoolId, cognitoIdentityId } =
      context.iamToken;
    return {
      accountId,
      userArn,
      username,
      cognitoIdentityPoolId: cognitoIdentityPoolId ?? null,
      cognitoIdentityId: cognitoIdentityId ?? null,
      sourceIp: context.sourceIp ? [context.sourceIp] : [],
    };
  }
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

/**
 * The simulator with the local runtime's additions, hooked through its own extension points:
 * `getMappingTemplate` (LocalVelocityTemplate), `getResolver`/`getFunction` (APPSYNC_JS), and
 * `startSubscription` for the real-time server. What changes the simulator's own behaviour is
 * in simulator-patches.ts, applied once after `init` (and again after any later `init`).
 */
export class LocalAppSyncSimulator extends AmplifyAppSyncSimulator {
  private readonly templates = new Map<string, LocalVelocityTemplate>();
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
  }

  override getMappingTemplate(path: string): VelocityTemplate {
    const cached = this.templates.get(path);
    if (cached) return cached;
    const content = this.templateSources.get(path);
    if (content === undefined) throw new Error(`Missing mapping template ${path}`);
    const template = new LocalVelocityTemplate({ path, content }, this);
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
}
