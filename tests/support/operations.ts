import type { Role } from '../../core/organizations/roles';
import type { WorkOrderStatus } from '../../core/work-orders/vocabulary';

/**
 * The GraphQL operations the integration suites send, each typed with its answer and its
 * variables, so a suite names an operation instead of re-typing its text.
 */
export type Document<TData, TVariables = Record<string, never>> = string & {
  readonly __data?: TData;
  readonly __variables?: TVariables;
};

/** The answer type of a document. */
export type DataOf<D> = D extends Document<infer T, unknown> ? T : never;

const document = <TData, TVariables = Record<string, never>>(text: string) =>
  text as Document<TData, TVariables>;

/** A work order as the suites read it. */
export type WorkOrder = {
  id: string;
  organizationId: string;
  number: number;
  title: string;
  status: WorkOrderStatus;
  requesterId: string;
  assigneeId: string | null;
  version: number;
  assignedAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  completedBy: string | null;
  closedAt: string | null;
  laborMinutes: number | null;
  completionNotes: string | null;
  openDueAt: string | null;
  titleLower: string | null;
};
export const WORK_ORDER_FIELDS =
  'id organizationId number title status requesterId assigneeId version assignedAt startedAt completedAt completedBy closedAt laborMinutes completionNotes openDueAt titleLower';

/** What a work-order subscription carries. */
export type WorkOrderChange = Pick<
  WorkOrder,
  'id' | 'organizationId' | 'number' | 'title' | 'status' | 'requesterId' | 'assigneeId' | 'version'
>;
const CHANGE_FIELDS = 'id organizationId number title status requesterId assigneeId version';

/** One entry of a work order's timeline. */
export type WorkOrderEvent = {
  id: string;
  workOrderId?: string;
  kind: string;
  fromStatus: string | null;
  toStatus: string | null;
  actorId: string;
  note: string | null;
  at: string;
};

export const CREATE_ORGANIZATION = document<
  { createOrganization: { id: string; slug: string } },
  { name: string }
>('mutation CreateOrganization($name: String!) { createOrganization(name: $name) { id slug } }');

export const SUBMIT = document<
  { submitWorkOrder: WorkOrder },
  { organizationId: string; title: string; draft?: boolean; dueAt?: string; description?: string }
>(`mutation Submit($organizationId: ID!, $title: String!, $draft: Boolean, $dueAt: AWSDateTime, $description: String) {
  submitWorkOrder(organizationId: $organizationId, title: $title, draft: $draft, dueAt: $dueAt, description: $description) { ${WORK_ORDER_FIELDS} } }`);

/** A submission with a priority (the new-request notification depends on it). */
export const SUBMIT_WITH_PRIORITY = document<
  { submitWorkOrder: WorkOrder },
  { organizationId: string; title: string; priority: string; draft?: boolean }
>(`mutation SubmitWithPriority($organizationId: ID!, $title: String!, $priority: Priority, $draft: Boolean) {
  submitWorkOrder(organizationId: $organizationId, title: $title, priority: $priority, draft: $draft) { ${WORK_ORDER_FIELDS} } }`);

export const ASSIGN = document<
  { assignWorkOrder: WorkOrder },
  { id: string; assigneeId?: string | null; v?: number }
>(`mutation Assign($id: ID!, $assigneeId: String, $v: Int) {
  assignWorkOrder(id: $id, assigneeId: $assigneeId, expectedVersion: $v) { ${WORK_ORDER_FIELDS} } }`);

export const TRANSITION = document<
  { transitionWorkOrder: WorkOrder },
  {
    id: string;
    to: string;
    v: number;
    note?: string;
    laborMinutes?: number;
    completionNotes?: string;
  }
>(`mutation Move($id: ID!, $to: WorkOrderStatus!, $v: Int!, $note: String, $laborMinutes: Int, $completionNotes: String) {
  transitionWorkOrder(id: $id, to: $to, expectedVersion: $v, note: $note, laborMinutes: $laborMinutes, completionNotes: $completionNotes) { ${WORK_ORDER_FIELDS} } }`);

export const GET_WORK_ORDER = document<{ getWorkOrder: WorkOrder | null }, { id: string }>(
  `query GetWorkOrder($id: ID!) { getWorkOrder(id: $id) { ${WORK_ORDER_FIELDS} } }`,
);

/** A work order's title and description, as typed. */
export const GET_DESCRIPTION = document<
  { getWorkOrder: { title: string; description: string } | null },
  { id: string }
>('query GetDescription($id: ID!) { getWorkOrder(id: $id) { title description } }');

export const COMMENT = document<
  { addWorkOrderComment: WorkOrderEvent },
  { workOrderId: string; body: string }
