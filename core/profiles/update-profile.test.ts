import { beforeEach, describe, expect, it } from 'vitest';
import { isDomainError } from '../errors';
import { FakeClock, FakeDirectory, InMemoryTables, callerFor } from '../testing/fakes';
import { updateProfile } from './update-profile';

describe('updateProfile', () => {
  let tables: InMemoryTables;
  let deps: Parameters<typeof updateProfile>[0];

  beforeEach(() => {
    tables = new InMemoryTables();
    const directory = new FakeDirectory();
    directory.users.set('u-1', { email: 'ruth.facilities@example.org' });
    deps = {
      clock: new FakeClock(),
      profiles: tables.profiles,
      directory,
      memberships: tables.memberships,
    };
  });

  it('sets the name on the profile and on every membership of the caller', async () => {
    tables.addMember('org-1', 'u-1', 'ADMIN');
    tables.addMember('org-2', 'u-1', 'MEMBER');
    tables.addMember('org-1', 'u-2', 'MEMBER');
    const profile = await updateProfile(deps, callerFor('u-1'), { displayName: '  Ruth Miller ' });
    expect(profile.displayName).toBe('Ruth Miller');
    expect(tables.profileRows.get('u-1')?.displayName).toBe('Ruth Miller');
    const names = [...tables.memberRows.values()].map((m) => [m.userId, m.displayName]);
    expect(names.filter(([user]) => user === 'u-1')).toEqual([
      ['u-1', 'Ruth Miller'],
      ['u-1', 'Ruth Miller'],
    ]);
    expect(names.find(([user]) => user === 'u-2')?.[1]).not.toBe('Ruth Miller');
  });

  it.each([
    ['an empty name', { displayName: '   ' }],
    ['a long name', { displayName: 'x'.repeat(81) }],
    ['a line break', { displayName: 'Ruth\nMiller' }],
    ['no name', {}],
    ['an unknown field', { displayName: 'Ruth', email: 'x@example.org' }],
  ])('rejects %s', async (_name, args) => {
    await expect(updateProfile(deps, callerFor('u-1'), args)).rejects.toSatisfy((err) =>
      isDomainError(err, 'VALIDATION'),
    );
  });
});
