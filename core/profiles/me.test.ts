import { beforeEach, describe, expect, it } from 'vitest';
import { isDomainError } from '../errors';
import { callerFor, FakeClock, FakeDirectory, InMemoryTables } from '../testing/fakes';
import { getMe } from './me';
import { DEFAULT_NOTIFICATION_PREFERENCES } from '../records';

describe('getMe', () => {
  let tables: InMemoryTables;
  let directory: FakeDirectory;
  let deps: Parameters<typeof getMe>[0];

  beforeEach(() => {
    tables = new InMemoryTables();
    directory = new FakeDirectory();
    deps = { ...tables, directory, clock: new FakeClock() };
  });

  it('returns the profile and memberships with organization names', async () => {
    tables.profileRows.set('u-1', {
      id: 'u-1',
      email: 'u@example.org',
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    tables.addOrganization('org-b', { name: 'Beta' });
    tables.addOrganization('org-a', { name: 'Alpha' });
    tables.addMember('org-b', 'u-1', 'MEMBER');
    tables.addMember('org-a', 'u-1', 'MANAGER');
    tables.addMember('org-gone', 'u-1', 'MANAGER');
    const me = await getMe(deps, callerFor('u-1'));
    expect(me.profile.email).toBe('u@example.org');
    expect(me.memberships).toEqual([
      {
        memberId: 'org-a#u-1',
        organizationId: 'org-a',
        organizationName: 'Alpha',
        role: 'MANAGER',
        status: 'ACTIVE',
      },
      {
        memberId: 'org-b#u-1',
        organizationId: 'org-b',
        organizationName: 'Beta',
        role: 'MEMBER',
        status: 'ACTIVE',
      },
    ]);
  });

  it('repairs a missing profile from the user directory', async () => {
    directory.users.set('u-1', { email: 'sam@example.org' });
    const me = await getMe(deps, callerFor('u-1'));
    expect(me.profile).toEqual({
      id: 'u-1',
      email: 'sam@example.org',
      displayName: 'sam',
      createdAt: '2026-03-01T12:00:00.000Z',
      // Not stored until changed; shown as the defaults.
      preferences: DEFAULT_NOTIFICATION_PREFERENCES,
    });
    const { preferences: _defaults, ...stored } = me.profile;
    expect(tables.profileRows.get('u-1')).toEqual(stored);
    expect(me.memberships).toEqual([]);
  });

  it('reports NOT_FOUND when no email can be found', async () => {
    await expect(getMe(deps, callerFor('u-1'))).rejects.toSatisfy((err) =>
      isDomainError(err, 'NOT_FOUND'),
    );
  });
});
