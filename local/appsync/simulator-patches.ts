import { Server } from 'node:http';
import type { IncomingMessage } from 'node:http';
import {
  AmplifyAppSyncSimulatorAuthenticationType,
  VelocityTemplate,
} from '@aws-amplify/amplify-appsync-simulator';
import type { DocumentNode, GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import type { WebSocketServer } from 'ws';
import { LocalRuntimeError } from '../process-utils';
import type { LocalAppSyncSimulator } from './local-simulator';
import {
  extendRenderContext,
  LocalVelocityTemplate,
  type RenderContext,
} from './local-velocity-template';
import { authorizationOf } from './realtime-handshake';
import type { ExecutionContext } from './resolver-error';
import {
  installedSimulatorVersion,
  PINNED_SIMULATOR_VERSION,
  simulatorRequire,
} from './simulator-module';
import { matchesSubscriptionArguments, matchesSubscriptionFilter } from './subscription-filter';
import {
  TokenVerificationError,
  type TokenVerifier,
  tokenFromAuthorization,
} from './token-verifier';
import { passThroughRender, type RenderValues } from './vtl-fast-path';

const { isNonNullType } = simulatorRequire('graphql') as typeof import('graphql');

/** A patch found the simulator's internals in a shape it was not written for. */
export class SimulatorPatchError extends LocalRuntimeError {
  constructor(
    readonly patch: string,
    detail: string,
    readonly installedVersion: string,
  ) {
    super(
      `Simulator patch "${patch}" does not fit @aws-amplify/amplify-appsync-simulator ` +
        `${installedVersion} (written for ${PINNED_SIMULATOR_VERSION}): ${detail}.`,
      `Pin @aws-amplify/amplify-appsync-simulator to ${PINNED_SIMULATOR_VERSION} in package.json and ` +
        `run npm install, or rewrite the patch "${patch}" in local/appsync/simulator-patches.ts ` +
        'for the new version and update PINNED_SIMULATOR_VERSION.',
    );
    this.name = 'SimulatorPatchError';
  }
}

/** The parts of the simulator's package the patches replace or rely on. */
export type SimulatorInternals = {
  /** From the simulator's package.json. */
  version: string;
  /** `lib/utils/auth-helpers/helpers.js`. */
  authHelpers: { extractJwtToken?: unknown };
  /** `lib/utils/auth-helpers/index.js`, which re-exports the helpers through getters. */
  authHelpersIndex: object;
  /** `lib/data-loader/lambda/index.js`. */
  lambdaDataLoader: { LambdaDataLoader?: { prototype: object } };
  /** `lib/schema/index.js`. */
  schema: { generateResolvers?: unknown };
  /** The simulator's own VTL template class. */
  velocityTemplate: { prototype: object };
  /** The local subclass the VTL patches install on. */
  localVelocityTemplate: { prototype: object };
};

/** The simulator's internals as installed. */
export function loadSimulatorInternals(): SimulatorInternals {
  return {
    version: installedSimulatorVersion(),
    authHelpers: simulatorRequire(
      './utils/auth-helpers/helpers.js',
    ) as SimulatorInternals['authHelpers'],
    authHelpersIndex: simulatorRequire('./utils/auth-helpers/index.js') as object,
    lambdaDataLoader: simulatorRequire(
      './data-loader/lambda/index.js',
    ) as SimulatorInternals['lambdaDataLoader'],
    schema: simulatorRequire('./schema/index.js') as SimulatorInternals['schema'],
    velocityTemplate: VelocityTemplate,
    localVelocityTemplate: LocalVelocityTemplate,
  };
}

/** What the patches work on: the simulator after `init`, its internals, and the runtime's token check. */
export type PatchTarget = {
  internals: SimulatorInternals;
  simulator: LocalAppSyncSimulator;
  /** Verifies a subscription's token; its claims become the request's identity. */
  verify: TokenVerifier;
  log?: (line: string) => void;
};

/** One change to the simulator's behaviour, with a check that what it replaces still has the expected shape. */
export type SimulatorPatch = {
  name: string;
  why: string;
  /**
   * `process`: a module of the simulator, changed once for the whole process;
   * `class`: the local subclass, changed once; `instance`: the given simulator only.
   */
  scope: 'process' | 'class' | 'instance';
  /** Throws SimulatorPatchError when the simulator no longer looks as the patch expects. */
  check(target: PatchTarget): void;
  apply(target: PatchTarget): void;
};

/** Throws unless `owner[key]` is a function with the given arity whose source has every fragment. */
function expectFunction(
  patch: string,
  target: PatchTarget,
  owner: unknown,
  key: string,
  shape: { arity?: number; source?: string[] } = {},
): void {
  const fail = (detail: string) => {
    throw new SimulatorPatchError(patch, detail, target.internals.version);
  };
  const fn = (owner as Record<string, unknown> | null | undefined)?.[key];
  if (typeof fn !== 'function') return fail(`${key} is not a function any more`);
  if (shape.arity !== undefined && fn.length !== shape.arity)
    fail(`${key} takes ${fn.length} parameter(s), not ${shape.arity}`);
  const source = Function.prototype.toString.call(fn);
  for (const fragment of shape.source ?? [])
    if (!source.includes(fragment)) fail(`${key} no longer contains \`${fragment}\``);
}

/** Throws unless the installed simulator is the pinned version. */
function expectPinnedVersion(patch: string, target: PatchTarget): void {
  if (target.internals.version !== PINNED_SIMULATOR_VERSION)
    throw new SimulatorPatchError(patch, 'the version changed', target.internals.version);
}

type ConnectionContext = { socket: unknown; request: IncomingMessage };
type StartMessage = { id?: string; type?: string };
/** The simulator's real-time server (WebsocketSubscriptionServer): not in its typings. */
export type RealtimeServer = {
  options: {
    onSubscribeHandler: (
      doc: unknown,
      variables: unknown,
      headers: Record<string, unknown> | undefined,
      request: IncomingMessage,
      operationName?: string,
    ) => Promise<unknown>;
  };
  onMessage: (context: ConnectionContext, raw: string) => unknown;
  onSubscriptionStart: (context: ConnectionContext, message: StartMessage) => Promise<void>;
  sendError: (context: ConnectionContext, id: string, payload: unknown) => void;
  webSocketServer?: WebSocketServer;
};
/** The simulator's HTTP server and real-time server, which the runtime listens with itself. */
export type SimulatorServer = {
  httpServer: Server;
  realtime: { start(): void; stop(): Promise<void>; realtimeServer: RealtimeServer };
};

/**
 * The simulator's HTTP and real-time servers (private fields): the runtime listens with them on
 * its own host and puts its guards in front (the simulator's start() binds every interface).
 */
export function simulatorServer(simulator: LocalAppSyncSimulator): SimulatorServer {
  const server = (simulator as unknown as { _server?: Record<string, unknown> })._server;
  const httpServer = server?._httpServer;
  const realtime = server?._realTimeSubscriptionServer as
    Partial<SimulatorServer['realtime']> | undefined;
  const realtimeServer = realtime?.realtimeServer as Partial<RealtimeServer> | undefined;
  if (
    !(httpServer instanceof Server) ||
    typeof realtime?.start !== 'function' ||
    typeof realtime.stop !== 'function' ||
    typeof realtimeServer?.options?.onSubscribeHandler !== 'function'
  ) {
    throw new SimulatorPatchError(
      'simulator-server',
      '_server._httpServer or _server._realTimeSubscriptionServer.realtimeServer has changed',
      installedSimulatorVersion(),
    );
  }
  return { httpServer, realtime: realtime as SimulatorServer['realtime'] };
}

/** Applies `change` once per owner and name, for patches that outlive one simulator. */
const appliedOnce = new WeakMap<object, Set<string>>();
function once(owner: object, name: string, change: () => void): void {
  const names = appliedOnce.get(owner) ?? new Set<string>();
  if (names.has(name)) return;
  change();
  names.add(name);
  appliedOnce.set(owner, names);
}

const jwtDecodeBase64Url: SimulatorPatch = {
  name: 'jwt-decode-base64url',
  why:
    "The simulator decodes each request's JWT twice with jwt-decode, whose base64 decoder rebuilds " +
    'the text a character at a time (about 3% of the runtime CPU under load); Node decodes the ' +
    'same payload. Nothing decoded is trusted for it: the token verifier has checked the signature.',
  scope: 'process',
  check(target) {
    expectPinnedVersion(this.name, target);
    expectFunction(this.name, target, target.internals.authHelpers, 'extractJwtToken', {
      arity: 1,
    });
    // Its callers read it through index.js's getter, so replacing the export reaches them.
    const getter = Object.getOwnPropertyDescriptor(
      target.internals.authHelpersIndex,
      'extractJwtToken',
    )?.get;
    if (!getter || !String(getter).includes('helpers_1.extractJwtToken'))
      throw new SimulatorPatchError(
        this.name,
        'auth-helpers/index.js no longer re-exports extractJwtToken through a getter',
        target.internals.version,
      );
  },
  apply(target) {
    const helpers = target.internals.authHelpers;
    once(helpers, this.name, () => {
      helpers.extractJwtToken = (authorization: unknown) => {
        try {
          const payload = String(authorization).split('.')[1];
          if (payload === undefined) return undefined;
          return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
        } catch {
          return undefined;
        }
      };
    });
  },
};

type LambdaLoader = {
  _config: { invoke: (payload: unknown) => Promise<unknown> };
  load: (req: { operation: string; payload: unknown }, extra: unknown) => Promise<unknown>;
};

const quietLambdaErrors: SimulatorPatch = {
  name: 'quiet-lambda-errors',
  why:
    'The simulator prints every Lambda data-source error with its stack, expected domain errors ' +
    '(CONFLICT, FORBIDDEN…) included. The error still reaches the template and the client as ' +
    'AppSync reports it; only the console noise goes.',
  scope: 'instance',
  check(target) {
    expectPinnedVersion(this.name, target);
    expectFunction(
      this.name,
      target,
      target.internals.lambdaDataLoader.LambdaDataLoader?.prototype,
      'load',
      {
        arity: 2,
        source: ["'BatchInvoke'", 'this._config.invoke(req.payload)', 'console.error(e)'],
      },
    );
    const dataSources = (target.simulator as unknown as { dataSources?: unknown }).dataSources;
    if (!(dataSources instanceof Map))
      throw new SimulatorPatchError(
        this.name,
        'the simulator no longer keeps its data loaders in a Map named dataSources',
        target.internals.version,
      );
  },
  apply(target) {
    const { prototype } = target.internals.lambdaDataLoader.LambdaDataLoader as {
      prototype: LambdaLoader;
    };
    const loaders = (target.simulator as unknown as { dataSources: Map<string, LambdaLoader> })
      .dataSources;
    for (const lambda of loaders.values()) {
      if (Object.getPrototypeOf(lambda) !== prototype) continue;
      const loadWithLogging = prototype.load;
      lambda.load = (req, extra) =>
        req.operation === 'BatchInvoke'
          ? loadWithLogging.call(lambda, req, extra)
          : lambda._config.invoke(req.payload);
    }
  },
};

type BuildRenderContext = (
  ctxValues: unknown,
  requestContext: ExecutionContext,
  info?: GraphQLResolveInfo,
) => RenderContext;

const vtlExtensions: SimulatorPatch = {
  name: 'vtl-extensions',
  why:
    'Gen 2 subscriptions call $extensions.setSubscriptionFilter and ' +
    '$util.transform.toSubscriptionFilter, and group rules read $ctx.identity.groups; the ' +
    "simulator's render context has none of them.",
  scope: 'class',
  check(target) {
    expectPinnedVersion(this.name, target);
    const base = target.internals.velocityTemplate.prototype;
    expectFunction(this.name, target, base, 'buildRenderContext', {
      arity: 3,
      source: ['util,', 'utils: util', 'ctx: vtlContext'],
    });
    expectFunction(this.name, target, base, 'render', {
      source: ['this.buildRenderContext(ctxValues, requestContext, info)'],
    });
  },
  apply(target) {
    const proto = target.internals.localVelocityTemplate.prototype as {
      buildRenderContext: BuildRenderContext;
    };
    const base = (target.internals.velocityTemplate.prototype as typeof proto).buildRenderContext;
    once(proto, this.name, () => {
      proto.buildRenderContext = function (this: unknown, ctxValues, requestContext, info) {
        return extendRenderContext(
          base.call(this, ctxValues, requestContext, info),
          requestContext,
          info,
        );
      };
    });
  },
};

type Render = (
  values: RenderValues,
  context: ExecutionContext,
  info?: GraphQLResolveInfo,
) => unknown;

const vtlPassThrough: SimulatorPatch = {
  name: 'vtl-pass-through',
  why:
    'Response templates that only hand a result on return it without a render, which would ' +
    'turn every item of a page into VTL values and back through JSON (vtl-fast-path.ts).',
  scope: 'class',
  check(target) {
    expectPinnedVersion(this.name, target);
    expectFunction(this.name, target, target.internals.velocityTemplate.prototype, 'render', {
      arity: 3,
      source: ['hadException: false', 'JSON.parse(templateResult)', 'ctx.stash.toJSON()'],
    });
  },
  apply(target) {
    const proto = target.internals.localVelocityTemplate.prototype as {
      render: Render;
      passThrough?: LocalVelocityTemplate['passThrough'];
    };
    const base = (target.internals.velocityTemplate.prototype as typeof proto).render;
    once(proto, this.name, () => {
      proto.render = function (this: typeof proto, values, context, info) {
        return (
          passThroughRender(this.passThrough, values) ?? base.call(this, values, context, info)
        );
      };
    });
  },
};

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

/** The simulator's generated field resolvers, which both schema patches wrap. */
function expectGeneratedResolvers(patch: string, target: PatchTarget): void {
  expectFunction(patch, target, target.internals.schema, 'generateResolvers', {
    source: ["typeName !== 'Subscription'", 'else if (!source)', 'context.appsyncErrors.push(e)'],
  });
}

const subscriptionFilters: SimulatorPatch = {
  name: 'subscription-filters',
  why:
    'AppSync runs a subscription resolver once when the subscription starts (auth, filters, ' +
    'unauthorized()) and filters each event per subscriber; the simulator sends every event to ' +
    'every subscriber.',
  scope: 'instance',
  check(target) {
    expectPinnedVersion(this.name, target);
    expectGeneratedResolvers(this.name, target);
    if (typeof target.simulator.pubsub?.asyncIterator !== 'function')
      throw new SimulatorPatchError(
        this.name,
        'the simulator no longer exposes pubsub.asyncIterator',
        target.internals.version,
      );
  },
  apply({ simulator }) {
    const fields = simulator.schema.getSubscriptionType()?.getFields() ?? {};
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
        return filteredIterator(simulator.pubsub.asyncIterator<unknown>(fieldName), (payload) => {
          if (payload === null || payload === undefined) return false;
          if (!matchesSubscriptionArguments(args, payload)) return false;
          return filter ? matchesSubscriptionFilter(filter, payload) : true;
        });
      };
      field.subscribe = subscribe as typeof field.subscribe;
    }
  },
};

