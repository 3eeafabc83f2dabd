import type { Logger } from '@aws-lambda-powertools/logger';
import { DomainError, isDomainError } from '../../../core/errors';
import { adjustInventory } from '../../../core/inventory/adjust-inventory';
import { createInventoryItem } from '../../../core/inventory/create-inventory-item';
import { updateInventoryItem } from '../../../core/inventory/update-inventory-item';
import { markNotificationsRead } from '../../../core/notifications/inbox';
import { updateNotificationPreferences } from '../../../core/notifications/preferences';
import { acceptInvitation } from '../../../core/organizations/accept-invitation';
import { createOrganization } from '../../../core/organizations/create-organization';
import { inviteMember } from '../../../core/organizations/invite-member';
import {
  removeMember,
  setMemberSuspended,
  updateMemberRole,
} from '../../../core/organizations/manage-members';
import { transferOwnership } from '../../../core/organizations/transfer-ownership';
import type {
  Caller,
  Clock,
  IdGenerator,
  InboxStore,
  InventoryStore,
  MembershipStore,
  OrganizationStore,
  ProfileStore,
  SecretGenerator,
  UserDirectory,
  WorkOrderStore,
} from '../../../core/ports';
import { getMe } from '../../../core/profiles/me';
import { updateProfile } from '../../../core/profiles/update-profile';
import { assignWorkOrder } from '../../../core/work-orders/assign-work-order';
import { submitWorkOrder } from '../../../core/work-orders/submit-work-order';
import { transitionWorkOrder } from '../../../core/work-orders/transition-work-order';
import { addWorkOrderComment } from '../../../core/work-orders/add-work-order-comment';

/** The ports every operation of the `api` function may use. */
export type ApiPorts = {
  clock: Clock;
  ids: IdGenerator;
  secrets: SecretGenerator;
  profiles: ProfileStore;
  organizations: OrganizationStore;
  memberships: MembershipStore;
  workOrders: WorkOrderStore;
  inventory: InventoryStore;
  inbox: InboxStore;
  directory: UserDirectory;
};

/** The part of an AppSync Lambda-resolver event the handler reads. */
export type AppSyncResolverEvent = {
  typeName?: string;
  fieldName: string;
  arguments?: Record<string, unknown> | null;
  /** A user-pool identity; an IAM one (userArn, no sub) is never a person. */
  identity?: {
    sub?: string;
    claims?: Record<string, unknown>;
    userArn?: string;
    username?: string;
    groups?: string[] | null;
  } | null;
};

/** A field a signed-in person calls: the operation gets the ports and the caller's identity. */
type PersonOperation = {
  type: 'Query' | 'Mutation';
  caller: 'person';
  run: (ports: ApiPorts, caller: Caller, args: unknown) => Promise<unknown>;
};

/**
 * One GraphQL field this function resolves. Every one is called by a person: the one field only
 * services call (publishNotification) is a JavaScript resolver that needs no Lambda.
 */
export type Operation = PersonOperation;

const query = (run: PersonOperation['run']): PersonOperation => ({
  type: 'Query',
  caller: 'person',
  run,
});
const mutation = (run: PersonOperation['run']): PersonOperation => ({
  type: 'Mutation',
  caller: 'person',
  run,
});

/**
 * Every Lambda-resolved field of the schema (amplify/data/resource.ts), by GraphQL field name:
 * the one list of what the `api` function serves. operations.test.ts checks it against the
 * schema both ways: each field has an operation here, each operation a field.
 */
export const OPERATIONS = {
  me: query((ports, caller) => getMe(ports, caller)),
  createOrganization: mutation(createOrganization),
  submitWorkOrder: mutation(submitWorkOrder),
  assignWorkOrder: mutation(assignWorkOrder),
  inviteMember: mutation(inviteMember),
  acceptInvitation: mutation(acceptInvitation),
  updateMemberRole: mutation(updateMemberRole),
  setMemberSuspended: mutation(setMemberSuspended),
  removeMember: mutation(removeMember),
  transferOwnership: mutation(transferOwnership),
  transitionWorkOrder: mutation(transitionWorkOrder),
  addWorkOrderComment: mutation(addWorkOrderComment),
  createInventoryItem: mutation(createInventoryItem),
  updateInventoryItem: mutation(updateInventoryItem),
  adjustInventory: mutation(adjustInventory),
  markNotificationsRead: mutation(markNotificationsRead),
  updateNotificationPreferences: mutation(updateNotificationPreferences),
  updateProfile: mutation(updateProfile),
} as const satisfies Record<string, Operation>;

/** The field names this function resolves. */
export type OperationName = keyof typeof OPERATIONS;

const isOperation = (name: string): name is OperationName => Object.hasOwn(OPERATIONS, name);

const asString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * The caller from a Cognito user-pool identity. AWS provides `identity.groups`; the local
 * simulator only the `cognito:groups` claim, so both are read.
 */
export function callerFrom(identity: AppSyncResolverEvent['identity']): Caller {
  const claims = identity?.claims ?? {};
  const userId = asString(identity?.sub) ?? asString(claims.sub);
  if (!userId) {
    throw new DomainError('UNAUTHENTICATED', 'This operation needs a signed-in user.', {
      resolution: 'Sign in and call it with a user-pool token.',
    });
  }
  const claimed = claims['cognito:groups'];
  const groups =
    identity?.groups ??
    (Array.isArray(claimed) ? claimed : typeof claimed === 'string' ? claimed.split(',') : []);
  const email = asString(claims.email);
  return {
    userId,
    username:
      asString(identity?.username) ??
      asString(claims['cognito:username']) ??
      asString(claims.username) ??
      userId,
    ...(email ? { email } : {}),
    groups: groups.filter((g): g is string => typeof g === 'string'),
  };
}

/**
 * Builds the AppSync Lambda resolver: parse the event, run the operation from `core`, translate
 * failures. A DomainError keeps its code as the GraphQL `errorType`, its resolution appended to
 * the message; anything else is logged and masked as INTERNAL.
 */
export function createApiHandler(ports: ApiPorts, logger: Logger) {
  return async (event: AppSyncResolverEvent): Promise<unknown> => {
    const { fieldName } = event;
    const started = Date.now();
    try {
      if (!isOperation(fieldName)) {
        throw new Error(
          `The api function has no operation for ${event.typeName ?? '?'}.${fieldName}`,
        );
      }
      const operation: Operation = OPERATIONS[fieldName];
      const caller = callerFrom(event.identity);
      const result = await operation.run(ports, caller, event.arguments ?? {});
      logger.info('operation done', { fieldName, userId: caller.userId, ms: Date.now() - started });
      return result;
    } catch (err) {
      if (isDomainError(err)) {
        logger.info('operation refused', {
          fieldName,
          code: err.code,
          reason: err.message,
          ms: Date.now() - started,
        });
        const message = err.resolution ? `${err.message} ${err.resolution}` : err.message;
        throw new DomainError(err.code, message, { field: err.field, resolution: err.resolution });
      }
      logger.error('operation failed', { fieldName, error: err as Error });
      throw new DomainError('INTERNAL', 'Something went wrong on the server.', {
        resolution: 'Try again; if it keeps failing, report it with the time it happened.',
      });
    }
  };
}
