import type { MembershipStatus, OrganizationStatus, Plan, Role } from './organizations/roles';
import type { Category, Priority, WorkOrderStatus, WorkOrderType } from './work-orders/vocabulary';

/**
 * The stored shapes of the models, field for field as amplify/data/resource.ts declares them
 * (optional fields are absent rather than null). Stores add what only storage needs
 * (`__typename`, composite index keys).
 */

/** A person, keyed by their Cognito sub. */
export type ProfileRecord = {
  id: string;
  email: string;
  displayName?: string;
  /**
   * Which emails the person wants; an absent switch takes its default (stored preferences predate
   * newer switches). In-app notifications are always kept.
   */
  preferences?: Partial<NotificationPreferences>;
  createdAt: string;
};

/** Per-person email switches, one per kind of notification email. */
export type NotificationPreferences = {
  assignment: boolean;
  statusChanges: boolean;
  lowStock: boolean;
  /** New HIGH and URGENT requests, to those who triage (on unless turned off). */
  urgentRequests: boolean;
  /** New LOW and MEDIUM requests, to those who triage (off unless turned on: they are many). */
  newRequests: boolean;
};

/** Every email is on until turned off, except new requests of normal priority. */
export const DEFAULT_NOTIFICATION_PREFERENCES: NotificationPreferences = {
  assignment: true,
  statusChanges: true,
  lowStock: true,
  urgentRequests: true,
  newRequests: false,
};

/** An organization (tenant). */
export type OrganizationRecord = {
  id: string;
  name: string;
  slug: string;
  plan: Plan;
  status: OrganizationStatus;
  ownerId: string;
  workOrderCounter: number;
  memberCount: number;
  /**
   * ACTIVE OWNER members, kept by every membership change in the same transaction so the last
   * owner can never be demoted, suspended or removed; server-only, not in the schema. Absent on
   * organizations created before it existed, which counts as 1 (their creator).
   */
  ownerCount?: number;
  /** The month (`YYYY-MM`) that `workOrdersInMonth` counts; server-only, not in the schema. */
  workOrdersMonth?: string;
  /** Work orders submitted in `workOrdersMonth`, for the plan limit; server-only. */
  workOrdersInMonth?: number;
  createdAt: string;
  updatedAt: string;
};

/** One person's membership of one organization (or an invitation to it). */
export type MemberRecord = {
  id: string;
  organizationId: string;
  userId?: string;
  /** The member's Cognito username when the server knew it; server-only, not in the schema. */
  username?: string;
  email: string;
  displayName?: string;
  role: Role;
  status: MembershipStatus;
  invitedBy?: string;
  invitedAt?: string;
  inviteExpiresAt?: string;
  /**
   * The secret of an open invitation (32 random bytes, base64url), sent only in the invitation
   * email; server-only, not in the schema, so no client can read it. Removed on acceptance.
   */
  inviteToken?: string;
  joinedAt?: string;
  suspendedAt?: string;
  /** Incremented by every membership change; absent on memberships written before it existed. */
  version?: number;
  createdAt: string;
  updatedAt: string;
};

/** A work order. */
export type WorkOrderRecord = {
  id: string;
  organizationId: string;
  number: number;
  title: string;
  description?: string;
  status: WorkOrderStatus;
  priority: Priority;
  category: Category;
  type: WorkOrderType;
  locationText?: string;
  dueAt?: string;
  /** Owner field `<sub>::<username>`: the requester reads it through the owner rule. */
  requester: string;
  requesterId: string;
  requesterName?: string;
  assigneeId?: string;
  assigneeName?: string;
  readGroups: string[];
  version: number;
  assignedAt?: string;
  startedAt?: string;
  completedAt?: string;
  completedBy?: string;
  closedAt?: string;
  laborMinutes?: number;
  completionNotes?: string;
  /** dueAt while the work order is open, absent once done (the sparse overdue index). */
  openDueAt?: string;
  /** The title lower-cased, for search within one organization. */
  titleLower?: string;
  /** Who made the latest change, so notifications can skip the person who acted; server-only. */
  updatedBy?: string;
  /** When the current IN_PROGRESS stretch began; server-only, not in the schema. */
  activeSince?: string;
  /** Seconds of earlier IN_PROGRESS stretches; server-only, not in the schema. */
  laborSeconds?: number;
  createdAt: string;
  updatedAt: string;
};

