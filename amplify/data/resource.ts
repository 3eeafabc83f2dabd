import { type ClientSchema, a, defineData } from '@aws-amplify/backend';
import {
  MEMBERSHIP_STATUSES,
  ORGANIZATION_STATUSES,
  PLANS,
  ROLES,
} from '../../core/organizations/roles';
import {
  CATEGORIES,
  PRIORITIES,
  WORK_ORDER_STATUSES,
  WORK_ORDER_TYPES,
} from '../../core/work-orders/vocabulary';
import { api } from '../functions/api/resource';
import { notifier } from '../functions/notifier/resource';

/**
 * Operations the generated API does not offer: tenant data is written only by Lambda mutations
 * (so no generated mutation or subscription exists), and every list is an index query (a model
 * `list` is a Scan of every organization's items, filtered afterwards).
 */
const SERVER_ONLY = ['mutations', 'subscriptions', 'list'] as const;

/**
 * A Cognito group no person is ever in: memberships are mirrored only into `org-…` groups
 * (core/organizations/roles.ts). Fields only the deployment's services call name it.
 */
const NO_PERSON_GROUP = 'steward-services-only';

/**
 * The tenant design (docs/ARCHITECTURE.md, "Tenancy"): model rules grant READ only, scoped by
 * Cognito groups that mirror memberships; every write goes through a Lambda-backed mutation that
 * checks the membership table and sets the server-controlled fields itself.
 */
