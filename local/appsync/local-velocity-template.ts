import {
  type AmplifyAppSyncSimulator,
  type AppSyncMockFile,
  VelocityTemplate,
} from '@aws-amplify/amplify-appsync-simulator';
import type { GraphQLResolveInfo } from 'graphql';
import {
  type ExecutionContext,
  plainOf,
  setSubscriptionFilter,
  toResolverError,
} from './resolver-error';
import { toSubscriptionFilter } from './subscription-filter';
import { type PassThroughSource, passThroughSourceOf } from './vtl-fast-path';

/** What the simulator's (private) buildRenderContext returns: the names a template sees. */
export type RenderContext = {
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

/**
 * The simulator's VTL template, with the local runtime's additions installed on this subclass
 * by the `vtl-extensions` and `vtl-pass-through` patches (simulator-patches.ts), so the
 * simulator's own class is left as shipped.
 */
export class LocalVelocityTemplate extends VelocityTemplate {
  /** What the template hands on unchanged, when it only does that (vtl-fast-path.ts). */
  readonly passThrough: PassThroughSource | undefined;

  constructor(template: AppSyncMockFile, simulator: AmplifyAppSyncSimulator) {
    super(template, simulator);
    this.passThrough = passThroughSourceOf(String(template.content));
  }

  /** Replaced by the `vtl-pass-through` patch: a render before the patches are applied is a mistake. */
  override render(): never {
    throw new Error(
      'The local AppSync simulator renders templates only after applySimulatorPatches() (local/appsync/simulator-patches.ts).',
    );
  }
}

/**
 * Adds what the simulator's render context lacks: `$extensions.setSubscriptionFilter`,
 * `$util.transform.toSubscriptionFilter`, and `$ctx.identity.groups` (AWS sets it; the simulator
 * only has the claim).
 */
export function extendRenderContext(
  rendered: RenderContext,
  requestContext: ExecutionContext,
  info?: GraphQLResolveInfo,
): RenderContext {
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
}
