import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { type DocumentNode, parse } from 'graphql';
import type { GraphqlApiLimits } from '../assembly';
import { LocalRuntimeError } from '../process-utils';
import { createRateLimiter, type Rate, type RateLimiter, ratesFromWindow } from './rate-limiter';
import { readBody } from './http-body';
import { interceptRequests } from './intercept';
import { checkOperation, MAX_REQUEST_BYTES } from './request-limits';
import { type TokenVerifier, tokenFromAuthorization } from './token-verifier';

/** What the local API enforces on each GraphQL request before the simulator sees it. */
export type RequestGuardOptions = {
  /** The API's limits from the assembly (absent: AppSync's defaults, no rate limit). */
  limits: GraphqlApiLimits | undefined;
  /** Whether a field of a root type has a resolver (counts against resolverCountLimit). */
  hasResolver: (typeName: string, fieldName: string) => boolean;
  /**
   * STEWARD_LOCAL_RATE_LIMIT: unset follows the deployed rule; `off` turns the limit off (to
   * measure the server itself); `<per second>` or `<per second>/<burst>` sets the per-caller rate
   * (addresses without a token get five times it), e.g. to see throttling on a slow machine.
   */
  rateLimit?: string;
  log?: (line: string) => void;
};

/** The checks, in the order a request meets them. */
export type RequestGuard = {
  /**
   * Spends one request of the caller's rate (their verified sub, or the address of a caller
   * without a valid token); answers the throttled response and returns true when over it.
   */
  throttled: (req: IncomingMessage, res: ServerResponse, sub: string | undefined) => boolean;
  /**
   * Reads the body (at most AppSync's 1 MiB), parses the operation and checks the API's limits;
   * answers a refusal itself and resolves false, or leaves the parsed body on the request for the
   * simulator (body-parser skips a request marked `_body`) and resolves true.
   */
  admit: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
};

const JSON_HEADERS = { 'content-type': 'application/json', 'access-control-allow-origin': '*' };

function answer(res: ServerResponse, status: number, errorType: string, message: string): void {
  res
    .writeHead(status, { ...JSON_HEADERS, 'x-amzn-errortype': errorType })
    .end(JSON.stringify({ data: null, errors: [{ errorType, message }] }));
}

class RefusedRequest extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

const tooLarge = () =>
  new RefusedRequest(
    413,
    'PayloadTooLargeException',
    `The request body is larger than ${MAX_REQUEST_BYTES} bytes, AppSync's limit for a request.`,
  );

const malformed = (message: string) =>
  new RefusedRequest(400, 'MalformedHttpRequestException', message);

/** The request's GraphQL body: one object with a query string (AppSync runs no batches). */
function graphqlBodyOf(body: unknown): {
  query: string;
  operationName?: string;
  variables?: unknown;
} {
  if (Array.isArray(body))
    throw malformed('Batched requests are not supported: send one operation a request.');
  if (!body || typeof body !== 'object') throw malformed('The request body must be a JSON object.');
  const { query, operationName, variables } = body as Record<string, unknown>;
  if (typeof query !== 'string' || query.trim() === '')
    throw malformed('The request has no query: send {"query": "…"}.');
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string')
    throw malformed('operationName must be a string.');
  if (variables !== undefined && variables !== null && typeof variables !== 'object')
    throw malformed('variables must be a JSON object.');
  return { query, operationName: operationName ?? undefined, variables };
}

/** The local rates: the deployed rule's, or STEWARD_LOCAL_RATE_LIMIT's (see RequestGuardOptions). */
export function localRates(
  setting: string | undefined,
  deployed: GraphqlApiLimits['rateLimit'],
): { perCaller?: Rate; perIp?: Rate } {
  const value = setting?.trim().toLowerCase();
  if (!value) return ratesFromWindow(deployed);
  if (value === 'off') return {};
  const match = /^(\d+(?:\.\d+)?)(?:\/(\d+))?$/.exec(value);
  const perSecond = Number(match?.[1]);
  const burst = match?.[2] ? Number(match[2]) : Math.round(perSecond * 10);
  if (!match || !(perSecond > 0) || !(burst >= 1)) {
    throw new LocalRuntimeError(
      `STEWARD_LOCAL_RATE_LIMIT=${setting} is not a rate.`,
      'Leave it unset (the deployed rule), or set "off", "<requests a second>" or "<requests a second>/<burst>", e.g. 50/500.',
    );
  }
  return {
    perCaller: { perSecond, burst },
    perIp: { perSecond: perSecond * 5, burst: burst * 5 },
  };
}

