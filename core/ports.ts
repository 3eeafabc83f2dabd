import type {
  MemberRecord,
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
};

/** Work orders and their audit events. */
export type WorkOrderStore = {
  /** Strongly consistent read. */
  get(id: string): Promise<WorkOrderRecord | undefined>;
  /**
   * In one transaction: moves the organization's counter from `expectedCounter` to the work
   * order's number (and records the month's usage), writes the work order and its event.
   * COUNTER_MOVED when someone else took the number first (nothing was written).
   */
  insertNumbered(input: {
    workOrder: WorkOrderRecord;
    event: WorkOrderEventRecord;
    expectedCounter: number;
    usage: { month: string; count: number };
  }): Promise<'CREATED' | 'COUNTER_MOVED'>;
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
  findUser(username: string): Promise<{ email?: string; name?: string } | undefined>;
  /** Creates the group unless it exists. */
  ensureGroup(name: string, description: string): Promise<void>;
  /** Adds the user to the group; adding twice is harmless. */
  addUserToGroup(username: string, group: string): Promise<void>;
};

/** Notification deliveries: the exactly-once claim records. */
export type NotificationStore = {
  /**
   * Creates the delivery or takes over an unsent one (attempts + 1, status PENDING, leased until
   * `leaseUntil`). SENT when it was already delivered; BUSY when another attempt holds the lease.
   */
  claim(record: NotificationRecord, leaseUntil: string): Promise<'CLAIMED' | 'SENT' | 'BUSY'>;
  markSent(id: string, messageId: string, at: string): Promise<void>;
  markFailed(id: string, error: string, at: string): Promise<void>;
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
