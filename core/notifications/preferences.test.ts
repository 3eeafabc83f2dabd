import { beforeEach, describe, expect, it } from 'vitest';
import { isDomainError } from '../errors';
import { callerFor, FakeClock, FakeDirectory, InMemoryTables } from '../testing/fakes';
import { preferenceOf, updateNotificationPreferences, wantsEmail } from './preferences';

describe('wantsEmail', () => {
  it.each([
    ['WORK_ORDER_ASSIGNED', 'assignment'],
    ['REQUEST_ASSIGNED', 'statusChanges'],
    ['REQUEST_COMPLETED', 'statusChanges'],
    ['REQUEST_CLOSED', 'statusChanges'],
    ['LOW_STOCK', 'lowStock'],
  ] as const)('%s follows %s', (kind, key) => {
    expect(preferenceOf(kind)).toBe(key);
    expect(wantsEmail(undefined, kind)).toBe(true);
    expect(wantsEmail({ [key]: false }, kind)).toBe(false);
    expect(wantsEmail({ [key]: true }, kind)).toBe(true);
  });
});

describe('updateNotificationPreferences', () => {
  let tables: InMemoryTables;
  let deps: { clock: FakeClock; profiles: InMemoryTables['profiles']; directory: FakeDirectory };

  beforeEach(() => {
    tables = new InMemoryTables();
    const directory = new FakeDirectory();
    directory.users.set('u-1', { email: 'ann@example.org' });
    deps = { clock: new FakeClock(), profiles: tables.profiles, directory };
  });

  it('turns off only what was given and keeps the rest', async () => {
    expect(
      await updateNotificationPreferences(deps, callerFor('u-1'), { lowStock: false }),
    ).toEqual({
      assignment: true,
      statusChanges: true,
      lowStock: false,
      urgentRequests: true,
      newRequests: false,
    });
    expect(
      await updateNotificationPreferences(deps, callerFor('u-1'), {
        assignment: false,
        statusChanges: null,
        newRequests: true,
      }),
    ).toEqual({
      assignment: false,
      statusChanges: true,
      lowStock: false,
      urgentRequests: true,
      newRequests: true,
    });
    expect(tables.profileRows.get('u-1')?.preferences).toEqual({
      assignment: false,
      statusChanges: true,
      lowStock: false,
      urgentRequests: true,
      newRequests: true,
    });
  });

  it.each([
    ['a non-boolean', { lowStock: 'no' }],
    ['an unknown switch', { digest: false }],
  ])('rejects %s', async (_name, args) => {
    await expect(updateNotificationPreferences(deps, callerFor('u-1'), args)).rejects.toSatisfy(
      (err) => isDomainError(err, 'VALIDATION'),
    );
    expect(tables.profileRows.get('u-1')?.preferences).toBeUndefined();
  });
});
