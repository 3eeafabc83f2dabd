import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  organizationGroup,
  ROLES,
  type Role,
  roleGroup,
  STAFF_ROLES,
} from '../../core/organizations/roles';
import { type AppSyncJsContext, compileAppSyncJs } from '../../local/appsync/js-runtime';

const DIRECTORY = path.dirname(new URL(import.meta.url).pathname);
const ORGANIZATION = 'org-1';

const compile = (file: string) =>
  compileAppSyncJs(readFileSync(path.join(DIRECTORY, file), 'utf8'), file);

/** A subscriber with the groups core mirrors into Cognito for one membership. */
function subscriber(groups: string[]): AppSyncJsContext {
  const args = { organizationId: ORGANIZATION };
  return {
    arguments: args,
    args,
    identity: {
      sub: 'user-1',
      username: 'user-1',
      claims: { sub: 'user-1', 'cognito:groups': groups },
      sourceIp: [],
      defaultAuthStrategy: 'ALLOW',
      groups,
    },
    source: null,
    stash: {},
    prev: { result: null },
    request: { headers: {}, domainName: null },
    info: {
      fieldName: 'subscribe',
      parentTypeName: 'Subscription',
      variables: {},
      selectionSetList: [],
    },
    env: {},
  };
}

const membershipGroups = (role: Role) => [
  organizationGroup(ORGANIZATION),
  roleGroup(ORGANIZATION, role),
];

/** The fields a resolver's response filters on, for a subscriber with the given groups. */
function filteredFields(file: string, groups: string[]): string[] {
  let filter: { filterGroup?: { filters: { fieldName: string }[] }[] } | undefined;
  compile(file).call('response', subscriber(groups), {
    setSubscriptionFilter: (f) => (filter = f as typeof filter),
  });
  return (filter?.filterGroup ?? []).flatMap((g) => g.filters.map((f) => f.fieldName)).sort();
}

// The resolvers name Cognito groups the way core does (organizationGroup, roleGroup) without
// importing it; these tests run them on the groups core builds, so a change on either side fails.
describe.each(['on-work-order-changed.js', 'on-inventory-changed.js'])('%s', (file) => {
  it('admits a member of the organization, by the group core mirrors', () => {
    expect(compile(file).call('request', subscriber(membershipGroups('MEMBER')))).toEqual({
      payload: null,
    });
  });

  it('refuses a member of another organization', () => {
    const other = [organizationGroup('org-2'), roleGroup('org-2', 'OWNER')];
    expect(() => compile(file).call('request', subscriber(other))).toThrow('Unauthorized');
  });
});

describe('on-work-order-changed.js', () => {
  it.each(ROLES)('filters a %s as core’s staff roles say', (role) => {
    const staff = STAFF_ROLES.includes(role);
    expect(filteredFields('on-work-order-changed.js', membershipGroups(role))).toEqual(
      staff ? ['organizationId'] : ['organizationId', 'requesterId'],
    );
  });
});
