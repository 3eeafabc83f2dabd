import { util, extensions } from '@aws-appsync/utils';

function callerGroups(ctx) {
  return ctx.identity.groups || ctx.identity.claims['cognito:groups'] || [];
}

/** Refuses a subscriber who is not a member of the organization named in the arguments. */
export function request(ctx) {
  if (!callerGroups(ctx).includes(ctx.args.organizationId)) {
    util.unauthorized();
  }
  return { payload: null };
}

/** Filters stock changes to the organization; every member may read its items. */
export function response(ctx) {
  extensions.setSubscriptionFilter(
    util.transform.toSubscriptionFilter({ organizationId: { eq: ctx.args.organizationId } }),
  );
  return null;
}
