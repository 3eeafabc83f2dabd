import { Stack } from 'aws-cdk-lib';
import type { CfnGraphQLApi } from 'aws-cdk-lib/aws-appsync';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';

/**
 * Limits of one GraphQL request, set on the AppSync API and enforced the same way by the local
 * runtime (local/appsync/request-limits.ts reads them from the synthesized template).
 */
export const GRAPHQL_REQUEST_LIMITS = {
  /** The app's deepest operation has 4 levels; the schema has no cycles, so only bombs go deeper. */
  queryDepthLimit: 10,
  /**
   * Resolvers one request may invoke. The app's largest read is a 500-event timeline (501 with
   * each event's owner-field resolver); 1,000 aliases of one operation are refused.
   */
  resolverCountLimit: 800,
  /** The app never introspects; introspection is the only way to nest without limit here. */
  introspection: 'DISABLED',
} as const;

/** Sets the request limits of GRAPHQL_REQUEST_LIMITS on the API. */
export function limitGraphqlRequests(api: CfnGraphQLApi): void {
  api.queryDepthLimit = GRAPHQL_REQUEST_LIMITS.queryDepthLimit;
  api.resolverCountLimit = GRAPHQL_REQUEST_LIMITS.resolverCountLimit;
  api.introspectionConfig = GRAPHQL_REQUEST_LIMITS.introspection;
}

/** Requests per 5 minutes before AWS WAF answers 429: per caller (token) and per source IP. */
export type RateLimits = { perCallerPer5Min: number; perIpPer5Min: number };

/**
 * 50 requests a second per caller, sustained over the 5-minute window; an address (a school or a
 * church behind one NAT) may carry five such callers. Far above the app's own pace of a few
 * requests a minute per person.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = { perCallerPer5Min: 15_000, perIpPer5Min: 75_000 };

/** The error body both AWS WAF and the local runtime answer a throttled request with. */
export const THROTTLED_BODY = {
  errors: [
    {
      errorType: 'TooManyRequestsException',
      message: 'Rate exceeded: too many requests from this caller. Slow down and retry shortly.',
    },
  ],
};

const WAF_MIN = 10;
const WAF_MAX = 2_000_000_000;

function limitFrom(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < WAF_MIN || value > WAF_MAX) {
    throw new Error(
      `${name}=${raw} is not a valid rate limit. Set a whole number of requests per 5 minutes between ${WAF_MIN} and ${WAF_MAX}, or "off" (${name === 'STEWARD_RATE_LIMIT_PER_5_MIN' ? 'no web ACL at all' : 'STEWARD_RATE_LIMIT_PER_5_MIN only'}).`,
    );
  }
  return value;
}

/**
 * The rate limits from the build environment: STEWARD_RATE_LIMIT_PER_5_MIN (per caller; "off"
 * deploys no web ACL) and STEWARD_RATE_LIMIT_PER_IP_PER_5_MIN. Throws on a value WAF would refuse.
 */
export function rateLimitsFromEnvironment(
  env: Record<string, string | undefined>,
): RateLimits | undefined {
  if (env.STEWARD_RATE_LIMIT_PER_5_MIN?.trim().toLowerCase() === 'off') return undefined;
  return {
    perCallerPer5Min: limitFrom(
      'STEWARD_RATE_LIMIT_PER_5_MIN',
      env.STEWARD_RATE_LIMIT_PER_5_MIN,
      DEFAULT_RATE_LIMITS.perCallerPer5Min,
    ),
    perIpPer5Min: limitFrom(
      'STEWARD_RATE_LIMIT_PER_IP_PER_5_MIN',
      env.STEWARD_RATE_LIMIT_PER_IP_PER_5_MIN,
      DEFAULT_RATE_LIMITS.perIpPer5Min,
    ),
  };
}

const THROTTLED_KEY = 'Throttled';

const rateRule = (
  name: string,
  priority: number,
  statement: CfnWebACL.RateBasedStatementProperty,
): CfnWebACL.RuleProperty => ({
  name,
  priority,
  statement: { rateBasedStatement: statement },
  action: {
    block: { customResponse: { responseCode: 429, customResponseBodyKey: THROTTLED_KEY } },
  },
  visibilityConfig: {
    cloudWatchMetricsEnabled: true,
    metricName: name,
    sampledRequestsEnabled: true,
  },
});

/**
 * An AWS WAF web ACL on the AppSync API with two rate-based rules over a 5-minute window: one per
 * caller (keyed by the Authorization header, so people behind one address do not share a budget)
 * and one per source IP (unsigned floods and callers rotating forged tokens). Blocked requests get
 * HTTP 429 with THROTTLED_BODY.
 */
export function rateLimitGraphqlApi(api: CfnGraphQLApi, limits: RateLimits): CfnWebACL {
  const stack = Stack.of(api);
  const acl = new CfnWebACL(stack, 'GraphqlRateLimit', {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    customResponseBodies: {
      [THROTTLED_KEY]: { contentType: 'APPLICATION_JSON', content: JSON.stringify(THROTTLED_BODY) },
    },
    rules: [
      rateRule('PerCallerRate', 0, {
        aggregateKeyType: 'CUSTOM_KEYS',
        customKeys: [
          {
            header: {
              name: 'authorization',
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
        ],
        evaluationWindowSec: 300,
        limit: limits.perCallerPer5Min,
      }),
      rateRule('PerIpRate', 1, {
        aggregateKeyType: 'IP',
        evaluationWindowSec: 300,
        limit: limits.perIpPer5Min,
      }),
    ],
    visibilityConfig: {
      cloudWatchMetricsEnabled: true,
      metricName: 'GraphqlRateLimit',
      sampledRequestsEnabled: true,
    },
  });
  new CfnWebACLAssociation(stack, 'GraphqlRateLimitAssociation', {
    resourceArn: api.attrArn,
    webAclArn: acl.attrArn,
  });
  return acl;
}
