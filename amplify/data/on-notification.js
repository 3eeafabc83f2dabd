import { util, extensions } from '@aws-appsync/utils';

export function request() {
  return { payload: null };
}

/** Each subscriber receives only the notifications addressed to them. */
export function response(ctx) {
  extensions.setSubscriptionFilter(
    util.transform.toSubscriptionFilter({ recipientId: { eq: ctx.identity.sub } }),
  );
  return null;
}
