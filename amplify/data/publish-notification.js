import { util } from '@aws-appsync/utils';

/**
 * The longest value of each argument: core's LIVE_NOTIFICATION_LIMITS, repeated because
 * APPSYNC_JS cannot import; resolver-constants.test.ts fails when the two differ. The schema
 * already refuses a missing argument, an unknown one and a createdAt that is not a date-time.
 */
const LIVE_NOTIFICATION_LIMITS = {
  id: 512,
  organizationId: 128,
  recipientId: 128,
  kind: 64,
  subject: 500,
  link: 2048,
};

/**
 * Only the deployment's own services push a notification: a principal of the account signing
 * with IAM (the notifier's role, which the schema's resource rule allows). Never a person, with a
 * user-pool token or identity-pool credentials. Nothing is stored and no Lambda runs: the
 * Notification record is the truth, and the arguments are what onNotification delivers.
 */
export function request(ctx) {
  const identity = ctx.identity;
  const person =
    !identity ||
    !identity.userArn ||
    identity.sub ||
    (identity.claims && identity.claims.sub) ||
    identity.cognitoIdentityId ||
    identity.cognitoIdentityPoolId;
  if (person) {
    util.error(
      'Only Steward itself publishes notifications. Notifications are created by the notifier when something happens.',
      'FORBIDDEN',
    );
  }
  const payload = {};
  for (const field of Object.keys(LIVE_NOTIFICATION_LIMITS)) {
    const value = ctx.args[field];
    const absent = value === null || value === undefined || value === '';
    if (absent && field !== 'link') util.error(`${field} is required.`, 'VALIDATION');
    if (!absent && value.length > LIVE_NOTIFICATION_LIMITS[field]) {
      util.error(
        `${field} is longer than ${LIVE_NOTIFICATION_LIMITS[field]} characters.`,
        'VALIDATION',
      );
    }
    // An empty link is left out rather than pushed as null.
    if (!absent) payload[field] = value;
  }
  payload.createdAt = ctx.args.createdAt;
  return { payload };
}

export function response(ctx) {
  return ctx.result;
}
