import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type AppSyncJsContext,
  AppSyncJsError,
  compileAppSyncJs,
} from '../../local/appsync/js-runtime';
import { liveNotificationSample as notification } from '../../core/testing/records';

/** The publishNotification resolver (no Lambda), run by the local APPSYNC_JS runtime. */
const resolver = compileAppSyncJs(
  readFileSync(
    path.join(path.dirname(fileURLToPath(import.meta.url)), 'publish-notification.js'),
    'utf8',
  ),
  'Mutation.publishNotification',
);

const notifierRole = {
  accountId: '123456789012',
  userArn: 'arn:aws:sts::123456789012:assumed-role/notifier-role/notifier',
  username: 'AROAEXAMPLE:notifier',
};

const ctxOf = (identity: unknown, args: Record<string, unknown>): AppSyncJsContext =>
  ({
    arguments: args,
    args,
    identity,
    source: null,
    stash: {},
    prev: { result: null },
    request: { headers: {}, domainName: null },
    info: {
      fieldName: 'publishNotification',
      parentTypeName: 'Mutation',
      variables: {},
      selectionSetList: [],
    },
    env: {},
  }) as AppSyncJsContext;

/** What the resolver delivers: the request's payload, as the NONE data source passes it on. */
function publish(identity: unknown, args: Record<string, unknown>): unknown {
  const ctx = ctxOf(identity, args);
  const { payload } = resolver.call('request', ctx) as { payload: unknown };
  return resolver.call('response', { ...ctx, result: payload });
}

function errorTypeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (err) {
    return err instanceof AppSyncJsError ? err.errorType : 'not an AppSync error';
  }
  return undefined;
}

describe('publishNotification (APPSYNC_JS, no data source)', () => {
  it('delivers a well-formed notification from a principal of the account, as sent', () => {
    expect(publish(notifierRole, notification)).toEqual(notification);
  });

  it.each([
    ['no identity', null],
    [
      'a user-pool caller',
      { sub: 'user-2', claims: { sub: 'user-2' }, username: 'u', sourceIp: [], groups: null },
    ],
    ['user-pool claims without a sub field', { claims: { sub: 'user-2' }, userArn: 'x' }],
    [
      'identity-pool credentials',
      { ...notifierRole, cognitoIdentityId: 'us-east-1:abc', cognitoIdentityPoolId: 'us-east-1:p' },
    ],
    ['an identity-pool id alone', { ...notifierRole, cognitoIdentityPoolId: 'us-east-1:p' }],
  ])('refuses %s as FORBIDDEN', (_label, identity) => {
    expect(errorTypeOf(() => publish(identity, notification))).toBe('FORBIDDEN');
  });

  it.each([
    ['an empty recipient', { ...notification, recipientId: '' }],
    ['a missing kind', { ...notification, kind: null }],
    ['a huge subject', { ...notification, subject: 'x'.repeat(501) }],
    ['a huge link', { ...notification, link: `https://x.example/${'a'.repeat(2048)}` }],
  ])('refuses %s as VALIDATION', (_label, args) => {
    expect(errorTypeOf(() => publish(notifierRole, args))).toBe('VALIDATION');
  });

  it('leaves out an empty link rather than pushing null', () => {
    expect(publish(notifierRole, { ...notification, link: null })).not.toHaveProperty('link');
    expect(publish(notifierRole, { ...notification, link: '' })).not.toHaveProperty('link');
  });
});
