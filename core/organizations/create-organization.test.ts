import { beforeEach, describe, expect, it } from 'vitest';
import { isDomainError } from '../errors';
import {
  callerFor,
  FakeClock,
  FakeDirectory,
  InMemoryTables,
  SequentialIds,
} from '../testing/fakes';
import { createOrganization } from './create-organization';

describe('createOrganization', () => {
  let tables: InMemoryTables;
  let directory: FakeDirectory;
  let deps: Parameters<typeof createOrganization>[0];

  beforeEach(() => {
    tables = new InMemoryTables();
    directory = new FakeDirectory();
    deps = { ...tables, directory, clock: new FakeClock(), ids: new SequentialIds() };
  });

  it('creates the organization, the owner membership and the Cognito groups', async () => {
    const organization = await createOrganization(deps, callerFor('user-1', 'ann@example.org'), {
      name: 'Grace Chapel',
    });
    expect(organization).toMatchObject({
      id: 'org-id-1',
      name: 'Grace Chapel',
      slug: 'grace-chapel',
      plan: 'FREE',
      status: 'ACTIVE',
      ownerId: 'user-1',
      workOrderCounter: 0,
      memberCount: 1,
    });
    expect(tables.memberRows.get('org-id-1#user-1')).toMatchObject({
      organizationId: 'org-id-1',
      userId: 'user-1',
      username: 'user-1',
      email: 'ann@example.org',
      role: 'OWNER',
      status: 'ACTIVE',
    });
    expect(directory.groups.size).toBe(7);
    expect([...(directory.userGroups.get('user-1') ?? [])]).toEqual(['org-id-1', 'org-id-1:OWNER']);
    // The profile was repaired on the way, since the trigger had not made one.
    expect(tables.profileRows.get('user-1')?.email).toBe('ann@example.org');
  });

  it('refuses a slug that is taken', async () => {
    await createOrganization(deps, callerFor('user-1', 'a@example.org'), { name: 'Grace Chapel' });
    await expect(
      createOrganization(deps, callerFor('user-2', 'b@example.org'), {
        name: 'Other',
        slug: 'grace-chapel',
      }),
    ).rejects.toSatisfy((err) => isDomainError(err, 'CONFLICT'));
  });

  it('refuses a slug taken between the check and the write', async () => {
    tables.beforeWrite = () => tables.slugRows.set('grace-chapel', 'org-other');
    await expect(
      createOrganization(deps, callerFor('user-1', 'a@example.org'), { name: 'Grace Chapel' }),
    ).rejects.toSatisfy((err) => isDomainError(err, 'CONFLICT'));
    expect(tables.organizationRows.size).toBe(0);
  });

  it('undoes the organization when the owner cannot be added to its groups', async () => {
    directory.failAdd = new Error('throttled');
    await expect(
      createOrganization(deps, callerFor('user-1', 'a@example.org'), { name: 'Grace Chapel' }),
    ).rejects.toThrow('throttled');
    expect(tables.organizationRows.size).toBe(0);
    expect(tables.memberRows.size).toBe(0);
    expect(tables.slugRows.size).toBe(0);
  });

  it('validates the name', async () => {
    await expect(
      createOrganization(deps, callerFor('user-1', 'a@example.org'), { name: '' }),
    ).rejects.toSatisfy((err) => isDomainError(err, 'VALIDATION'));
  });
});
