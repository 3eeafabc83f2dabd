import { beforeEach, describe, expect, it } from 'vitest';
import { isDomainError, type ErrorCode } from '../errors';
import { submitWorkOrder } from '../work-orders/submit-work-order';
import { invitationId, type MemberRecord } from '../records';
import {
  callerFor,
  FakeClock,
  FakeDirectory,
  InMemoryTables,
  SequentialIds,
  SequentialSecrets,
} from '../testing/fakes';
import { acceptInvitation } from './accept-invitation';
import { createOrganization } from './create-organization';
import { inviteMember } from './invite-member';
import { removeMember, setMemberSuspended, updateMemberRole } from './manage-members';
import { ROLES, type Role } from './roles';
import { transferOwnership } from './transfer-ownership';

const ORG = 'org-1';
const others = ['ADMIN', 'MANAGER', 'TECHNICIAN', 'MEMBER', 'VIEWER'] as const;
const userOf = (role: Role) => role.toLowerCase();

let tables: InMemoryTables;
let directory: FakeDirectory;
let clock: FakeClock;
let deps: {
  clock: FakeClock;
  ids: SequentialIds;
  secrets: SequentialSecrets;
  directory: FakeDirectory;
} & InMemoryTables;

/** Everything the operations may change, to assert that a refusal changed nothing. */
const state = () =>
  structuredClone({
    members: [...tables.memberRows.entries()],
    organizations: [...tables.organizationRows.entries()],
    groups: [...directory.userGroups.entries()].map(([u, g]) => [u, [...g].sort()]),
  });

async function refusal(promise: Promise<unknown>, code: ErrorCode, field?: string) {
  const before = state();
  let thrown: unknown;
  try {
    await promise;
  } catch (err) {
    thrown = err;
  }
  expect(isDomainError(thrown, code), `expected ${code}, got ${String(thrown)}`).toBe(true);
  if (field) expect((thrown as { field?: string }).field).toBe(field);
  return { thrown, unchanged: () => expect(state()).toEqual(before) };
}

/** The state without versions and timestamps, which an undo moves on (it is a new write). */
const restoredState = () =>
  JSON.parse(
    JSON.stringify(state(), (key, value) =>
      key === 'version' || key === 'updatedAt' ? undefined : value,
    ),
  );

/** Expects the operation to fail with `code` and to leave the state as it was, bar versions. */
async function undoneWith(run: () => Promise<unknown>, code: ErrorCode) {
  const before = restoredState();
  await expect(run()).rejects.toSatisfy((err) => isDomainError(err, code));
  expect(restoredState()).toEqual(before);
}

/** Expects the operation to fail with `code` and to change nothing at all. */
async function refusesWith(run: () => Promise<unknown>, code: ErrorCode, field?: string) {
  const before = state();
  const { unchanged } = await refusal(run(), code, field);
  unchanged();
  expect(state()).toEqual(before);
}

/** An ACTIVE member of ORG in `role`, in its groups, as accepted invitations leave them. */
function seedMember(role: Role, userId = userOf(role)): MemberRecord {
  const member = tables.addMember(ORG, userId, role);
  member.username = userId;
  member.version = 1;
  directory.users.set(userId, { email: `${userId}@example.org`, emailVerified: true });
  for (const group of [ORG, `${ORG}:${role}`]) void directory.addUserToGroup(userId, group);
  return member;
}

beforeEach(() => {
  tables = new InMemoryTables();
  directory = new FakeDirectory();
  clock = new FakeClock();
  deps = Object.assign(tables, {
    clock,
    ids: new SequentialIds(),
    secrets: new SequentialSecrets(),
    directory,
  });
  tables.addOrganization(ORG, { name: 'Grace Chapel', plan: 'STARTER', ownerId: 'owner' });
  for (const group of [ORG, ...ROLES.map((r) => `${ORG}:${r}`)]) directory.groups.add(group);
  for (const role of ROLES) seedMember(role);
  const organization = tables.organizationRows.get(ORG);
  if (organization) Object.assign(organization, { memberCount: ROLES.length, ownerCount: 1 });
});

const invite = (email: string, role: Role = 'TECHNICIAN', by: Role = 'OWNER') =>
  inviteMember(deps, callerFor(userOf(by)), { organizationId: ORG, email, role });