>(`mutation Comment($workOrderId: ID!, $body: String!) {
  addWorkOrderComment(workOrderId: $workOrderId, body: $body) { id workOrderId kind note actorId at } }`);

export const EVENTS = document<
  { eventsByWorkOrder: { items: WorkOrderEvent[] } },
  { workOrderId: string }
>(`query Events($workOrderId: ID!) {
  eventsByWorkOrder(workOrderId: $workOrderId, sortDirection: ASC, limit: 200) { items { id kind fromStatus toStatus actorId note at } } }`);

export const WORK_ORDERS = document<
  { workOrdersByOrganization: { items: { id: string; requesterId: string }[] } },
  { o: string }
>(
  'query WorkOrders($o: ID!) { workOrdersByOrganization(organizationId: $o, limit: 1000) { items { id requesterId } } }',
);

/** Work orders with their requester: one resolver more per work order. */
export const WORK_ORDERS_WITH_REQUESTER = document<
  { workOrdersByOrganization: { items: { id: string; requester: string }[] } },
  { o: string; l?: number }
>(
  'query WorkOrdersWithRequester($o: ID!, $l: Int) { workOrdersByOrganization(organizationId: $o, limit: $l) { items { id requester } } }',
);

export const OPEN_BY_DUE_DATE = document<
  { openWorkOrdersByDueDate: { items: { id: string }[] } },
  { o: string }
>(
  'query Due($o: ID!) { openWorkOrdersByDueDate(organizationId: $o, limit: 1000) { items { id } } }',
);

export const ON_WORK_ORDER_CHANGED = document<
  { onWorkOrderChanged: WorkOrderChange },
  { organizationId: string }
>(`subscription OnWorkOrderChanged($organizationId: ID!) {
  onWorkOrderChanged(organizationId: $organizationId) { ${CHANGE_FIELDS} } }`);

/** An inventory item as the suites read it. */
export type InventoryItem = {
  id: string;
  organizationId: string;
  sku: string;
  name: string;
  unit: string;
  quantity: number;
  minQuantity: number;
  unitCost: number | null;
  lastCountedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
};
const ITEM_FIELDS =
  'id organizationId sku name unit quantity minQuantity unitCost lastCountedAt version createdAt updatedAt';

/** One ledger entry of an item. */
export type Adjustment = {
  id: string;
  itemId: string;
  sku: string;
  reason: string;
  delta: number;
  quantityBefore: number;
  quantityAfter: number;
  unitCost: number | null;
  workOrderId: string | null;
  actorId: string;
};

export const CREATE_ITEM = document<
  { createInventoryItem: InventoryItem },
  {
    organizationId: string;
    sku: string;
    name: string;
    quantity: number;
    minQuantity: number;
    unitCost?: number;
  }
>(`mutation CreateItem($organizationId: ID!, $sku: String!, $name: String!, $quantity: Int!, $minQuantity: Int!, $unitCost: Float) {
  createInventoryItem(organizationId: $organizationId, sku: $sku, name: $name, unit: "each", quantity: $quantity, minQuantity: $minQuantity, unitCost: $unitCost) { ${ITEM_FIELDS} } }`);

export const UPDATE_ITEM = document<
  { updateInventoryItem: InventoryItem },
  { id: string; v: number; minQuantity?: number; name?: string }
>(`mutation UpdateItem($id: ID!, $v: Int!, $minQuantity: Int, $name: String) {
  updateInventoryItem(id: $id, expectedVersion: $v, minQuantity: $minQuantity, name: $name) { ${ITEM_FIELDS} } }`);

export const ADJUST = document<
  { adjustInventory: InventoryItem },
  { itemId: string; delta: number; reason: string; workOrderId?: string; note?: string }
>(`mutation Adjust($itemId: ID!, $delta: Int!, $reason: AdjustmentReason!, $workOrderId: ID, $note: String) {
  adjustInventory(itemId: $itemId, delta: $delta, reason: $reason, workOrderId: $workOrderId, note: $note) { ${ITEM_FIELDS} } }`);

export const GET_ITEM = document<{ getInventoryItem: InventoryItem | null }, { id: string }>(
  `query GetItem($id: ID!) { getInventoryItem(id: $id) { ${ITEM_FIELDS} } }`,
);

export const LEDGER = document<
  { adjustmentsByItem: { items: Adjustment[] } | null },
  { itemId: string }
>(
  `query Ledger($itemId: ID!) {
  adjustmentsByItem(itemId: $itemId, limit: 500) { items { id reason delta quantityBefore quantityAfter unitCost workOrderId actorId } } }`,
);

export const PARTS = document<
  {
    adjustmentsByWorkOrder: {
      items: Pick<Adjustment, 'itemId' | 'sku' | 'reason' | 'delta' | 'unitCost' | 'workOrderId'>[];
    };
  },
  { workOrderId: string }
