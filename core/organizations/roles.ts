/** Roles a person can hold in one organization, most powerful first. */
export const ROLES = ['OWNER', 'ADMIN', 'MANAGER', 'TECHNICIAN', 'MEMBER', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];

/** Each role as people say it, for screens and emails (the enum value is for machines). */
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  OWNER: 'Owner',
  ADMIN: 'Administrator',
  MANAGER: 'Manager',
  TECHNICIAN: 'Technician',
  MEMBER: 'Member',
  VIEWER: 'Viewer',
};

/** A role as a sentence reads it: "as a technician". */
export const ROLE_IN_A_SENTENCE: Readonly<Record<Role, string>> = {
  OWNER: 'an owner',
  ADMIN: 'an administrator',
  MANAGER: 'a manager',
  TECHNICIAN: 'a technician',
  MEMBER: 'a member',
  VIEWER: 'a viewer',
};

/** Where a membership stands. */
export const MEMBERSHIP_STATUSES = ['INVITED', 'ACTIVE', 'SUSPENDED'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

/** Subscription plans; their limits live in plans.ts. */
export const PLANS = ['FREE', 'STARTER', 'PROFESSIONAL', 'ENTERPRISE'] as const;
export type Plan = (typeof PLANS)[number];

export const ORGANIZATION_STATUSES = ['ACTIVE', 'SUSPENDED'] as const;
export type OrganizationStatus = (typeof ORGANIZATION_STATUSES)[number];

/** Roles that see every work order of their organization (MEMBERs see only their own requests). */
export const STAFF_ROLES: readonly Role[] = ['OWNER', 'ADMIN', 'MANAGER', 'TECHNICIAN', 'VIEWER'];

/**
 * The Cognito group that mirrors membership of an organization. It is the organization id
 * itself, so `groupDefinedIn('organizationId')` rules compare the stored field with the token.
 */
export const organizationGroup = (organizationId: string): string => organizationId;

/** The Cognito group that mirrors one role in one organization, e.g. `org-…:MANAGER`. */
export const roleGroup = (organizationId: string, role: Role): string =>
  `${organizationId}:${role}`;

/** The groups allowed to read every work order of an organization (its staff roles). */
export const workOrderReadGroups = (organizationId: string): string[] =>
  STAFF_ROLES.map((role) => roleGroup(organizationId, role));
