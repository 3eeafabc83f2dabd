import { randomUUID } from 'node:crypto';
import vm from 'node:vm';
import { transformSync } from 'esbuild';
import { toSubscriptionFilter } from './subscription-filter';

/** The `ctx` an APPSYNC_JS request/response handler receives. */
export type AppSyncJsContext = {
  arguments: Record<string, unknown>;
  args: Record<string, unknown>;
  identity: AppSyncJsIdentity | AppSyncJsIamIdentity | null;
  source: unknown;
  stash: Record<string, unknown>;
  prev: { result: unknown };
  result?: unknown;
  error?: { message: string; type: string } | null;
  request: { headers: Record<string, unknown>; domainName: string | null };
  info: {
    fieldName: string;
    parentTypeName: string;
    variables: Record<string, unknown>;
    selectionSetList: string[];
  };
  env: Record<string, string>;
};

/** A Cognito user-pool identity as AppSync gives it to resolvers. */
export type AppSyncJsIdentity = {
  sub?: string;
  issuer?: string;
  username?: string;
  claims: Record<string, unknown>;
  sourceIp: string[];
  defaultAuthStrategy: 'ALLOW' | 'DENY';
  groups: string[] | null;
};

/** An AWS_IAM caller as AppSync gives it to resolvers (no sub, no claims). */
export type AppSyncJsIamIdentity = {
  accountId?: string;
  userArn?: string;
  username?: string;
  cognitoIdentityPoolId?: string | null;
  cognitoIdentityId?: string | null;
  sourceIp: string[];
};

/** A GraphQL error raised by `util.error`, `util.unauthorized` or `util.appendError`. */
export class AppSyncJsError extends Error {
  constructor(
    message: string,
    readonly errorType: string | undefined,
    readonly data: unknown = null,
    readonly errorInfo: unknown = null,
  ) {
    super(message);
    this.name = 'AppSyncJsError';
  }
}

/** Thrown by `runtime.earlyReturn(value)` to stop the current handler chain with a result. */
export class AppSyncJsEarlyReturn {
  constructor(readonly value: unknown) {}
}

/** What a handler may do beyond returning: filters, appended errors, log lines. */
export type AppSyncJsHooks = {
  setSubscriptionFilter?: (filter: unknown) => void;
  appendError?: (error: AppSyncJsError) => void;
  log?: (line: string) => void;
};

/** A compiled APPSYNC_JS module: its request/response handlers, run with a fresh util per call. */
export type AppSyncJsModule = {
  name: string;
  has: (handler: 'request' | 'response') => boolean;
  call: (handler: 'request' | 'response', ctx: AppSyncJsContext, hooks?: AppSyncJsHooks) => unknown;
};

/** An APPSYNC_JS module that could not be compiled. */
export class AppSyncJsCompileError extends Error {
  constructor(name: string, options: { cause: unknown }) {
    super(
      `APPSYNC_JS code of ${name} could not be compiled: ${(options.cause as Error)?.message ?? options.cause}`,
      options,
    );
    this.name = 'AppSyncJsCompileError';
  }
}

type AttributeValue =
  | { S: string }
  | { N: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> };

function toDynamoDB(value: unknown): AttributeValue {
  if (value === null || value === undefined) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(toDynamoDB) };
  if (typeof value === 'object') return { M: toMapValues(value as Record<string, unknown>) };
  return { S: String(value) };
}

function toMapValues(value: Record<string, unknown>): Record<string, AttributeValue> {
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, toDynamoDB(v)]),
  );
}

function errorArgs(
  message: unknown,
  type?: unknown,
  data?: unknown,
  info?: unknown,
): AppSyncJsError {
  return new AppSyncJsError(
    String(message),
    type === undefined || type === null ? undefined : String(type),
    data ?? null,
    info ?? null,
  );
}