describe('inviteMember', () => {
  it.each(['OWNER', 'ADMIN'] as const)('lets an %s invite, normalising the email', async (by) => {
    const member = await invite('  Zoe@Example.ORG ', 'MANAGER', by);
    expect(member).toEqual({
      id: invitationId(ORG, 'zoe@example.org'),
      organizationId: ORG,
      email: 'zoe@example.org',
      role: 'MANAGER',
      status: 'INVITED',
      invitedBy: userOf(by),
      invitedAt: '2026-03-01T12:00:00.000Z',
      inviteExpiresAt: '2026-03-08T12:00:00.000Z',
      version: 1,
      createdAt: '2026-03-01T12:00:00.000Z',
      updatedAt: '2026-03-01T12:00:00.000Z',
    });
    // The secret is stored, never returned.
    expect(tables.memberRows.get(member.id)?.inviteToken).toBe('token-1');
    expect(tables.organizationRows.get(ORG)?.memberCount).toBe(ROLES.length + 1);
  });

  it.each(['MANAGER', 'TECHNICIAN', 'MEMBER', 'VIEWER'] as const)(
    'refuses a %s and changes nothing',
    async (by) => {
      await refusesWith(() => invite('zoe@example.org', 'MEMBER', by), 'FORBIDDEN');
    },
  );

  it('hides the organization from a non-member', async () => {
    await refusesWith(
      () =>
        inviteMember(deps, callerFor('stranger'), {
          organizationId: ORG,
          email: 'z@x.org',
          role: 'MEMBER',
        }),
      'NOT_FOUND',
    );
  });

  it.each([
    ['email', { email: 'not-an-email', role: 'MEMBER' }],
    ['email', { email: '', role: 'MEMBER' }],
    ['role', { email: 'z@example.org', role: 'JANITOR' }],
    ['role', { email: 'z@example.org', role: 'OWNER' }],
    ['organizationId', { organizationId: '', email: 'z@example.org', role: 'MEMBER' }],
  ])('rejects a bad %s with VALIDATION naming it (%#)', async (field, args) => {
    await refusesWith(
      () => inviteMember(deps, callerFor('owner'), { organizationId: ORG, ...args }),
      'VALIDATION',
      field,
    );
  });

  it.each(['ACTIVE', 'SUSPENDED'] as const)(
    'refuses an address that is already %s',
    async (status) => {
      const member = tables.memberRows.get(`${ORG}#technician`);
      if (member) member.status = status;
      const { thrown, unchanged } = await refusal(
        invite('Technician@example.org'),
        'CONFLICT',
        'email',
      );
      expect(String(thrown)).toContain('already a member');
      unchanged();
    },
  );

  it('re-invites an INVITED address with a fresh token and expiry, taking no second seat', async () => {
    const first = await invite('zoe@example.org', 'MEMBER');
    clock.advance(60 * 24 * 3);
    const again = await invite('zoe@example.org', 'VIEWER', 'ADMIN');
    expect(again.id).toBe(first.id);
    expect(again).toMatchObject({
      role: 'VIEWER',
      invitedBy: 'admin',
      inviteExpiresAt: '2026-03-11T12:00:00.000Z',
      version: 2,
      createdAt: first.createdAt,
    });
    expect(tables.memberRows.get(first.id)?.inviteToken).toBe('token-2');
    expect(tables.organizationRows.get(ORG)?.memberCount).toBe(ROLES.length + 1);
  });

  it('enforces the plan member limit (ACTIVE + INVITED) with LIMIT_EXCEEDED', async () => {
    const organization = tables.organizationRows.get(ORG);
    if (organization) organization.plan = 'FREE';
    const { thrown, unchanged } = await refusal(invite('zoe@example.org'), 'LIMIT_EXCEEDED');
    expect((thrown as { resolution?: string }).resolution).toContain('STARTER');
    unchanged();
  });

  it('enforces the limit in the transaction when a seat is taken meanwhile', async () => {
    const organization = tables.organizationRows.get(ORG);
    if (organization) organization.memberCount = 14;
    tables.beforeWrite = () => {
      const current = tables.organizationRows.get(ORG);
      if (current) current.memberCount = 15;
    };
    await expect(invite('zoe@example.org')).rejects.toSatisfy((err) =>
      isDomainError(err, 'LIMIT_EXCEEDED'),
    );
    expect(tables.memberRows.has(invitationId(ORG, 'zoe@example.org'))).toBe(false);
  });
});