const nonNullRootErrors: SimulatorPatch = {
  name: 'non-null-root-errors',
  why:
    'A non-null root field whose resolver reported an error answers with that error alone, as ' +
    'on AWS, rather than with the extra "Cannot return null for non-nullable field".',
  scope: 'instance',
  check(target) {
    expectPinnedVersion(this.name, target);
    expectGeneratedResolvers(this.name, target);
  },
  apply({ simulator }) {
    const schema = simulator.schema;
    for (const type of [schema.getQueryType(), schema.getMutationType()]) {
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
  },
};

/** The real-time server's method, checked for the shape a real-time patch expects. */
function expectRealtime(
  patch: string,
  target: PatchTarget,
  key: keyof RealtimeServer,
  shape: { arity?: number; source?: string[] },
): void {
  expectPinnedVersion(patch, target);
  let server: SimulatorServer;
  try {
    server = simulatorServer(target.simulator);
  } catch (err) {
    throw new SimulatorPatchError(
      patch,
      err instanceof Error ? err.message : String(err),
      target.internals.version,
    );
  }
  expectFunction(patch, target, server.realtime.realtimeServer, key, shape);
}

const verifiedSubscriptions: SimulatorPatch = {
  name: 'verified-subscriptions',
  why:
    "The simulator decodes a subscription's token without checking its signature and runs the " +
    'subscription as a query (failing on non-null subscription types); each start is verified ' +
    'here and run by LocalAppSyncSimulator.startSubscription, as AppSync does.',
  scope: 'instance',
  check(target) {
    expectRealtime(this.name, target, 'onSubscriptionStart', {
      arity: 2,
      source: ['this.options.onSubscribeHandler('],
    });
  },
  apply({ simulator, verify }) {
    const realtime = simulatorServer(simulator).realtime.realtimeServer;
    realtime.options.onSubscribeHandler = async (
      doc,
      variables,
      headers,
      request,
      operationName,
    ) => {
      const token = tokenFromAuthorization(authorizationOf(headers));
      let claims: Record<string, unknown>;
      try {
        claims = await verify(token);
      } catch (err) {
        const message =
          err instanceof TokenVerificationError
            ? err.message
            : 'You are not authorized to make this call.';
        return {
          data: null,
          errors: [{ errorType: 'UnauthorizedException', message, errorCode: 401 }],
        };
      }
      const context: ExecutionContext = {
        jwt: claims,
        sourceIp: request.socket.remoteAddress,
        headers: { ...headers, Authorization: token },
        requestAuthorizationMode:
          AmplifyAppSyncSimulatorAuthenticationType.AMAZON_COGNITO_USER_POOLS,
        appsyncErrors: [],
      };
      return simulator.startSubscription(
        doc as DocumentNode,
        variables as Record<string, unknown> | undefined,
        context,
        operationName,
      );
    };
  },
};

const realtimeBadJson: SimulatorPatch = {
  name: 'realtime-bad-json',
  why:
    'The real-time server parses each message outside its try, so one message that is not JSON ' +
    'throws in the socket handler; it is answered with an error message instead.',
  scope: 'instance',
  check(target) {
    expectRealtime(this.name, target, 'onMessage', {
      arity: 2,
      source: ['JSON.parse(rawMessage)'],
    });
    expectRealtime(this.name, target, 'sendError', { source: ['errorPayload'] });
  },
  apply({ simulator }) {
    const realtime = simulatorServer(simulator).realtime.realtimeServer;
    const onMessage = realtime.onMessage;
    realtime.onMessage = (context, raw) => {
      try {
        JSON.parse(raw);
      } catch {
        realtime.sendError(context, '', {
          errors: [{ message: 'Message is not valid JSON.', errorCode: 400 }],
        });
        return undefined;
      }
      return onMessage(context, raw);
    };
  },
};

const realtimeStartErrors: SimulatorPatch = {
  name: 'realtime-start-errors',
  why:
    'A subscription start that throws would reject unhandled in the socket handler; it is ' +
    'logged and answered with an error for that subscription id.',
  scope: 'instance',
  check(target) {
    expectRealtime(this.name, target, 'onSubscriptionStart', { arity: 2 });
  },
  apply({ simulator, log }) {
    const realtime = simulatorServer(simulator).realtime.realtimeServer;
    const onStart = realtime.onSubscriptionStart;
    realtime.onSubscriptionStart = async (context, message) => {
      try {
        await onStart(context, message);
      } catch (err) {
        const text = err instanceof Error ? err.message : String(err);
        log?.(`appsync: subscription start failed: ${text}`);
        realtime.sendError(context, message.id ?? '', {
          errors: [{ message: text, errorCode: 400 }],
        });
      }
    };
  },
};

/** Every change the local runtime makes to the simulator's behaviour, in the order applied. */
export const SIMULATOR_PATCHES: readonly SimulatorPatch[] = [
  jwtDecodeBase64Url,
  quietLambdaErrors,
  vtlExtensions,
  vtlPassThrough,
  subscriptionFilters,
  nonNullRootErrors,
  verifiedSubscriptions,
  realtimeBadJson,
  realtimeStartErrors,
];

/**
 * Checks every patch, then applies them all, to a simulator after its `init`: a patch that no
 * longer fits stops the start before anything is changed. Returns the names applied.
 */
export function applySimulatorPatches(
  simulator: LocalAppSyncSimulator,
  options: { verify: TokenVerifier; log?: (line: string) => void },
  patches: readonly SimulatorPatch[] = SIMULATOR_PATCHES,
): string[] {
  const target: PatchTarget = { internals: loadSimulatorInternals(), simulator, ...options };
  for (const patch of patches) patch.check(target);
  for (const patch of patches) patch.apply(target);
  return patches.map((patch) => patch.name);
}
