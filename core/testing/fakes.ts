import type {
  Caller,
  Clock,
  DirectoryUser,
  IdGenerator,
  InboxStore,
  InventoryStore,
  LivePublisher,
  Mailer,
  MembershipStore,
  NotificationStore,
  OrganizationStore,
  OutgoingEmail,
  ProfileStore,
  SecretGenerator,
  UserDirectory,
  WorkOrderStore,
} from '../ports';
import type { LiveNotification } from '../notifications/live';
import {
  membershipId,
  type InventoryAdjustmentRecord,
  type InventoryItemRecord,
  type MemberRecord,
  type NotificationRecord,
  type OrganizationRecord,
  type ProfileRecord,
  type WorkOrderEventRecord,
  type WorkOrderRecord,
} from '../records';
import { inventoryItemRecord, memberRecord, organizationRecord } from './records';

/** In-memory fakes of the ports, with the same conditional semantics the DynamoDB stores have. */

/** A clock that stands still until moved. */
export class FakeClock implements Clock {
  constructor(private current = new Date('2026-03-01T12:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(minutes: number): void {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
  }
}

/** Predictable ids: `id-1`, `id-2`, … */
export class SequentialIds implements IdGenerator {
  private next = 1;
  uuid(): string {
    return `id-${this.next++}`;
  }
}

/** Predictable secrets: `token-1`, `token-2`, … */
export class SequentialSecrets implements SecretGenerator {
  private next = 1;
  token(): string {
    return `token-${this.next++}`;
  }
}

/** A signed-in caller whose username equals the sub, as with email sign-in. */
export const callerFor = (userId: string, email?: string): Caller => ({
  userId,
  username: userId,
  ...(email ? { email } : {}),
  groups: [],
});

/** All tables at once, so a test can look at what one operation wrote. */
export class InMemoryTables {
  readonly profileRows = new Map<string, ProfileRecord>();
  readonly organizationRows = new Map<string, OrganizationRecord>();
  readonly slugRows = new Map<string, string>();
  readonly memberRows = new Map<string, MemberRecord>();
  readonly workOrderRows = new Map<string, WorkOrderRecord>();
  readonly eventRows: WorkOrderEventRecord[] = [];
  readonly inventoryRows = new Map<string, InventoryItemRecord>();
  readonly adjustmentRows: InventoryAdjustmentRecord[] = [];
  /** Notification records, as the notifier writes them and their recipients read them. */
  readonly notifications = new InMemoryNotifications();
  readonly inbox: InboxStore = new InMemoryInbox(this.notifications);
  /** Called before each conditional write, to simulate a concurrent writer. */
  beforeWrite: (() => void) | undefined;

  readonly profiles: ProfileStore = {
    get: async (id) => copy(this.profileRows.get(id)),
    createOnce: async (profile) => {
      if (this.profileRows.has(profile.id)) return 'EXISTS';
      this.profileRows.set(profile.id, structuredClone(profile));
      return 'CREATED';
    },
    setPreferences: async (id, preferences) => {
      const profile = this.profileRows.get(id);
      if (!profile) throw new Error(`no profile ${id}`);
      this.profileRows.set(id, { ...profile, preferences: { ...preferences } });
    },
    setDisplayName: async (id, displayName) => {
      const profile = this.profileRows.get(id);
      if (!profile) throw new Error(`no profile ${id}`);
      this.profileRows.set(id, { ...profile, displayName });
    },
  };

  readonly organizations: OrganizationStore = {
    get: async (id) => copy(this.organizationRows.get(id)),
    getMany: async (ids) =>
      ids.flatMap((id) => {
        const organization = this.organizationRows.get(id);
        return organization ? [structuredClone(organization)] : [];
      }),
    isSlugTaken: async (slug) => this.slugRows.has(slug),
    create: async ({ organization, owner }) => {
      this.beforeWrite?.();
      if (this.slugRows.has(organization.slug)) return 'SLUG_TAKEN';
      this.slugRows.set(organization.slug, organization.id);
      this.organizationRows.set(organization.id, structuredClone(organization));
      this.memberRows.set(owner.id, structuredClone(owner));
      return 'CREATED';
    },
    remove: async ({ organization, owner }) => {
      this.slugRows.delete(organization.slug);
      this.organizationRows.delete(organization.id);
      this.memberRows.delete(owner.id);
    },
  };