/** One audit-trail entry of a work order; readable by whoever reads the work order. */
export type WorkOrderEventRecord = {
  id: string;
  organizationId: string;
  workOrderId: string;
  at: string;
  actorId: string;
  actorName?: string;
  kind: string;
  fromStatus?: WorkOrderStatus;
  toStatus?: WorkOrderStatus;
  note?: string;
  requester: string;
  readGroups: string[];
  createdAt: string;
  updatedAt: string;
};

/** Delivery states of a notification. */
export const NOTIFICATION_STATUSES = [
  'PENDING',
  'SENT',
  'FAILED',
  'SKIPPED_BY_PREFERENCE',
] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** One delivery of one notification to one person; its id is the dedupe key. */
export type NotificationRecord = {
  id: string;
  organizationId: string;
  recipientId: string;
  /**
   * Owner field, so the recipient reads it through the owner rule: the bare sub for members
   * (accepted whatever the token's username is), `invitation::<email>` (nobody) for invitations.
   */
  recipient: string;
  email?: string;
  kind: string;
  subject: string;
  link?: string;
  status: NotificationStatus;
  attempts: number;
  messageId?: string;
  readAt?: string;
  createdAt: string;
  updatedAt: string;
};

/** Adjustment reasons: COUNT sets the quantity (absolute), the others move it by a delta. */
export const ADJUSTMENT_REASONS = ['RECEIVE', 'CONSUME', 'ADJUST', 'COUNT'] as const;
export type AdjustmentReason = (typeof ADJUSTMENT_REASONS)[number];

/** A stocked part or consumable of one organization. */
export type InventoryItemRecord = {
  id: string;
  organizationId: string;
  sku: string;
  name: string;
  unit: string;
  quantity: number;
  minQuantity: number;
  reorderQuantity?: number;
  unitCost?: number;
  storageLocation?: string;
  lastCountedAt?: string;
  version: number;
  /** Who made the latest change; server-only, not in the schema. */
  updatedBy?: string;
  createdAt: string;
  updatedAt: string;
};

/** One entry of the stock ledger, written in the same transaction as the item it changed. */
export type InventoryAdjustmentRecord = {
  id: string;
  organizationId: string;
  itemId: string;
  sku: string;
  reason: AdjustmentReason;
  delta: number;
  quantityBefore: number;
  quantityAfter: number;
  unitCost?: number;
  workOrderId?: string;
  note?: string;
  actorId: string;
  actorName?: string;
  at: string;
  readGroups: string[];
  createdAt: string;
  updatedAt: string;
};

/** The id of the membership of `userId` in `organizationId`, so it can be read directly. */
export const membershipId = (organizationId: string, userId: string): string =>
  `${organizationId}#${userId}`;

/**
 * The id of an invitation of `email` to `organizationId`. Deterministic, so two concurrent
 * invitations of one address meet on one item; accepting re-keys the membership to
 * `membershipId(organizationId, userId)`, which every membership check reads consistently.
 */
export const invitationId = (organizationId: string, email: string): string =>
  `${organizationId}#invite#${email}`;

/** The owner-field value the generated resolvers compare with `<sub>::<username>` of the caller. */
export const ownerValue = (sub: string, username: string): string => `${sub}::${username}`;

/**
 * The owner-field value for a member who is not the caller. With the username it is the
 * standard `<sub>::<username>`; without it, the bare sub, which the generated owner rule also
 * accepts (its filter is `eq "<sub>::<username>"` OR `eq "<sub>"` OR `eq "<username>"`) whatever
 * the username is — `<sub>::<sub>` would only match where usernames equal subs.
 */
export const memberOwnerValue = (
  member: Pick<MemberRecord, 'userId' | 'username'>,
  userId: string,
): string => (member.username ? ownerValue(userId, member.username) : userId);

/** How a member is shown to others. */
export const memberName = (member: Pick<MemberRecord, 'displayName' | 'email'>): string =>
  member.displayName ?? member.email;
