import type { GraphQLResolveInfo } from 'graphql';
import { AppSyncJsError } from './js-runtime';
import {
  SubscriptionFilterError,
  type SubscriptionFilter,
  validateSubscriptionFilter,
} from './subscription-filter';

/** The simulator's per-request GraphQL context, plus the filter a subscription resolver set. */
export type ExecutionContext = {
  jwt?: Record<string, unknown>;
  sourceIp?: string;
  headers: Record<string, unknown>;
  requestAuthorizationMode: string;
  /** The signer of an AWS_IAM request, as the simulator reads it from the credential. */
  iamToken?: {
    accountId?: string;
    userArn?: string;
    username?: string;
    cognitoIdentityPoolId?: string;
    cognitoIdentityId?: string;
  };
  appsyncErrors: unknown[];
  subscriptionFilter?: SubscriptionFilter;
};

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

/** Any error a resolver raised, as the ResolverError AppSync would report for it. */
export function toResolverError(err: unknown, info?: GraphQLResolveInfo): ResolverError {
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
export function plainOf(value: unknown): unknown {
  const v = value as { toJSON?: () => unknown } | null | undefined;
  return v && typeof v.toJSON === 'function' ? v.toJSON() : value;
}

/** Records a subscription filter on the request, enforcing AppSync's limits as AppSync does. */
export function setSubscriptionFilter(
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

/** An error as AppSync's real-time protocol shows it: `{ message, errorType, … }`. */
export function appSyncErrorJson(error: unknown): Record<string, unknown> {
  const e = error as { message?: string; extensions?: Record<string, unknown> };
  if (e?.extensions && Object.keys(e.extensions).length)
    return { message: e.message, ...e.extensions };
  return { message: e?.message ?? String(error) };
}