describe('acceptInvitation', () => {
  let memberId: string;
  beforeEach(async () => {
    memberId = (await invite('zoe@example.org', 'MANAGER')).id;
    directory.users.set('zoe', { email: 'Zoe@example.org', emailVerified: true, name: 'Zoe' });
  });
  const accept = (userId = 'zoe', token = 'token-1', id = memberId) =>
    acceptInvitation(deps, callerFor(userId), { memberId: id, token });

  it('makes the invited, verified address an ACTIVE member in the groups', async () => {
    const member = await accept();
    expect(member).toEqual({
      id: `${ORG}#zoe`,
      organizationId: ORG,
      userId: 'zoe',
      username: 'zoe',
      email: 'zoe@example.org',
      displayName: 'Zoe',
      role: 'MANAGER',
      status: 'ACTIVE',
      invitedBy: 'owner',
      invitedAt: '2026-03-01T12:00:00.000Z',
      joinedAt: '2026-03-01T12:00:00.000Z',
      version: 1,
      createdAt: '2026-03-01T12:00:00.000Z',
      updatedAt: '2026-03-01T12:00:00.000Z',
    });
    expect(tables.memberRows.has(memberId)).toBe(false);
    expect(tables.memberRows.get(`${ORG}#zoe`)?.inviteToken).toBeUndefined();
    expect(directory.groupsOf('zoe')).toEqual([ORG, `${ORG}:MANAGER`]);
    // The seat taken by the invitation is now the member's.
    expect(tables.organizationRows.get(ORG)?.memberCount).toBe(ROLES.length + 1);
  });

  it('refuses another person (a foreign invitation) and changes nothing', async () => {
    directory.users.set('eve', { email: 'eve@example.org', emailVerified: true });
    await refusesWith(() => accept('eve'), 'FORBIDDEN');
  });

  it('refuses an unverified email', async () => {
    directory.users.set('zoe', { email: 'zoe@example.org', emailVerified: false });
    await refusesWith(() => accept(), 'FORBIDDEN');
  });

  it('refuses a wrong or superseded token', async () => {
    await refusesWith(() => accept('zoe', 'token-9'), 'FORBIDDEN', 'token');
    await invite('zoe@example.org', 'MANAGER');
    await refusesWith(() => accept('zoe', 'token-1'), 'FORBIDDEN', 'token');
    await expect(accept('zoe', 'token-2')).resolves.toMatchObject({ status: 'ACTIVE' });
  });

  it('refuses an expired invitation with INVITATION_EXPIRED and a way forward', async () => {
    clock.advance(7 * 24 * 60);
    const { thrown, unchanged } = await refusal(accept(), 'INVITATION_EXPIRED');
    expect((thrown as { resolution?: string }).resolution).toMatch(/new invitation/);
    unchanged();
  });

  it('undoes the acceptance when the groups cannot be mirrored', async () => {
    directory.failAdd = new Error('throttled');
    await undoneWith(() => accept(), 'INTERNAL');
    expect(tables.memberRows.get(memberId)?.inviteToken).toBe('token-1');
    directory.failAdd = undefined;
    await expect(accept()).resolves.toMatchObject({ status: 'ACTIVE' });
  });

  it('refuses a second acceptance', async () => {
    await accept();
    await refusesWith(() => accept(), 'NOT_FOUND');
  });

  it('refuses someone who is already a member under another address', async () => {
    directory.users.set('manager', { email: 'zoe@example.org', emailVerified: true });
    await refusesWith(() => accept('manager'), 'CONFLICT');
  });

  it('rejects missing arguments', async () => {
    await refusesWith(() => accept('zoe', ''), 'VALIDATION', 'token');
  });
});

