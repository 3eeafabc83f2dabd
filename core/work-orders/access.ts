import { DomainError } from '../errors';
import { requireActiveMember } from '../organizations/membership-checks';
import { can } from '../organizations/permissions';
import type { Caller, MembershipStore, WorkOrderStore } from '../ports';
import type { MemberRecord, WorkOrderRecord } from '../records';

/** Whether a member can see a work order: staff see all of their organization's, a MEMBER their own. */
export const maySee = (member: MemberRecord, workOrder: WorkOrderRecord, userId: string): boolean =>
  member.organizationId === workOrder.organizationId &&
  (can(member.role, 'workOrders.readAll') || workOrder.requesterId === userId);

/**
 * Loads a work order with the caller's ACTIVE membership of its organization (from the table,
 * not the token). Anything the caller could not read answers NOT_FOUND, so foreign ids and other
 * people's requests stay invisible rather than confirmed by a FORBIDDEN.
 */
export async function loadVisibleWorkOrder(
  deps: { memberships: MembershipStore; workOrders: WorkOrderStore },
  caller: Caller,
  id: string,
): Promise<{ workOrder: WorkOrderRecord; member: MemberRecord }> {
  const notFound = () =>
    new DomainError('NOT_FOUND', `Work order ${id} was not found.`, {
      resolution: 'Check the id, and that you are an active member of its organization.',
    });
  const workOrder = await deps.workOrders.get(id);
  if (!workOrder) throw notFound();
  const member = await requireActiveMember(
    deps.memberships,
    workOrder.organizationId,
    caller.userId,
    { what: 'Work order', id },
  );
  if (!maySee(member, workOrder, caller.userId)) throw notFound();
  return { workOrder, member };
}

/** The CONFLICT of a write based on an outdated version of a work order. */
export const staleWorkOrder = (id: string): DomainError =>
  new DomainError('CONFLICT', `Work order ${id} was changed by someone else.`, {
    field: 'expectedVersion',
    resolution: 'Reload the work order and try again.',
  });
