import type { LiveNotification } from './notifications/live';
import type { OrganizationStatus, Plan } from './organizations/roles';
import type {
  InventoryAdjustmentRecord,
  InventoryItemRecord,
  MemberRecord,
  NotificationPreferences,
  NotificationRecord,
  OrganizationRecord,
  ProfileRecord,
  WorkOrderEventRecord,
  WorkOrderRecord,
} from './records';

/** The edges the domain needs; adapters implement them (DynamoDB, Cognito, SES) and tests fake them. */

/** The current time. */
export type Clock = { now(): Date };

/** Fresh random identifiers. */
export type IdGenerator = { uuid(): string };

/** Unguessable secrets (invitation tokens): 32 random bytes, base64url. */
export type SecretGenerator = { token(): string };

/** The signed-in person calling an operation, as the token says. */
export type Caller = {
  /** Cognito sub. */
  userId: string;
  /** Cognito username (with email sign-in, a UUID equal to the sub on AWS). */
  username: string;
  email?: string;
  /** Cognito groups from the token; may be stale, so the membership table is the authority. */
  groups: readonly string[];
};

/** Profiles, keyed by Cognito sub. */
export type ProfileStore = {
  get(id: string): Promise<ProfileRecord | undefined>;
  /** Writes the profile unless one exists; EXISTS is not an error (Cognito retries triggers). */
  createOnce(profile: ProfileRecord): Promise<'CREATED' | 'EXISTS'>;
  /** Replaces the email preferences of an existing profile. */
  setPreferences(id: string, preferences: NotificationPreferences, at: string): Promise<void>;
  /** Sets the name of an existing profile. */
  setDisplayName(id: string, displayName: string, at: string): Promise<void>;
};

/** Organizations. */
export type OrganizationStore = {
  /** Strongly consistent read. */
  get(id: string): Promise<OrganizationRecord | undefined>;
  getMany(ids: readonly string[]): Promise<OrganizationRecord[]>;
  isSlugTaken(slug: string): Promise<boolean>;
  /** Atomically claims the slug and writes the organization and its owner's membership. */
  create(input: {
    organization: OrganizationRecord;
    owner: MemberRecord;
  }): Promise<'CREATED' | 'SLUG_TAKEN'>;
  /** Undoes `create` (compensation when mirroring into Cognito fails). */
  remove(input: { organization: OrganizationRecord; owner: MemberRecord }): Promise<void>;
};

/** Memberships. */
export type MembershipStore = {
  /** The membership of a user in an organization, whatever its status. */
  find(organizationId: string, userId: string): Promise<MemberRecord | undefined>;
  listByUser(userId: string): Promise<MemberRecord[]>;
  /** Strongly consistent read of one membership or invitation by its id. */
  get(id: string): Promise<MemberRecord | undefined>;
  /** Memberships and invitations of one (lower-case) email address, in every organization. */
  listByEmail(email: string): Promise<MemberRecord[]>;
  /** Every membership and invitation of one organization. */
  listByOrganization(organizationId: string): Promise<MemberRecord[]>;
  /** Writes a membership change and its organization counters in one transaction. */
  commit(change: MembershipChange): Promise<MembershipCommitOutcome>;
  /**
   * Sets the name on a membership of this user (a new version, so a membership change read
   * before it fails its condition instead of writing the old name back); gone is no error.
   */
  setDisplayName(memberId: string, userId: string, displayName: string, at: string): Promise<void>;
};

/** One membership item before and after a change; undefined means absent. */
export type MemberTransition = {
  before: MemberRecord | undefined;
  after: MemberRecord | undefined;
};

/**
 * A change of memberships within one organization. Each item is written only if it is still
 * as `before` says (same version and organization; absent when `before` is undefined), and the
 * organization's counters move by the deltas, all or nothing.
 */
export type MembershipChange = {
  organizationId: string;
  members: MemberTransition[];
  /** Added to Organization.memberCount (ACTIVE + INVITED). */
  memberDelta: number;
  /** When set and memberDelta > 0, memberCount after the change may not exceed it. */
  memberLimit?: number;
  /** Added to Organization.ownerCount (ACTIVE OWNERs); when negative, at least one must remain. */
  ownerDelta: number;
  /** A new Organization.ownerId (transfer of ownership). */
  ownerId?: string;
  at: string;
};

/**
 * How a membership change ended: STALE when a membership was changed meanwhile, MEMBER_LIMIT
 * or LAST_OWNER when the organization's condition failed; nothing was written unless DONE.
 */
export type MembershipCommitOutcome = 'DONE' | 'STALE' | 'MEMBER_LIMIT' | 'LAST_OWNER';

/**
 * What taking a work-order number answered: the number and the month's count with it; the plan
 * and the month's count when that plan's limit is reached (nothing taken); the organization's
 * name and status when it is not ACTIVE, or that it does not exist (nothing taken either way).
 */