  readonly memberships: MembershipStore = {
    find: async (organizationId, userId) =>
      copy(
        this.memberRows.get(membershipId(organizationId, userId)) ??
          [...this.memberRows.values()].find(
            (m) => m.organizationId === organizationId && m.userId === userId,
          ),
      ),
    listByUser: async (userId) =>
      [...this.memberRows.values()]
        .filter((m) => m.userId === userId)
        .map((m) => structuredClone(m)),
    get: async (id) => copy(this.memberRows.get(id)),
    listByEmail: async (email) =>
      [...this.memberRows.values()].filter((m) => m.email === email).map((m) => structuredClone(m)),
    listByOrganization: async (organizationId) =>
      [...this.memberRows.values()]
        .filter((m) => m.organizationId === organizationId)
        .map((m) => structuredClone(m)),
    commit: async (change) => {
      this.beforeWrite?.();
      const organization = this.organizationRows.get(change.organizationId);
      if (!organization) return 'STALE';
      // The same conditions as the DynamoDB transaction, all checked before anything is written.
      if (change.ownerDelta < 0 && (organization.ownerCount ?? 1) + change.ownerDelta < 1) {
        return 'LAST_OWNER';
      }
      if (
        change.memberDelta > 0 &&
        change.memberLimit !== undefined &&
        organization.memberCount + change.memberDelta > change.memberLimit
      ) {
        return 'MEMBER_LIMIT';
      }
      for (const { before, after } of change.members) {
        const id = before?.id ?? after?.id ?? '';
        const stored = this.memberRows.get(id);
        if (!before) {
          if (stored) return 'STALE';
        } else if (
          !stored ||
          stored.version !== before.version ||
          stored.organizationId !== change.organizationId
        ) {
          return 'STALE';
        }
      }
      for (const { before, after } of change.members) {
        if (after) this.memberRows.set(after.id, structuredClone(after));
        else if (before) this.memberRows.delete(before.id);
      }
      this.organizationRows.set(organization.id, {
        ...organization,
        memberCount: organization.memberCount + change.memberDelta,
        ownerCount: (organization.ownerCount ?? 1) + change.ownerDelta,
        ...(change.ownerId ? { ownerId: change.ownerId } : {}),
        updatedAt: change.at,
      });
      return 'DONE';
    },
    setDisplayName: async (memberId, userId, displayName, at) => {
      const stored = this.memberRows.get(memberId);
      if (stored?.userId !== userId) return;
      this.memberRows.set(memberId, {
        ...stored,
        displayName,
        version: (stored.version ?? 0) + 1,
        updatedAt: at,
      });
    },
  };