describe('updateMemberRole', () => {
  const change = (by: Role, memberId: string, role: Role) =>
    updateMemberRole(deps, callerFor(userOf(by)), { memberId, role });

  it.each(['OWNER', 'ADMIN'] as const)(
    'lets an %s change a role and swaps the groups',
    async (by) => {
      const member = await change(by, `${ORG}#technician`, 'MANAGER');
      expect(member).toMatchObject({ role: 'MANAGER', version: 2 });
      expect(directory.groupsOf('technician')).toEqual([ORG, `${ORG}:MANAGER`]);
    },
  );

  it.each(['MANAGER', 'TECHNICIAN', 'MEMBER', 'VIEWER'] as const)('refuses a %s', async (by) => {
    await refusesWith(() => change(by, `${ORG}#member`, 'VIEWER'), 'FORBIDDEN');
  });

  it('lets no ADMIN grant or touch OWNER', async () => {
    await refusesWith(() => change('ADMIN', `${ORG}#manager`, 'OWNER'), 'FORBIDDEN');
    await refusesWith(() => change('ADMIN', `${ORG}#owner`, 'ADMIN'), 'FORBIDDEN');
  });

  it('never demotes the last OWNER, even themselves', async () => {
    await refusesWith(() => change('OWNER', `${ORG}#owner`, 'ADMIN'), 'LAST_OWNER');
  });

  it('lets an OWNER make a second owner, who may then demote the first', async () => {
    await change('OWNER', `${ORG}#admin`, 'OWNER');
    expect(tables.organizationRows.get(ORG)?.ownerCount).toBe(2);
    await change('OWNER', `${ORG}#owner`, 'MEMBER');
    expect(tables.organizationRows.get(ORG)?.ownerCount).toBe(1);
    expect(directory.groupsOf('owner')).toEqual([ORG, `${ORG}:MEMBER`]);
  });

  it('rejects an unknown role', async () => {
    await refusesWith(
      () => change('OWNER', `${ORG}#member`, 'JANITOR' as Role),
      'VALIDATION',
      'role',
    );
  });

  it('hides members of other organizations', async () => {
    tables.addOrganization('org-2');
    tables.addMember('org-2', 'x', 'MEMBER');
    await refusesWith(() => change('OWNER', 'org-2#x', 'VIEWER'), 'NOT_FOUND');
  });

  it('retries a failed group call once', async () => {
    directory.failNextCalls = 1;
    await change('OWNER', `${ORG}#technician`, 'MANAGER');
    expect(directory.groupsOf('technician')).toEqual([ORG, `${ORG}:MANAGER`]);
  });

  it('undoes the change when the groups cannot be mirrored', async () => {
    directory.failAdd = new Error('throttled');
    await undoneWith(() => change('OWNER', `${ORG}#technician`, 'MANAGER'), 'INTERNAL');
    expect(tables.memberRows.get(`${ORG}#technician`)).toMatchObject({ role: 'TECHNICIAN' });
  });
});

describe('setMemberSuspended', () => {
  const suspend = (by: Role, target: Role, suspended = true) =>
    setMemberSuspended(deps, callerFor(userOf(by)), {
      memberId: `${ORG}#${userOf(target)}`,
      suspended,
    });

  it.each(['OWNER', 'ADMIN'] as const)('lets an %s suspend and reactivate', async (by) => {
    await suspend(by, 'TECHNICIAN');
    expect(tables.memberRows.get(`${ORG}#technician`)).toMatchObject({
      status: 'SUSPENDED',
      suspendedAt: '2026-03-01T12:00:00.000Z',
    });
    expect(directory.groupsOf('technician')).toEqual([]);
    expect(tables.organizationRows.get(ORG)?.memberCount).toBe(ROLES.length - 1);
    const back = await suspend(by, 'TECHNICIAN', false);
    expect(back.status).toBe('ACTIVE');
    expect(back.suspendedAt).toBeUndefined();
    expect(directory.groupsOf('technician')).toEqual([ORG, `${ORG}:TECHNICIAN`]);
    expect(tables.organizationRows.get(ORG)?.memberCount).toBe(ROLES.length);
  });

  it.each(['MANAGER', 'TECHNICIAN', 'MEMBER', 'VIEWER'] as const)('refuses a %s', async (by) => {
    await refusesWith(() => suspend(by, 'MEMBER'), 'FORBIDDEN');
  });

  it('refuses suspending yourself and an ADMIN suspending an OWNER', async () => {
    await refusesWith(() => suspend('ADMIN', 'ADMIN'), 'FORBIDDEN');
    await refusesWith(() => suspend('ADMIN', 'OWNER'), 'FORBIDDEN');
  });

  it('never suspends the last OWNER, even when another owner left meanwhile', async () => {
    await updateMemberRole(deps, callerFor('owner'), { memberId: `${ORG}#admin`, role: 'OWNER' });
    tables.beforeWrite = () => {
      const organization = tables.organizationRows.get(ORG);
      if (organization) organization.ownerCount = 1;
    };
    await expect(suspend('ADMIN', 'OWNER')).rejects.toSatisfy((err) =>
      isDomainError(err, 'LAST_OWNER'),
    );
    expect(tables.memberRows.get(`${ORG}#owner`)?.status).toBe('ACTIVE');
    expect(directory.groupsOf('owner')).toEqual([ORG, `${ORG}:OWNER`]);
  });

  it('refuses a suspended member every write at once', async () => {
    await suspend('OWNER', 'MEMBER');
    await suspend('OWNER', 'ADMIN');
    await refusesWith(
      () => submitWorkOrder(deps, callerFor('member'), { organizationId: ORG, title: 'Leak' }),
      'FORBIDDEN',
    );
    // Member operations hide the organization from anyone not ACTIVE in it (requireActiveMember with `hide`).
    await refusesWith(() => invite('x@example.org', 'MEMBER', 'ADMIN'), 'NOT_FOUND');
    await refusesWith(
      () =>
        updateMemberRole(deps, callerFor('admin'), { memberId: `${ORG}#viewer`, role: 'MEMBER' }),
      'NOT_FOUND',
    );
  });

  it('rejects a non-boolean', async () => {
    await refusesWith(
      () =>
        setMemberSuspended(deps, callerFor('owner'), {
          memberId: `${ORG}#member`,
          suspended: 'yes',
        }),
      'VALIDATION',
      'suspended',
    );
  });
});