export type NumberTaken =
  | { outcome: 'TAKEN'; number: number; countInMonth: number }
  | { outcome: 'AT_LIMIT'; plan: Plan; countInMonth: number }
  | { outcome: 'NOT_ACTIVE'; name: string; status: OrganizationStatus }
  | { outcome: 'NOT_FOUND' };

/** Work orders and their audit events. */
export type WorkOrderStore = {
  /** Strongly consistent read. */
  get(id: string): Promise<WorkOrderRecord | undefined>;
  /**
   * Takes the organization's next work-order number and counts it in `month`, in one atomic
   * write of the organization (no read before it), only while it is ACTIVE and the month's count
   * is below the limit `monthlyLimits` gives its plan at that moment (Infinity: no limit).
   * Numbers are never handed out twice; a submission that fails after taking one leaves a gap.
   */
  takeNumber(input: {
    organizationId: string;
    month: string;
    monthlyLimits: Readonly<Record<Plan, number>>;
    at: string;
  }): Promise<NumberTaken>;
  /** Writes a new work order and its first event (ids never used before). */
  insert(input: { workOrder: WorkOrderRecord; event: WorkOrderEventRecord }): Promise<void>;
  /**
   * In one transaction: replaces the work order if its stored version is still
   * `expectedVersion`, and writes the event. STALE when it was not (nothing was written).
   */
  replace(input: {
    next: WorkOrderRecord;
    expectedVersion: number;
    event: WorkOrderEventRecord;
  }): Promise<'UPDATED' | 'STALE'>;
  /** Writes an event that changes nothing else (a comment); its id must be new. */
  appendEvent(event: WorkOrderEventRecord): Promise<void>;
};

/** The user directory (Cognito): groups mirror memberships so generated read rules can see them. */
export type UserDirectory = {
  /** The user's attributes (AdminGetUser); `emailVerified` only when Cognito says so. */
  findUser(username: string): Promise<DirectoryUser | undefined>;
  /** Creates the group unless it exists. */
  ensureGroup(name: string, description: string): Promise<void>;
  /** Adds the user to the group; adding twice is harmless. */
  addUserToGroup(username: string, group: string): Promise<void>;
  /** Removes the user from the group; removing twice is harmless. */
  removeUserFromGroup(username: string, group: string): Promise<void>;
};

/** What the directory knows about a user. */
export type DirectoryUser = { email?: string; emailVerified?: boolean; name?: string };

/** Notification deliveries: the exactly-once claim records. */
export type NotificationStore = {
  /**
   * Creates the delivery or takes over an unsent one (attempts + 1, status PENDING, leased until
   * `leaseUntil`). SENT when it was already delivered; BUSY when another attempt holds the lease.
   */
  claim(record: NotificationRecord, leaseUntil: string): Promise<'CLAIMED' | 'SENT' | 'BUSY'>;
  markSent(id: string, messageId: string, at: string): Promise<void>;
  markFailed(id: string, error: string, at: string): Promise<void>;
  /** Writes an in-app-only record (no email) unless the delivery exists; EXISTS is not an error. */
  recordUnsent(record: NotificationRecord): Promise<'CREATED' | 'EXISTS'>;
};

/** The caller's in-app notifications. */
export type InboxStore = {
  /** Strongly consistent read of one notification. */
  get(id: string): Promise<NotificationRecord | undefined>;
  /** The unread notifications of one recipient (Cognito sub). */
  listUnread(recipientId: string): Promise<NotificationRecord[]>;
  /** Sets readAt if the notification still belongs to `recipientId` and is unread; false otherwise. */
  markRead(id: string, recipientId: string, at: string): Promise<boolean>;
};

/** Inventory items, their SKU claims and the stock ledger. */
export type InventoryStore = {
  /** Strongly consistent read. */
  get(id: string): Promise<InventoryItemRecord | undefined>;
  /** Claims the SKU within the organization and writes the item, all or nothing. */
  create(item: InventoryItemRecord): Promise<'CREATED' | 'SKU_TAKEN'>;
  /**
   * In one transaction: replaces the item if its stored version is still `expectedVersion`, and
   * writes the ledger entry when given. STALE when it was not (nothing was written); IN_FLIGHT
   * when another transaction held the item (nothing was written, try again).
   */
  replace(input: {
    next: InventoryItemRecord;
    expectedVersion: number;
    adjustment?: InventoryAdjustmentRecord;
  }): Promise<'UPDATED' | 'STALE' | 'IN_FLIGHT'>;
};

/** An outgoing email. */
export type OutgoingEmail = {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
};

/** Sends email. */
export type Mailer = { send(email: OutgoingEmail): Promise<{ messageId: string }> };

/** Pushes an in-app notification to its recipient's open sessions (AppSync's onNotification). */
export type LivePublisher = { publish(notification: LiveNotification): Promise<void> };