  readonly workOrders: WorkOrderStore = {
    get: async (id) => copy(this.workOrderRows.get(id)),
    takeNumber: async ({ organizationId, month, monthlyLimits, at }) => {
      this.beforeWrite?.();
      const organization = this.organizationRows.get(organizationId);
      if (!organization) return { outcome: 'NOT_FOUND' };
      if (organization.status !== 'ACTIVE') {
        return { outcome: 'NOT_ACTIVE', name: organization.name, status: organization.status };
      }
      const inMonth =
        organization.workOrdersMonth === month ? (organization.workOrdersInMonth ?? 0) : 0;
      if (inMonth >= monthlyLimits[organization.plan]) {
        return { outcome: 'AT_LIMIT', plan: organization.plan, countInMonth: inMonth };
      }
      const number = organization.workOrderCounter + 1;
      this.organizationRows.set(organizationId, {
        ...organization,
        workOrderCounter: number,
        workOrdersMonth: month,
        workOrdersInMonth: inMonth + 1,
        updatedAt: at,
      });
      return { outcome: 'TAKEN', number, countInMonth: inMonth + 1 };
    },
    insert: async ({ workOrder, event }) => {
      this.beforeWrite?.();
      if (this.workOrderRows.has(workOrder.id)) throw new Error('duplicate work order id');
      if (this.eventRows.some((row) => row.id === event.id)) throw new Error('duplicate event id');
      this.workOrderRows.set(workOrder.id, structuredClone(workOrder));
      this.eventRows.push(structuredClone(event));
    },
    replace: async ({ next, expectedVersion, event }) => {
      this.beforeWrite?.();
      const current = this.workOrderRows.get(next.id);
      if (!current || current.version !== expectedVersion) return 'STALE';
      this.workOrderRows.set(next.id, structuredClone(next));
      this.eventRows.push(structuredClone(event));
      return 'UPDATED';
    },
    appendEvent: async (event) => {
      this.beforeWrite?.();
      if (this.eventRows.some((row) => row.id === event.id)) throw new Error('duplicate event id');
      this.eventRows.push(structuredClone(event));
    },
  };

  readonly inventory: InventoryStore = {
    get: async (id) => copy(this.inventoryRows.get(id)),
    create: async (item) => {
      this.beforeWrite?.();
      const sku = item.sku.toLowerCase();
      const taken = [...this.inventoryRows.values()].some(
        (row) => row.organizationId === item.organizationId && row.sku.toLowerCase() === sku,
      );
      if (taken) return 'SKU_TAKEN';
      if (this.inventoryRows.has(item.id)) throw new Error('duplicate inventory item id');
      this.inventoryRows.set(item.id, structuredClone(item));
      return 'CREATED';
    },
    replace: async ({ next, expectedVersion, adjustment }) => {
      this.beforeWrite?.();
      const current = this.inventoryRows.get(next.id);
      if (
        !current ||
        current.version !== expectedVersion ||
        current.organizationId !== next.organizationId
      ) {
        return 'STALE';
      }
      this.inventoryRows.set(next.id, structuredClone(next));
      if (adjustment) this.adjustmentRows.push(structuredClone(adjustment));
      return 'UPDATED';
    },
  };

  /** Adds an inventory item directly, as a test fixture. */
  addInventoryItem(
    id: string,
    organizationId: string,
    patch: Partial<InventoryItemRecord> = {},
  ): InventoryItemRecord {
    const item = inventoryItemRecord(id, organizationId, patch);
    this.inventoryRows.set(id, item);
    return item;
  }

  /** Adds a membership directly, as a test fixture. */
  addMember(
    organizationId: string,
    userId: string,
    role: MemberRecord['role'],
    status: MemberRecord['status'] = 'ACTIVE',
  ): MemberRecord {
    const member = memberRecord(organizationId, userId, role, status);
    this.memberRows.set(member.id, member);
    return member;
  }

  /** Adds an organization directly, as a test fixture. */
  addOrganization(id: string, patch: Partial<OrganizationRecord> = {}): OrganizationRecord {
    const organization = organizationRecord(id, patch);
    this.organizationRows.set(id, organization);
    this.slugRows.set(organization.slug, id);
    return organization;
  }
}

const copy = <T>(value: T | undefined): T | undefined =>
  value === undefined ? undefined : structuredClone(value);

/**
 * A user directory that records groups and memberships. `failAdd` / `failRemove` simulate an
 * outage of every call; `failNextCalls` fails only the next n group calls (a blip).
 */
export class FakeDirectory implements UserDirectory {
  readonly users = new Map<string, DirectoryUser>();
  readonly groups = new Set<string>();
  readonly userGroups = new Map<string, Set<string>>();
  failAdd: Error | undefined;
  failRemove: Error | undefined;
  failNextCalls = 0;

  private blip(): void {
    if (this.failNextCalls > 0) {
      this.failNextCalls -= 1;
      throw new Error('directory unavailable');
    }
  }

