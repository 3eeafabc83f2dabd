import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { CloudAssembly } from '../assembly';
import { LocalRuntimeError } from '../process-utils';
import { LocalAppSyncSimulator } from './local-simulator';
import { authorizationOf, readRealtimeHandshake, toQueryParameterUrl } from './realtime-handshake';
import { readBody } from './http-body';
import { interceptRequests, interceptUpgrades } from './intercept';
import { MAX_REQUEST_BYTES } from './request-limits';
import { isSigV4, type LocalIamPrincipal, SignatureError, verifySigV4 } from './iam-verifier';
import { graphqlPermissions, LOCAL_API_ARN } from '../iam/graphql-permissions';
import { AccessDeniedError, authorize, type FunctionPrincipal } from '../iam/principals';

/** Who may sign IAM requests; a function principal is also authorized field by field. */
export type AppSyncIam = {
  byAccessKey: (accessKeyId: string) => LocalIamPrincipal | FunctionPrincipal | undefined;
};
import { type InvokeFunction, toSimulatorConfig } from './simulator-config';
import { createRequestGuard, installRequestGuard } from './request-guard';
import { limitResolverInvocations } from './resolver-budget';
import { applySimulatorPatches, simulatorServer } from './simulator-patches';
import { type FastPathCoverage, fastPathCoverage, fastPathWarning } from './vtl-fast-path';
import {
  createTokenVerifier,
  TokenVerificationError,
  type TokenVerifier,
  tokenFromAuthorization,
} from './token-verifier';

/** How to run the local AppSync: the assembly, where to listen, and what it talks to. */
export type AppSyncOptions = {
  assembly: CloudAssembly;
  /** HTTP and the real-time WebSocket on this one port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** DynamoDB Local, e.g. http://127.0.0.1:8000. */
  dynamoDbEndpoint: string;
  /** Runs a Lambda of the assembly; rejects with an Error carrying errorType/errorMessage on a function error. */
  invokeFunction: InvokeFunction;
  auth: { issuer: string; jwksUri: string; userPoolId: string; clientId: string };
  /** The account's principal (what the Lambda functions sign with) for IAM-authorized calls. */
  /** The principals that may sign IAM requests: the backend's functions (local/iam), or one. */
  iam: AppSyncIam | LocalIamPrincipal;
  log?: (line: string) => void;
};

/** A running local AppSync. */
export type AppSyncServer = {
  /** http://host:port/graphql */
  url: string;
  /** ws://host:port/graphql/realtime */
  realtimeUrl: string;
  stop(): Promise<void>;
};

const GRAPHQL_PATH = '/graphql';
const REALTIME_PATH = '/graphql/realtime';

function unauthorizedBody(message: string) {
  return JSON.stringify({ errors: [{ errorType: 'UnauthorizedException', message }] });
}

function messageOf(err: unknown): string {
  return err instanceof TokenVerificationError || err instanceof SignatureError
    ? err.message
    : 'You are not authorized to make this call.';
}

/**
 * Verifies an IAM (SigV4) request against the account's principal. Its body had to be read to
 * check the signature, so it is handed to the simulator already parsed (body-parser skips a
 * request marked `_body`).
 */
async function verifyIamRequest(req: IncomingMessage, iam: AppSyncIam): Promise<void> {
  const body = await readBody(
    req,
    MAX_REQUEST_BYTES,
    () => new SignatureError('The request body is larger than AppSync accepts.'),
  );
  const { accessKeyId } = await verifySigV4(
    { method: req.method ?? 'POST', path: req.url ?? '/', headers: req.headers, body },
    (key) => iam.byAccessKey(key),
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new SignatureError('The request body is not JSON.');
  }
  // AppSync authorizes `appsync:GraphQL` on every root field the operation selects.
  const principal = iam.byAccessKey(accessKeyId);
  if (principal && 'definition' in principal) {
    try {
      authorize(principal, graphqlPermissions(parsed, LOCAL_API_ARN));
    } catch (err) {
      if (err instanceof AccessDeniedError) throw new SignatureError(err.message);
      throw err;
    }
  }
  Object.assign(req, { body: parsed, _body: true });
}

/** Verifies the bearer token of every GraphQL request before the simulator's express app sees it. */
function guardHttp(
  server: Server,
  verify: TokenVerifier,
  iam: AppSyncIam,
  log?: (line: string) => void,
): void {
  interceptRequests(server, (req, res, delegate) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    // AppSync has no such endpoint; the simulator's would let anyone wipe every table.
    if (path === '/clear-data') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not found"}');
      return;
    }
    // CORS preflights and the simulator's static pages carry no data.
    if (req.method === 'OPTIONS' || (req.method === 'GET' && path !== GRAPHQL_PATH)) {
      delegate(req, res);
      return;
    }
    const iamCall = isSigV4(req.headers.authorization);
    const token = iamCall ? undefined : tokenFromAuthorization(req.headers.authorization);
    (iamCall ? verifyIamRequest(req, iam) : verify(token)).then(
      () => {
        // The simulator decodes the header as a bare JWT.
        if (token) req.headers.authorization = token;
        delegate(req, res);
      },
      (err: unknown) => {
        log?.(`appsync: refused ${req.method} ${path}: ${messageOf(err)}`);
        res
          .writeHead(401, {
            'content-type': 'application/json',
            'access-control-allow-origin': '*',
            'x-amzn-errortype': 'UnauthorizedException',
          })
          .end(unauthorizedBody(messageOf(err)));
      },
    );
  });
}

/**
 * Verifies the real-time handshake (query-parameter or v6 subprotocol form) before the simulator's
 * WebSocket server sees it, translating the v6 form; refuses with `connection_error` then a close.
 */