>(`query Parts($workOrderId: ID!) {
  adjustmentsByWorkOrder(workOrderId: $workOrderId) { items { itemId sku reason delta unitCost workOrderId } } }`);

export const ON_INVENTORY_CHANGED = document<
  { onInventoryChanged: Pick<InventoryItem, 'id' | 'organizationId' | 'quantity' | 'version'> },
  { o: string }
>(
  'subscription OnInventoryChanged($o: ID!) { onInventoryChanged(organizationId: $o) { id organizationId quantity version } }',
);

/** A membership as invitations return it. */
export type Membership = {
  id: string;
  organizationId: string;
  userId: string | null;
  email: string;
  role: Role;
  status: string;
  inviteExpiresAt: string | null;
};
const MEMBER_FIELDS = 'id organizationId userId email role status inviteExpiresAt';

export const INVITE = document<
  { inviteMember: Membership },
  { organizationId: string; email: string; role: string }
>(`mutation Invite($organizationId: ID!, $email: String!, $role: Role!) {
  inviteMember(organizationId: $organizationId, email: $email, role: $role) { ${MEMBER_FIELDS} } }`);

export const ACCEPT = document<
  { acceptInvitation: Membership },
  { memberId: string; token: string }
>(`mutation Accept($memberId: ID!, $token: String!) {
  acceptInvitation(memberId: $memberId, token: $token) { ${MEMBER_FIELDS} } }`);

/** An in-app notification. */
export type InAppNotification = {
  id: string;
  kind: string;
  status: string;
  subject: string;
  link: string | null;
  readAt: string | null;
  recipientId: string;
};

export const INBOX = document<
  { notificationsByRecipient: { items: InAppNotification[] } },
  { recipientId: string }
>(`query Inbox($recipientId: String!) {
  notificationsByRecipient(recipientId: $recipientId, sortDirection: DESC, limit: 200) { items { id kind status subject link readAt recipientId } } }`);

export const MARK_READ = document<
  { markNotificationsRead: number },
  { ids?: (string | undefined)[]; all?: boolean }
>('mutation Mark($ids: [ID], $all: Boolean) { markNotificationsRead(ids: $ids, all: $all) }');

export const PREFERENCES = document<
  { updateNotificationPreferences: Record<string, boolean> },
  { lowStock?: boolean }
>(
  'mutation Prefs($lowStock: Boolean) { updateNotificationPreferences(lowStock: $lowStock) { assignment statusChanges lowStock } }',
);

/** Every email switch, any of them set. */
export const SET_PREFERENCES = document<
  { updateNotificationPreferences: Record<string, boolean> },
  {
    assignment?: boolean;
    statusChanges?: boolean;
    lowStock?: boolean;
    urgentRequests?: boolean;
    newRequests?: boolean;
  }
>(
  `mutation SetPrefs($assignment: Boolean, $statusChanges: Boolean, $lowStock: Boolean, $urgentRequests: Boolean, $newRequests: Boolean) {
  updateNotificationPreferences(assignment: $assignment, statusChanges: $statusChanges, lowStock: $lowStock, urgentRequests: $urgentRequests, newRequests: $newRequests) { assignment statusChanges lowStock urgentRequests newRequests } }`,
);

export const ON_NOTIFICATION = document<{
  onNotification: {
    id: string;
    organizationId: string;
    recipientId: string;
    kind: string;
    subject: string;
    link: string | null;
    createdAt: string;
  };
}>('subscription { onNotification { id organizationId recipientId kind subject link createdAt } }');

/** The caller's own profile and memberships. */
export type Me = {
  profile: { id: string; email: string; displayName?: string; createdAt: string };
  memberships: { organizationId: string; role: Role }[];
};
export const ME = document<{ me: Me }>(
  '{ me { profile { id email displayName createdAt } memberships { organizationId role } } }',
);

/** Sets the caller's name. */
export const UPDATE_PROFILE = document<
  { updateProfile: { id: string; displayName: string | null } },
  { displayName: string }
>(
  'mutation UpdateProfile($displayName: String!) { updateProfile(displayName: $displayName) { id displayName } }',
);

/** The caller's own id: the cheapest request a signed-in person can make of the API. */
export const WHO_AM_I = document<{ me: { profile: { id: string } } }>('{ me { profile { id } } }');

/** A request that reaches no resolver at all. */
export const PING = document<{ __typename: string }>('{ __typename }');

export const GET_ORGANIZATION = document<
  { getOrganization: { id: string; name: string } | null },
  { o: string }
>('query GetOrganization($o: ID!) { getOrganization(id: $o) { id name } }');