  /** The groups a user is in, sorted. */
  groupsOf(username: string): string[] {
    return [...(this.userGroups.get(username) ?? [])].sort();
  }
  async removeUserFromGroup(username: string, group: string): Promise<void> {
    if (this.failRemove) throw this.failRemove;
    this.blip();
    this.userGroups.get(username)?.delete(group);
  }

  async findUser(username: string) {
    return this.users.get(username);
  }
  async ensureGroup(name: string): Promise<void> {
    this.groups.add(name);
  }
  async addUserToGroup(username: string, group: string): Promise<void> {
    if (this.failAdd) throw this.failAdd;
    this.blip();
    if (!this.groups.has(group)) throw new Error(`no group ${group}`);
    const set = this.userGroups.get(username) ?? new Set<string>();
    set.add(group);
    this.userGroups.set(username, set);
  }
}

/** Notification records with the claim semantics of the DynamoDB store. */
export class InMemoryNotifications implements NotificationStore {
  readonly records = new Map<
    string,
    NotificationRecord & { leaseUntil?: string; lastError?: string }
  >();

  async claim(
    record: NotificationRecord,
    leaseUntil: string,
  ): Promise<'CLAIMED' | 'SENT' | 'BUSY'> {
    const existing = this.records.get(record.id);
    if (existing?.status === 'SENT') return 'SENT';
    if (existing?.leaseUntil && existing.leaseUntil > record.updatedAt) return 'BUSY';
    this.records.set(record.id, {
      ...record,
      ...(existing ? { createdAt: existing.createdAt } : {}),
      status: 'PENDING',
      attempts: (existing?.attempts ?? 0) + 1,
      leaseUntil,
    });
    return 'CLAIMED';
  }
  async markSent(id: string, messageId: string, at: string): Promise<void> {
    const existing = this.records.get(id);
    if (!existing) throw new Error(`no notification ${id}`);
    const { leaseUntil: _lease, ...rest } = existing;
    this.records.set(id, { ...rest, status: 'SENT', messageId, updatedAt: at });
  }
  async markFailed(id: string, error: string, at: string): Promise<void> {
    const existing = this.records.get(id);
    if (!existing) throw new Error(`no notification ${id}`);
    const { leaseUntil: _lease, ...rest } = existing;
    this.records.set(id, { ...rest, status: 'FAILED', lastError: error, updatedAt: at });
  }
  async recordUnsent(record: NotificationRecord): Promise<'CREATED' | 'EXISTS'> {
    if (this.records.has(record.id)) return 'EXISTS';
    this.records.set(record.id, structuredClone(record));
    return 'CREATED';
  }
}

/** The in-app view of the same records, for `markNotificationsRead`. */
export class InMemoryInbox implements InboxStore {
  constructor(private readonly notifications: InMemoryNotifications) {}
  async get(id: string): Promise<NotificationRecord | undefined> {
    return copy(this.notifications.records.get(id));
  }
  async listUnread(recipientId: string): Promise<NotificationRecord[]> {
    return [...this.notifications.records.values()]
      .filter((r) => r.recipientId === recipientId && r.readAt === undefined)
      .map((r) => structuredClone(r));
  }
  async markRead(id: string, recipientId: string, at: string): Promise<boolean> {
    const existing = this.notifications.records.get(id);
    if (!existing || existing.recipientId !== recipientId || existing.readAt) return false;
    this.notifications.records.set(id, { ...existing, readAt: at });
    return true;
  }
}

/** Records what was pushed live; `failNext` makes the next pushes fail. */
export class FakeLivePublisher implements LivePublisher {
  readonly published: LiveNotification[] = [];
  failNext = 0;
  async publish(notification: LiveNotification): Promise<void> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('real-time service unavailable');
    }
    this.published.push(notification);
  }
}

/** A mailer that keeps what it sends; `failNext` makes the next sends throw. */
export class FakeMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  failNext = 0;
  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('mail service unavailable');
    }
    this.sent.push(email);
    return { messageId: `msg-${this.sent.length}` };
  }
}