function guardRealtime(
  server: Server,
  verify: TokenVerifier,
  log?: (line: string) => void,
): WebSocketServer {
  const refuser = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has('graphql-ws') ? 'graphql-ws' : false),
  });
  const refuse = (req: IncomingMessage, socket: Duplex, head: Buffer, message: string) => {
    log?.(`appsync: refused real-time connection: ${message}`);
    refuser.handleUpgrade(req, socket, head, (ws) => {
      ws.send(
        JSON.stringify({
          type: 'connection_error',
          payload: { errors: [{ errorType: 'UnauthorizedException', message, errorCode: 401 }] },
        }),
      );
      ws.close(1008, 'Unauthorized');
    });
  };
  interceptUpgrades(server, (req, socket, head, delegate) => {
    const url = req.url ?? '/';
    if (new URL(url, 'http://localhost').pathname !== REALTIME_PATH) {
      delegate(req, socket, head);
      return;
    }
    let handshake: ReturnType<typeof readRealtimeHandshake>;
    try {
      handshake = readRealtimeHandshake(url, req.headers['sec-websocket-protocol']);
    } catch (err) {
      refuse(req, socket, head, err instanceof Error ? err.message : String(err));
      return;
    }
    const token = tokenFromAuthorization(authorizationOf(handshake.header));
    verify(token).then(
      () => {
        req.url = toQueryParameterUrl(url, {
          ...handshake,
          header: { ...handshake.header, Authorization: token },
        });
        // The simulator accepts only `graphql-ws`; the v6 client's `header-…` protocol is consumed here.
        if (handshake.protocols.includes('graphql-ws'))
          req.headers['sec-websocket-protocol'] = 'graphql-ws';
        delegate(req, socket, head);
      },
      (err: unknown) => refuse(req, socket, head, messageOf(err)),
    );
  });
  return refuser;
}

/**
 * Logs how many response templates the VTL fast path covers, and warns (a process warning, seen
 * on the console) when the generated text has changed under it.
 */
function reportFastPathCoverage(coverage: FastPathCoverage, log?: (line: string) => void): void {
  log?.(
    `appsync: VTL fast path covers ${coverage.recognised.length} of ${coverage.responseTemplates} response templates`,
  );
  const warning = fastPathWarning(coverage);
  if (!warning) return;
  log?.(`appsync: ${warning}`);
  process.emitWarning(warning, { code: 'STEWARD_VTL_FAST_PATH' });
}

/**
 * Starts the AppSync simulator on one port for HTTP and WebSocket, driven by the assembly, with
 * token verification, the v6 real-time handshake, subscription filters and an APPSYNC_JS runtime.
 */
export async function startAppSync(options: AppSyncOptions): Promise<AppSyncServer> {
  const host = options.host ?? '127.0.0.1';
  const { config, js } = toSimulatorConfig(options.assembly, {
    dynamoDbEndpoint: options.dynamoDbEndpoint,
    invokeFunction: options.invokeFunction,
    userPoolClientId: options.auth.clientId,
  });
  const simulator = new LocalAppSyncSimulator({ port: options.port }, js, options.log);
  simulator.init(config);
  const verify = createTokenVerifier(options.auth);
  const patches = applySimulatorPatches(simulator, { verify, log: options.log });
  options.log?.(`appsync: simulator patches applied: ${patches.join(', ')}`);
  reportFastPathCoverage(fastPathCoverage(config.mappingTemplates ?? []), options.log);
  const { httpServer, realtime } = simulatorServer(simulator);
  const single = options.iam;
  const iam: AppSyncIam =
    'byAccessKey' in single
      ? single
      : { byAccessKey: (key) => (key === single.accessKeyId ? single : undefined) };
  guardHttp(httpServer, verify, iam, options.log);
  const resolvers = options.assembly.resolvers;
  const limits = options.assembly.graphqlApi;
  installRequestGuard(
    httpServer,
    createRequestGuard({
      limits,
      hasResolver: (typeName, fieldName) =>
        resolvers.some((r) => r.typeName === typeName && r.fieldName === fieldName),
      rateLimit: process.env.STEWARD_LOCAL_RATE_LIMIT,
      log: options.log,
    }),
    verify,
    options.log,
  );
  limitResolverInvocations(simulator.schema, resolvers, limits?.resolverCountLimit ?? 10_000);
  const refuser = guardRealtime(httpServer, verify, options.log);

  // Listening here rather than with simulator.start(): it binds every interface and picks no host.
  realtime.start();
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) =>
      reject(
        new LocalRuntimeError(
          `AppSync could not listen on ${host}:${options.port}${err.code ? ` (${err.code})` : ''}.`,
          `Stop whatever listens on ${host}:${options.port}, or choose another port.`,
          { cause: err },
        ),
      );
    httpServer.once('error', onError);
    httpServer.listen(options.port, host, () => {
      httpServer.off('error', onError);
      resolve();
    });
  });
  const origin = `${host.includes(':') ? `[${host}]` : host}:${options.port}`;
  options.log?.(`appsync: listening on http://${origin}${GRAPHQL_PATH}`);

  let stopped: Promise<void> | undefined;
  return {
    url: `http://${origin}${GRAPHQL_PATH}`,
    realtimeUrl: `ws://${origin}${REALTIME_PATH}`,
    stop() {
      stopped ??= (async () => {
        await realtime.stop();
        for (const ws of realtime.realtimeServer.webSocketServer?.clients ?? []) ws.terminate();
        for (const ws of refuser.clients) ws.terminate();
        refuser.close();
        await new Promise<void>((resolve) => {
          httpServer.close(() => resolve());
          httpServer.closeAllConnections();
        });
      })();
      return stopped;
    },
  };
}