/** The `@aws-appsync/utils` surface, bound to whichever invocation is running (handlers are synchronous). */
function createUtilsModule(current: () => AppSyncJsHooks): Record<string, unknown> {
  const util = {
    error(message: unknown, type?: unknown, data?: unknown, info?: unknown): never {
      throw errorArgs(message, type, data, info);
    },
    appendError(message: unknown, type?: unknown, data?: unknown, info?: unknown): void {
      current().appendError?.(errorArgs(message, type, data, info));
    },
    unauthorized(): never {
      throw new AppSyncJsError('Unauthorized', 'Unauthorized');
    },
    autoId: () => randomUUID(),
    isNull: (v: unknown) => v === null || v === undefined,
    isNullOrEmpty: (v: unknown) =>
      v === null || v === undefined || (typeof v === 'string' && v.length === 0),
    isNullOrBlank: (v: unknown) =>
      v === null || v === undefined || (typeof v === 'string' && v.trim().length === 0),
    defaultIfNull: (v: unknown, d: unknown) => (v === null || v === undefined ? d : v),
    escapeJavaScript: (v: string) => JSON.stringify(String(v)).slice(1, -1),
    time: {
      nowISO8601: () => new Date().toISOString(),
      nowEpochMilliSeconds: () => Date.now(),
      nowEpochSeconds: () => Math.floor(Date.now() / 1000),
    },
    transform: {
      toSubscriptionFilter: (filter: unknown, ignoredFields?: string[], rules?: unknown) =>
        toSubscriptionFilter(filter, ignoredFields ?? [], rules),
    },
    dynamodb: {
      toDynamoDB,
      toMapValues,
      toString: (v: string) => ({ S: v }),
      toNumber: (v: number) => ({ N: String(v) }),
    },
  };
  const extensions = {
    setSubscriptionFilter: (filter: unknown) => current().setSubscriptionFilter?.(filter),
    // Invalidation is not simulated; accepted so handlers that call it still run.
    setSubscriptionInvalidationFilter: () => undefined,
    invalidateSubscriptions: () => undefined,
    evictFromApiCache: () => undefined,
  };
  const runtime = {
    earlyReturn(value?: unknown): never {
      throw new AppSyncJsEarlyReturn(value ?? null);
    },
  };
  return { util, extensions, runtime };
}

/** Plain host data, so nothing of the handler's realm leaks out (AppSync serializes too). */
function plain<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Transforms ESM APPSYNC_JS code to CJS once and evaluates it in its own VM context. */
export function compileAppSyncJs(code: string, name: string): AppSyncJsModule {
  let cjs: string;
  try {
    cjs = transformSync(code, {
      loader: 'js',
      format: 'cjs',
      target: 'es2020',
      sourcefile: name,
    }).code;
  } catch (err) {
    throw new AppSyncJsCompileError(name, { cause: err });
  }
  let hooks: AppSyncJsHooks = {};
  const utilsModule = createUtilsModule(() => hooks);
  const requireShim = (specifier: string) => {
    if (specifier === '@aws-appsync/utils') return utilsModule;
    throw new AppSyncJsError(
      `APPSYNC_JS code cannot import '${specifier}': only @aws-appsync/utils is available.`,
      'CodeError',
    );
  };
  const log = (...parts: unknown[]) =>
    hooks.log?.(
      `[${name}] ${parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ')}`,
    );
  const sandbox = vm.createContext({
    console: { log, info: log, warn: log, error: log, debug: log },
  });
  const module: { exports: Record<string, unknown> } = { exports: {} };
  try {
    const wrapper = new vm.Script(`(function (exports, require, module) {\n${cjs}\n})`, {
      filename: name,
    });
    const fn = wrapper.runInContext(sandbox, { timeout: 1000 }) as (
      exports: unknown,
      require: unknown,
      module: unknown,
    ) => void;
    fn(module.exports, requireShim, module);
  } catch (err) {
    throw new AppSyncJsCompileError(name, { cause: err });
  }
  const handler = (kind: 'request' | 'response') => {
    const h = module.exports[kind];
    return typeof h === 'function' ? (h as (ctx: unknown) => unknown) : undefined;
  };
  return {
    name,
    has: (kind) => handler(kind) !== undefined,
    call(kind, ctx, callHooks = {}) {
      const h = handler(kind);
      if (!h) throw new AppSyncJsError(`${name} has no ${kind} handler.`, 'CodeError');
      hooks = callHooks;
      try {
        return plain(h(ctx));
      } finally {
        hooks = {};
      }
    },
  };
}
