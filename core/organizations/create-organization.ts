import { DomainError } from '../errors';
import { ensureProfile } from '../profiles/me';
import type {
  Caller,
  Clock,
  IdGenerator,
  OrganizationStore,
  ProfileStore,
  UserDirectory,
} from '../ports';
import { membershipId, type MemberRecord, type OrganizationRecord } from '../records';
import { organizationGroup, ROLES, roleGroup } from './roles';
import { parseCreateOrganization } from './validation';

/** The Cognito groups that mirror an organization's memberships, with descriptions. */
export const organizationGroups = (organization: Pick<OrganizationRecord, 'id' | 'name'>) => [
  { name: organizationGroup(organization.id), description: `Members of ${organization.name}` },
  ...ROLES.map((role) => ({
    name: roleGroup(organization.id, role),
    description: `${role}s of ${organization.name}`,
  })),
];

const slugTaken = (slug: string) =>
  new DomainError('CONFLICT', `The slug "${slug}" is already taken.`, {
    field: 'slug',
    resolution: 'Choose another slug (3–48 lower-case letters, digits or hyphens).',
  });

/**
 * `createOrganization`: any signed-in user creates an organization on the FREE plan and becomes
 * its OWNER; the membership is mirrored into the Cognito groups `<orgId>` and `<orgId>:OWNER`.
 */
export async function createOrganization(
  deps: {
    clock: Clock;
    ids: IdGenerator;
    profiles: ProfileStore;
    organizations: OrganizationStore;
    directory: UserDirectory;
  },
  caller: Caller,
  args: unknown,
): Promise<OrganizationRecord> {
  const input = parseCreateOrganization(args);
  const now = deps.clock.now().toISOString();
  // A cheap early answer; the transaction's slug claim is what guarantees uniqueness.
  if (await deps.organizations.isSlugTaken(input.slug)) throw slugTaken(input.slug);
  const profile = await ensureProfile(deps, caller);

  const organization: OrganizationRecord = {
    id: `org-${deps.ids.uuid()}`,
    name: input.name,
    slug: input.slug,
    plan: 'FREE',
    status: 'ACTIVE',
    ownerId: caller.userId,
    workOrderCounter: 0,
    memberCount: 1,
    ownerCount: 1,
    createdAt: now,
    updatedAt: now,
  };
  const owner: MemberRecord = {
    id: membershipId(organization.id, caller.userId),
    organizationId: organization.id,
    userId: caller.userId,
    username: caller.username,
    email: profile.email,
    ...(profile.displayName ? { displayName: profile.displayName } : {}),
    role: 'OWNER',
    status: 'ACTIVE',
    joinedAt: now,
    createdAt: now,
    updatedAt: now,
  };

  // Groups first: an empty group left behind by a failed create is harmless.
  for (const group of organizationGroups(organization)) {
    await deps.directory.ensureGroup(group.name, group.description);
  }
  if ((await deps.organizations.create({ organization, owner })) === 'SLUG_TAKEN') {
    throw slugTaken(input.slug);
  }
  try {
    await deps.directory.addUserToGroup(caller.username, organizationGroup(organization.id));
    await deps.directory.addUserToGroup(caller.username, roleGroup(organization.id, 'OWNER'));
  } catch (err) {
    // An organization its owner cannot read is worse than none: undo, then report.
    await deps.organizations.remove({ organization, owner });
    throw err;
  }
  return organization;
}
