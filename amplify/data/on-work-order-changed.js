import { util, extensions } from '@aws-appsync/utils';

/**
 * Staff roles see every work order of the organization; MEMBERs only those they requested.
 * core's STAFF_ROLES, repeated because APPSYNC_JS cannot import; resolver-constants.test.ts
 * fails when the two differ.
 */
const STAFF_ROLES = ['OWNER', 'ADMIN', 'MANAGER', 'TECHNICIAN', 'VIEWER'];

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

/** Filters events to the organization, and to the caller's own requests for a MEMBER. */
export function response(ctx) {
  const organizationId = ctx.args.organizationId;
  const groups = callerGroups(ctx);
  const staff = STAFF_ROLES.some((role) => groups.includes(organizationId + ':' + role));
  const filter = staff
    ? { organizationId: { eq: organizationId } }
    : { organizationId: { eq: organizationId }, requesterId: { eq: ctx.identity.sub } };
  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter(filter));
  return null;
}