describe('removeMember', () => {
  const remove = (by: string, memberId: string) => removeMember(deps, callerFor(by), { memberId });

  it.each(['OWNER', 'ADMIN'] as const)(
    'lets an %s remove a member, returning its last state',
    async (by) => {
      const removed = await remove(userOf(by), `${ORG}#viewer`);
      expect(removed).toMatchObject({ userId: 'viewer', role: 'VIEWER', status: 'ACTIVE' });
      expect(tables.memberRows.has(`${ORG}#viewer`)).toBe(false);
      expect(directory.groupsOf('viewer')).toEqual([]);
      expect(tables.organizationRows.get(ORG)?.memberCount).toBe(ROLES.length - 1);
    },
  );

  it.each(others)('lets a %s leave', async (role) => {
    await remove(userOf(role), `${ORG}#${userOf(role)}`);
    expect(tables.memberRows.has(`${ORG}#${userOf(role)}`)).toBe(false);
    expect(directory.groupsOf(userOf(role))).toEqual([]);
  });

  it.each(['MANAGER', 'TECHNICIAN', 'MEMBER', 'VIEWER'] as const)(
    'refuses a %s removing someone else',
    async (by) => {
      const target = by === 'VIEWER' ? `${ORG}#member` : `${ORG}#viewer`;
      await refusesWith(() => remove(userOf(by), target), 'FORBIDDEN');
    },
  );

  it('never removes the last OWNER, nor lets an ADMIN remove an OWNER', async () => {
    await refusesWith(() => remove('owner', `${ORG}#owner`), 'LAST_OWNER');
    await refusesWith(() => remove('admin', `${ORG}#owner`), 'FORBIDDEN');
  });

  it('revokes an invitation and frees its seat', async () => {
    const { id } = await invite('zoe@example.org');
    await remove('admin', id);
    expect(tables.memberRows.has(id)).toBe(false);
    expect(tables.organizationRows.get(ORG)?.memberCount).toBe(ROLES.length);
  });
});

describe('transferOwnership', () => {
  const transfer = (by: Role, memberId: string) =>
    transferOwnership(deps, callerFor(userOf(by)), { organizationId: ORG, memberId });

  it('makes the target OWNER and the caller ADMIN in one change', async () => {
    const organization = await transfer('OWNER', `${ORG}#manager`);
    expect(organization).toMatchObject({ ownerId: 'manager', ownerCount: 1 });
    expect(tables.memberRows.get(`${ORG}#manager`)?.role).toBe('OWNER');
    expect(tables.memberRows.get(`${ORG}#owner`)?.role).toBe('ADMIN');
    expect(directory.groupsOf('manager')).toEqual([ORG, `${ORG}:OWNER`]);
    expect(directory.groupsOf('owner')).toEqual([ORG, `${ORG}:ADMIN`]);
  });

  it.each(others)('refuses a %s', async (by) => {
    await refusesWith(() => transfer(by, `${ORG}#member`), 'FORBIDDEN');
  });

  it('refuses a target that is not ACTIVE', async () => {
    const { id } = await invite('zoe@example.org');
    await refusesWith(() => transfer('OWNER', id), 'CONFLICT', 'memberId');
  });
});

describe('createOrganization', () => {
  it('starts the owner count at one', async () => {
    const organization = await createOrganization(deps, callerFor('new', 'n@example.org'), {
      name: 'New Place',
    });
    expect(organization.ownerCount).toBe(1);
  });
});
