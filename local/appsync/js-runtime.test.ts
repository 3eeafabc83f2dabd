import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  AppSyncJsEarlyReturn,
  AppSyncJsError,
  type AppSyncJsContext,
  compileAppSyncJs,
} from './js-runtime';
import { matchesSubscriptionFilter } from './subscription-filter';

const handlerFile = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../amplify/data/on-work-order-changed.js',
);

function ctxFor(
  args: Record<string, unknown>,
  claims: Record<string, unknown>,
  withGroups = true,
): AppSyncJsContext {
  const groups = (claims['cognito:groups'] as string[] | undefined) ?? null;
  return {
    arguments: args,
    args,
    identity: {
      sub: String(claims.sub),
      username: 'user',
      claims,
      sourceIp: [],
      defaultAuthStrategy: 'ALLOW',
      groups: withGroups ? groups : null,
    },
    source: null,
    stash: {},
    prev: { result: null },
    request: { headers: {}, domainName: null },
    info: {
      fieldName: 'onWorkOrderChanged',
      parentTypeName: 'Subscription',
      variables: {},
      selectionSetList: [],
    },
    env: {},
  };
}

describe('compileAppSyncJs with the onWorkOrderChanged handler', () => {
  const module = compileAppSyncJs(
    readFileSync(handlerFile, 'utf8'),
    'Fn_Subscription_onWorkOrderChanged_1',
  );

  it('refuses a caller outside the organization with util.unauthorized()', () => {
    const ctx = ctxFor(
      { organizationId: 'org-a' },
      { sub: 'u1', 'cognito:groups': ['org-b', 'org-b:OWNER'] },
    );
    expect(() => module.call('request', ctx)).toThrow(AppSyncJsError);
    expect(() => module.call('request', ctx)).toThrow('Unauthorized');
  });

  it('lets a member subscribe, reading groups from the claim when identity.groups is absent', () => {
    const ctx = ctxFor(
      { organizationId: 'org-a' },
      { sub: 'u1', 'cognito:groups': ['org-a', 'org-a:MEMBER'] },
      false,
    );
    expect(module.call('request', ctx)).toEqual({ payload: null });
  });

  it('sets an organization filter for staff', () => {
    let filter: unknown;
    const ctx = ctxFor(
      { organizationId: 'org-a' },
      { sub: 'u1', 'cognito:groups': ['org-a', 'org-a:MANAGER'] },
    );
    module.call('response', ctx, { setSubscriptionFilter: (f) => (filter = f) });
    expect(filter).toEqual({
      filterGroup: [{ filters: [{ fieldName: 'organizationId', operator: 'eq', value: 'org-a' }] }],
    });
  });

  it('narrows a MEMBER to their own requests', () => {
    let filter: { filterGroup: [] } | undefined;
    const ctx = ctxFor(
      { organizationId: 'org-a' },
      { sub: 'u1', 'cognito:groups': ['org-a', 'org-a:MEMBER'] },
    );
    module.call('response', ctx, {
      setSubscriptionFilter: (f) => (filter = f as { filterGroup: [] }),
    });
    expect(filter).toBeDefined();
    if (!filter) return;
    expect(matchesSubscriptionFilter(filter, { organizationId: 'org-a', requesterId: 'u1' })).toBe(
      true,
    );
    expect(matchesSubscriptionFilter(filter, { organizationId: 'org-a', requesterId: 'u2' })).toBe(
      false,
    );
  });
});

describe('compileAppSyncJs utilities', () => {
  const ctx = ctxFor({ n: 2 }, { sub: 'u1' });

  it('runs util.error, appendError, time, autoId and dynamodb helpers', () => {
    const module = compileAppSyncJs(
      `import { util } from '@aws-appsync/utils';
       export function request(ctx) {
         util.appendError('soft', 'Soft');
         return {
           id: util.autoId(),
           now: util.time.nowISO8601(),
           ms: util.time.nowEpochMilliSeconds(),
           key: util.dynamodb.toMapValues({ id: 'x', n: ctx.args.n, tags: ['a'], ok: true }),
         };
       }
       export function response(ctx) { util.error('bad ' + ctx.args.n, 'Boom', { d: 1 }); }`,
      'utils-test',
    );
    const appended: AppSyncJsError[] = [];
    const result = module.call('request', ctx, { appendError: (e) => appended.push(e) }) as Record<
      string,
      unknown
    >;
    expect(result.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(String(result.now))).not.toBeNaN();
    expect(typeof result.ms).toBe('number');
    expect(result.key).toEqual({
      id: { S: 'x' },
      n: { N: '2' },
      tags: { L: [{ S: 'a' }] },
      ok: { BOOL: true },
    });
    expect(appended.map((e) => [e.message, e.errorType])).toEqual([['soft', 'Soft']]);
    try {
      module.call('response', ctx);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppSyncJsError);
      expect((err as AppSyncJsError).errorType).toBe('Boom');
      expect((err as AppSyncJsError).data).toEqual({ d: 1 });
    }
  });

  it('stops with runtime.earlyReturn', () => {
    const module = compileAppSyncJs(
      `import { runtime } from '@aws-appsync/utils';
       export const request = (ctx) => runtime.earlyReturn({ early: ctx.args.n });`,
      'early-test',
    );
    try {
      module.call('request', ctx);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppSyncJsEarlyReturn);
      expect((err as AppSyncJsEarlyReturn).value).toEqual({ early: 2 });
    }
    expect(module.has('response')).toBe(false);
  });

  it('refuses imports other than @aws-appsync/utils', () => {
    expect(() =>
      compileAppSyncJs(`import fs from 'node:fs'; export const request = () => fs;`, 'import-test'),
    ).toThrow('only @aws-appsync/utils');
  });

  it('has no access to the host process', () => {
    const module = compileAppSyncJs(
      `export const request = () => typeof process + ':' + typeof globalThis.Buffer;`,
      'sandbox-test',
    );
    expect(module.call('request', ctx)).toBe('undefined:undefined');
  });
});