const schema = a
  .schema({
    Role: a.enum(ROLES),
    MembershipStatus: a.enum(MEMBERSHIP_STATUSES),
    Plan: a.enum(PLANS),
    OrganizationStatus: a.enum(ORGANIZATION_STATUSES),
    WorkOrderStatus: a.enum(WORK_ORDER_STATUSES),
    Priority: a.enum(PRIORITIES),
    Category: a.enum(CATEGORIES),
    WorkOrderType: a.enum(WORK_ORDER_TYPES),
    AdjustmentReason: a.enum(['RECEIVE', 'CONSUME', 'ADJUST', 'COUNT']),

    Organization: a
      .model({
        id: a.id().required(),
        name: a.string().required(),
        slug: a.string().required(),
        plan: a.ref('Plan').required(),
        status: a.ref('OrganizationStatus').required(),
        ownerId: a.string().required(),
        /** The last work-order number handed out (WO-n); only ever incremented. */
        workOrderCounter: a.integer().required(),
        /** ACTIVE and INVITED members, counted against the plan's member limit. */
        memberCount: a.integer().required(),
        /** Work orders submitted in `workOrdersMonth` (YYYY-MM), against the plan's monthly limit. */
        workOrdersMonth: a.string(),
        workOrdersInMonth: a.integer(),
        storageBytes: a.float(),
        settings: a.json(),
      })
      .secondaryIndexes((index) => [index('slug').queryField('organizationsBySlug')])
      .disableOperations(SERVER_ONLY)
      .authorization((allow) => [allow.groupDefinedIn('id').to(['read'])]),

    OrganizationMember: a
      .model({
        organizationId: a.id().required(),
        /** Cognito sub of the member; empty while an invitation is not yet accepted. */
        userId: a.string(),
        email: a.email().required(),
        displayName: a.string(),
        role: a.ref('Role').required(),
        status: a.ref('MembershipStatus').required(),
        invitedBy: a.string(),
        invitedAt: a.datetime(),
        inviteExpiresAt: a.datetime(),
        joinedAt: a.datetime(),
        suspendedAt: a.datetime(),
        version: a.integer(),
        /**
         * The organization's staff role groups, set by the server on every write: addresses are
         * for staff, so a MEMBER reads no membership row (their own comes with `me`).
         */
        readGroups: a.string().array(),
      })
      .secondaryIndexes((index) => [
        index('organizationId').sortKeys(['email']).queryField('membersByOrganization'),
        index('userId').queryField('membershipsByUser'),
        index('email').queryField('membershipsByEmail'),
      ])
      .disableOperations(SERVER_ONLY)
      .authorization((allow) => [allow.groupsDefinedIn('readGroups').to(['read'])]),

    WorkOrder: a
      .model({
        organizationId: a.id().required(),
        number: a.integer().required(),
        title: a.string().required(),
        description: a.string(),
        status: a.ref('WorkOrderStatus').required(),
        priority: a.ref('Priority').required(),
        category: a.ref('Category').required(),
        type: a.ref('WorkOrderType').required(),
        locationText: a.string(),
        dueAt: a.datetime(),
        /** Owner field (`sub::username`): a MEMBER reads only the work orders they requested. */
        requester: a.string().required(),
        requesterId: a.string().required(),
        requesterName: a.string(),
        assigneeId: a.string(),
        assigneeName: a.string(),
        /** The organization's staff role groups, set by the server. */
        readGroups: a.string().array().required(),
        version: a.integer().required(),
        assignedAt: a.datetime(),
        startedAt: a.datetime(),
        completedAt: a.datetime(),
        completedBy: a.string(),
        closedAt: a.datetime(),
        laborMinutes: a.integer(),
        completionNotes: a.string(),
        /** dueAt while the work order is open, absent once done: a sparse index of what can be overdue. */
        openDueAt: a.datetime(),
        /** Lower-cased title, for a search within one organization. */
        titleLower: a.string(),
        createdAt: a.datetime().required(),
        updatedAt: a.datetime().required(),
      })
      .secondaryIndexes((index) => [
        index('organizationId').sortKeys(['createdAt']).queryField('workOrdersByOrganization'),
        index('organizationId')
          .sortKeys(['status', 'createdAt'])
          .queryField('workOrdersByOrganizationAndStatus'),
        index('assigneeId').sortKeys(['createdAt']).queryField('workOrdersByAssignee'),
        index('requesterId').sortKeys(['createdAt']).queryField('workOrdersByRequester'),
        index('organizationId').sortKeys(['openDueAt']).queryField('openWorkOrdersByDueDate'),
      ])
      .disableOperations(SERVER_ONLY)
      .authorization((allow) => [
        allow.groupsDefinedIn('readGroups').to(['read']),
        allow.ownerDefinedIn('requester').to(['read']),
      ]),

    WorkOrderEvent: a
      .model({
        organizationId: a.id().required(),
        workOrderId: a.id().required(),
        at: a.datetime().required(),
        actorId: a.string().required(),
        actorName: a.string(),
        kind: a.string().required(),
        fromStatus: a.ref('WorkOrderStatus'),
        toStatus: a.ref('WorkOrderStatus'),
        note: a.string(),
        requester: a.string().required(),
        readGroups: a.string().array().required(),
      })
      .secondaryIndexes((index) => [
        index('workOrderId').sortKeys(['at']).queryField('eventsByWorkOrder'),
      ])
      .disableOperations(SERVER_ONLY)
      .authorization((allow) => [
        allow.groupsDefinedIn('readGroups').to(['read']),
        allow.ownerDefinedIn('requester').to(['read']),
      ]),

    InventoryItem: a
      .model({
        organizationId: a.id().required(),
        sku: a.string().required(),
        name: a.string().required(),
        unit: a.string().required(),
        quantity: a.integer().required(),
        minQuantity: a.integer().required(),
        reorderQuantity: a.integer(),
        unitCost: a.float(),
        storageLocation: a.string(),
        lastCountedAt: a.datetime(),
        version: a.integer().required(),
      })
      .secondaryIndexes((index) => [
        index('organizationId').sortKeys(['sku']).queryField('inventoryByOrganization'),
      ])
      .disableOperations(SERVER_ONLY)
      .authorization((allow) => [allow.groupDefinedIn('organizationId').to(['read'])]),

    /** The stock ledger: one entry per adjustment, written in the same transaction as the item. */
    InventoryAdjustment: a
      .model({
        organizationId: a.id().required(),
        itemId: a.id().required(),
        sku: a.string().required(),
        reason: a.ref('AdjustmentReason').required(),
        delta: a.integer().required(),
        quantityBefore: a.integer().required(),
        quantityAfter: a.integer().required(),
        unitCost: a.float(),
        workOrderId: a.id(),
        note: a.string(),
        actorId: a.string().required(),
        actorName: a.string(),
        at: a.datetime().required(),
        /** The organization's staff role groups: MEMBERs do not read the ledger. */
        readGroups: a.string().array().required(),
      })
      .secondaryIndexes((index) => [
        index('itemId').sortKeys(['at']).queryField('adjustmentsByItem'),
        index('workOrderId').sortKeys(['at']).queryField('adjustmentsByWorkOrder'),
      ])
      .disableOperations(SERVER_ONLY)
      .authorization((allow) => [allow.groupsDefinedIn('readGroups').to(['read'])]),

    /** One delivery of one notification to one recipient: the exactly-once claim record. */
    Notification: a
      .model({
        id: a.id().required(),
        organizationId: a.id().required(),
        recipientId: a.string().required(),
        recipient: a.string().required(),
        email: a.string(),
        kind: a.string().required(),
        subject: a.string().required(),
        link: a.string(),
        status: a.string().required(),
        attempts: a.integer().required(),
        messageId: a.string(),
        readAt: a.datetime(),
        createdAt: a.datetime().required(),
      })
      .secondaryIndexes((index) => [
        index('recipientId').sortKeys(['createdAt']).queryField('notificationsByRecipient'),
      ])
      .disableOperations(SERVER_ONLY)
      .authorization((allow) => [allow.ownerDefinedIn('recipient').to(['read'])]),

    /** Which emails a person wants; in-app notifications are always kept. */
    NotificationPreferences: a.customType({
      assignment: a.boolean().required(),
      statusChanges: a.boolean().required(),
      lowStock: a.boolean().required(),
      /** New HIGH and URGENT requests, to those who triage; on by default. */
      urgentRequests: a.boolean().required(),
      /** New LOW and MEDIUM requests, to those who triage; off by default. */
      newRequests: a.boolean().required(),
    }),

    Profile: a.customType({
      id: a.id().required(),
      email: a.string().required(),
      displayName: a.string(),
      createdAt: a.datetime().required(),
      preferences: a.ref('NotificationPreferences'),
    }),

    /** One of the caller's memberships, with enough of its organization to show a switcher. */
    Membership: a.customType({
      memberId: a.id().required(),
      organizationId: a.id().required(),
      organizationName: a.string().required(),
      role: a.ref('Role').required(),
      status: a.ref('MembershipStatus').required(),
      inviteExpiresAt: a.datetime(),
    }),

    Me: a.customType({
      profile: a.ref('Profile').required(),
      memberships: a.ref('Membership').required().array().required(),
      /** Open invitations addressed to the caller's verified email. */
      invitations: a.ref('Membership').required().array(),
    }),

    me: a
      .query()
      .returns(a.ref('Me').required())
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(api)),

    createOrganization: a
      .mutation()
      .arguments({ name: a.string().required(), slug: a.string() })
      .returns(a.ref('Organization').required())
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(api)),

    submitWorkOrder: a
      .mutation()
      .arguments({
        organizationId: a.id().required(),
        title: a.string().required(),
        description: a.string(),
        category: a.ref('Category'),
        priority: a.ref('Priority'),
        type: a.ref('WorkOrderType'),
        locationText: a.string(),
        dueAt: a.datetime(),
        draft: a.boolean(),
      })
      .returns(a.ref('WorkOrder').required())
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(api)),

    assignWorkOrder: a
      .mutation()
      .arguments({
        id: a.id().required(),
        assigneeId: a.string(),
        expectedVersion: a.integer(),
      })
      .returns(a.ref('WorkOrder').required())
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(api)),

    inviteMember: a
      .mutation()
      .arguments({
        organizationId: a.id().required(),
        email: a.string().required(),
        role: a.ref('Role').required(),
      })
      .returns(a.ref('OrganizationMember').required())
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(api)),

    acceptInvitation: a
      .mutation()
      .arguments({ memberId: a.id().required(), token: a.string().required() })
      .returns(a.ref('OrganizationMember').required())
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(api)),

    updateMemberRole: a
      .mutation()
      .arguments({ memberId: a.id().required(), role: a.ref('Role').required() })
      .returns(a.ref('OrganizationMember').required())
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(api)),

    /** Suspends (suspended: true) or reactivates a member; a suspended member can write nothing. */
    setMemberSuspended: a
      .mutation()
      .arguments({ memberId: a.id().required(), suspended: a.boolean().required() })
      .returns(a.ref('OrganizationMember').required())
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(api)),

    removeMember: a
      .mutation()
      .arguments({ memberId: a.id().required() })
      .returns(a.ref('OrganizationMember').required())
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(api)),

    /** Makes another ACTIVE member the OWNER; the previous owner becomes an ADMIN. */
    transferOwnership: a
      .mutation()
      .arguments({ organizationId: a.id().required(), memberId: a.id().required() })
      .returns(a.ref('Organization').required())
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(api)),

    transitionWorkOrder: a
      .mutation()
      .arguments({
        id: a.id().required(),
        to: a.ref('WorkOrderStatus').required(),
        expectedVersion: a.integer().required(),
        note: a.string(),
        laborMinutes: a.integer(),
        completionNotes: a.string(),
      })
      .returns(a.ref('WorkOrder').required())
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(api)),

    addWorkOrderComment: a
      .mutation()
      .arguments({ workOrderId: a.id().required(), body: a.string().required() })
      .returns(a.ref('WorkOrderEvent').required())
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(api)),

    createInventoryItem: a
      .mutation()
      .arguments({
        organizationId: a.id().required(),
        sku: a.string(),
        name: a.string().required(),
        unit: a.string().required(),
        quantity: a.integer().required(),
        minQuantity: a.integer().required(),
        reorderQuantity: a.integer(),
        unitCost: a.float(),
        storageLocation: a.string(),
      })
      .returns(a.ref('InventoryItem').required())
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(api)),

    updateInventoryItem: a
      .mutation()
      .arguments({
        id: a.id().required(),
        expectedVersion: a.integer().required(),
        name: a.string(),
        unit: a.string(),
        minQuantity: a.integer(),
        reorderQuantity: a.integer(),
        unitCost: a.float(),
        storageLocation: a.string(),
      })
      .returns(a.ref('InventoryItem').required())
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(api)),

    /** RECEIVE/CONSUME/ADJUST move the quantity by delta; COUNT sets it to delta (absolute). */
    adjustInventory: a
      .mutation()
      .arguments({
        itemId: a.id().required(),
        delta: a.integer().required(),
        reason: a.ref('AdjustmentReason').required(),
        workOrderId: a.id(),
        note: a.string(),
      })
      .returns(a.ref('InventoryItem').required())
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(api)),

    /** Marks the caller's notifications read (the given ids, or all of them); returns how many. */
    markNotificationsRead: a
      .mutation()
      .arguments({ ids: a.id().array(), all: a.boolean() })
      .returns(a.integer().required())
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(api)),

    updateNotificationPreferences: a
      .mutation()
      .arguments({
        assignment: a.boolean(),
        statusChanges: a.boolean(),
        lowStock: a.boolean(),
        urgentRequests: a.boolean(),
        newRequests: a.boolean(),
      })
      .returns(a.ref('NotificationPreferences').required())
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(api)),

    /** Sets the caller's name, shown to their organizations and in emails. */
    updateProfile: a
      .mutation()
      .arguments({ displayName: a.string().required() })
      .returns(a.ref('Profile').required())
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(api)),

    /** An in-app notification as it is pushed live to its recipient. */
    LiveNotification: a.customType({
      id: a.id().required(),
      organizationId: a.id().required(),
      recipientId: a.string().required(),
      kind: a.string().required(),
      subject: a.string().required(),
      link: a.string(),
      createdAt: a.datetime().required(),
    }),

    /**
     * Pushes a notification to its recipient's open sessions. Only the notifier can call it (IAM,
     * through the schema's resource rule); it stores nothing: the Notification record is the truth.
     * A JavaScript resolver on no data source checks the caller and the arguments: no Lambda runs.
     */
    publishNotification: a
      .mutation()
      .arguments({
        id: a.id().required(),
        organizationId: a.id().required(),
        recipientId: a.string().required(),
        kind: a.string().required(),
        subject: a.string().required(),
        link: a.string(),
        createdAt: a.datetime().required(),
      })
      .returns(a.ref('LiveNotification').required())
      // A custom handler takes no identity-pool rule, and a rule is required: a user-pool group no
      // person is ever in (people only join `org-…` groups) keeps every person out at AppSync's
      // own auth check, and the schema's resource rule lets the notifier in through IAM.
      .authorization((allow) => [allow.group(NO_PERSON_GROUP)])
      .handler(a.handler.custom({ entry: './publish-notification.js' })),

    /** The caller's own notifications, live. */
    onNotification: a
      .subscription()
      .for(a.ref('publishNotification'))
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.custom({ entry: './on-notification.js' })),

    /** Live stock changes of one organization (its members read its items). */
    onInventoryChanged: a
      .subscription()
      .for([a.ref('createInventoryItem'), a.ref('updateInventoryItem'), a.ref('adjustInventory')])
      .arguments({ organizationId: a.id().required() })
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.custom({ entry: './on-inventory-changed.js' })),

    /** Live updates of one organization's work orders; MEMBERs receive only their own. */
    onWorkOrderChanged: a
      .subscription()
      .for([a.ref('submitWorkOrder'), a.ref('assignWorkOrder'), a.ref('transitionWorkOrder')])
      .arguments({ organizationId: a.id().required() })
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.custom({ entry: './on-work-order-changed.js' })),
  })
  .authorization((allow) => [allow.resource(notifier).to(['mutate'])]);

export type Schema = ClientSchema<typeof schema>;

export const data = defineData({
  schema,
  authorizationModes: { defaultAuthorizationMode: 'userPool' },
  // Resolver errors reach CloudWatch for a month; queries and their arguments are never logged.
  logging: { fieldLogLevel: 'error', retention: '1 month', excludeVerboseContent: true },
});