/** Creates the guard for one API from its limits. */
export function createRequestGuard(options: RequestGuardOptions): RequestGuard {
  const limits = options.limits ?? { resolverCountLimit: 10_000, introspection: true };
  const rates = localRates(options.rateLimit, limits.rateLimit);
  const callers: RateLimiter | undefined = rates.perCaller && createRateLimiter(rates.perCaller);
  const addresses: RateLimiter | undefined = rates.perIp && createRateLimiter(rates.perIp);
  const throttledBody =
    limits.rateLimit?.responseBody ??
    JSON.stringify({
      errors: [{ errorType: 'TooManyRequestsException', message: 'Rate exceeded' }],
    });

  return {
    throttled(req, res, sub) {
      const limiter = sub ? callers : addresses;
      if (!limiter) return false;
      const key = sub ?? req.socket.remoteAddress ?? 'unknown';
      const decision = limiter.take(key);
      if (decision.admitted) return false;
      options.log?.(`appsync: throttled ${sub ? `caller ${sub}` : `address ${key}`}`);
      req.resume();
      res
        .writeHead(limits.rateLimit?.responseCode ?? 429, {
          ...JSON_HEADERS,
          'retry-after': String(decision.retryAfterSeconds),
          'x-amzn-errortype': 'TooManyRequestsException',
        })
        .end(throttledBody);
      return true;
    },

    async admit(req, res) {
      try {
        const marked = req as IncomingMessage & { _body?: boolean; body?: unknown };
        let body: unknown;
        if (marked._body) body = marked.body;
        else {
          const raw = await readBody(req, MAX_REQUEST_BYTES, tooLarge);
          try {
            body = JSON.parse(raw.toString('utf8'));
          } catch {
            throw malformed('The request body is not valid JSON.');
          }
        }
        const request = graphqlBodyOf(body);
        let document: DocumentNode;
        try {
          document = parse(request.query);
        } catch (err) {
          throw malformed(
            `Unable to parse GraphQL query: ${err instanceof Error ? err.message : String(err)}`,
          );
        }
        const violation = checkOperation(
          document,
          request.operationName,
          limits,
          options.hasResolver,
        );
        if (violation) {
          options.log?.(`appsync: refused an operation: ${violation.message}`);
          answer(res, 200, violation.errorType, violation.message);
          return false;
        }
        Object.assign(req, {
          body: { ...request, variables: request.variables ?? {} },
          _body: true,
        });
        return true;
      } catch (err) {
        if (!(err instanceof RefusedRequest)) throw err;
        options.log?.(`appsync: refused a request: ${err.message}`);
        answer(res, err.status, err.errorType, err.message);
        return false;
      }
    },
  };
}

/**
 * Puts the guard in front of the server's GraphQL endpoint: the caller's rate (by verified sub,
 * else by address), then the body and the operation's limits. Runs before the token check of
 * index.ts, which still refuses what is not signed in; requests signed with SigV4 come from the
 * backend's own principal and are left to its verifier.
 */
export function installRequestGuard(
  server: Server,
  guard: RequestGuard,
  verify: TokenVerifier,
  log?: (line: string) => void,
): void {
  interceptRequests(server, (req, res, delegate) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const authorization = tokenFromAuthorization(req.headers.authorization);
    if (req.method !== 'POST' || path !== '/graphql' || authorization?.startsWith('AWS4-')) {
      delegate(req, res);
      return;
    }
    verify(authorization)
      .then(
        (claims) => (typeof claims.sub === 'string' ? claims.sub : undefined),
        () => undefined,
      )
      .then(async (sub) => {
        if (guard.throttled(req, res, sub)) return;
        // Not signed in: the token check answers 401 without reading the body.
        if (!sub || (await guard.admit(req, res))) delegate(req, res);
      })
      .catch((err: unknown) => {
        log?.(`appsync: request guard failed: ${err instanceof Error ? err.message : String(err)}`);
        if (!res.headersSent) answer(res, 500, 'InternalFailureException', 'Internal failure.');
      });
  });
}
