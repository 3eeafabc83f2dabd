import { DomainError } from '../errors';
import { requireActiveMember } from '../organizations/membership-checks';
import { can } from '../organizations/permissions';
import type { Caller, IdGenerator, MembershipStore, WorkOrderStore } from '../ports';
import {
  memberName,
  type MemberRecord,
  type WorkOrderEventRecord,
  type WorkOrderRecord,
} from '../records';

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

/**
 * Writes a changed work order with its audit event, conditional on the version it was read at:
 * the one way every lifecycle change reaches the store.
 */
export async function commitWorkOrderChange(
  deps: { ids: IdGenerator; workOrders: WorkOrderStore },
  change: {
    before: WorkOrderRecord;
    next: WorkOrderRecord;
    actor: { userId: string; member: MemberRecord };
    kind: WorkOrderEventRecord['kind'];
    at: string;
    note?: string;
  },
): Promise<WorkOrderRecord> {
  const { before, next, actor, at } = change;
  const event: WorkOrderEventRecord = {
    id: deps.ids.uuid(),
    organizationId: before.organizationId,
    workOrderId: before.id,
    at,
    actorId: actor.userId,
    actorName: memberName(actor.member),
    kind: change.kind,
    fromStatus: before.status,
    toStatus: next.status,
    ...(change.note ? { note: change.note } : {}),
    requester: before.requester,
    readGroups: before.readGroups,
    createdAt: at,
    updatedAt: at,
  };
  const outcome = await deps.workOrders.replace({ next, expectedVersion: before.version, event });
  if (outcome === 'STALE') throw staleWorkOrder(before.id);
  return next;
}
