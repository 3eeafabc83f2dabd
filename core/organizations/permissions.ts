import { DomainError } from '../errors';
import { type Role, roleGroup, STAFF_ROLES } from './roles';

/** Everything a member may be allowed to do inside one organization. */
export const ACTIONS = [
  'organization.delete',
  'organization.transfer',
  'members.read',
  'members.invite',
  'members.changeRole',
  'members.remove',
  'members.suspend',
  'settings.update',
  'workOrders.submit',
  'workOrders.readAll',
  'workOrders.assign',
  'workOrders.take',
  'workOrders.progress',
  'workOrders.close',
  'workOrders.cancelOwn',
  'workOrders.cancelAny',
  'inventory.adjust',
  'inventory.use',
  'reports.read',
  'comments.add',
] as const;
export type Action = (typeof ACTIONS)[number];

const OWNER_ONLY: readonly Role[] = ['OWNER'];
const ADMINS: readonly Role[] = ['OWNER', 'ADMIN'];
const MANAGERS: readonly Role[] = ['OWNER', 'ADMIN', 'MANAGER'];
const WORKERS: readonly Role[] = ['OWNER', 'ADMIN', 'MANAGER', 'TECHNICIAN'];
const CONTRIBUTORS: readonly Role[] = ['OWNER', 'ADMIN', 'MANAGER', 'TECHNICIAN', 'MEMBER'];
/** Staff read every work order of their organization; MEMBERs read only their own requests. */
const READERS_OF_ALL: readonly Role[] = STAFF_ROLES;

/** Which roles may perform each action: the matrix of docs/PRODUCT.md, "People and roles". */
export const PERMISSIONS: Readonly<Record<Action, readonly Role[]>> = {
  'organization.delete': OWNER_ONLY,
  'organization.transfer': OWNER_ONLY,
  // The member list carries email addresses: staff only, never a requester.
  'members.read': READERS_OF_ALL,
  'members.invite': ADMINS,
  'members.changeRole': ADMINS,
  'members.remove': ADMINS,
  'members.suspend': ADMINS,
  'settings.update': ADMINS,
  'workOrders.submit': CONTRIBUTORS,
  'workOrders.readAll': READERS_OF_ALL,
  'workOrders.assign': MANAGERS,
  'workOrders.take': WORKERS,
  'workOrders.progress': WORKERS,
  'workOrders.close': MANAGERS,
  'workOrders.cancelOwn': CONTRIBUTORS,
  'workOrders.cancelAny': MANAGERS,
  'inventory.adjust': MANAGERS,
  'inventory.use': WORKERS,
  // VIEWERs (board members, auditors) read everything, reports included.
  'reports.read': ['OWNER', 'ADMIN', 'MANAGER', 'VIEWER'],
  'comments.add': CONTRIBUTORS,
};

/**
 * The groups allowed to read an organization's membership rows (set on each row by the server and
 * checked by the model's `groupsDefinedIn('readGroups')` rule): the roles that may `members.read`.
 * A MEMBER reads no one's row; their own membership comes with `me`.
 */
export const memberReadGroups = (organizationId: string): string[] =>
  PERMISSIONS['members.read'].map((role) => roleGroup(organizationId, role));

/** Whether a role may perform an action. */
export const can = (role: Role, action: Action): boolean => PERMISSIONS[action].includes(role);

/** Throws FORBIDDEN unless the role may perform the action. */
export function assertCan(role: Role, action: Action): void {
  if (!can(role, action)) {
    const allowed = PERMISSIONS[action].join(', ');
    throw new DomainError('FORBIDDEN', `A ${role} may not perform ${action}.`, {
      resolution: `Ask someone with one of these roles: ${allowed}.`,
    });
  }
}
