import { DomainError } from '../errors';
import { requireActiveMember } from '../organizations/membership-checks';
import type { Caller, Clock, IdGenerator, MembershipStore, WorkOrderStore } from '../ports';
import { memberName, type WorkOrderEventRecord, type WorkOrderRecord } from '../records';
import { applyPatch, planAssignment } from './assignment';
import { withDerivedFields } from './derived-fields';
import { parseAssignWorkOrder } from './validation';

const stale = (id: string) =>
  new DomainError('CONFLICT', `Work order ${id} was changed by someone else.`, {
    field: 'expectedVersion',
    resolution: 'Reload the work order and try again.',
  });

/**
 * `assignWorkOrder`: assigns, reassigns or unassigns a work order (see planAssignment), writing
 * the change conditionally on its version together with an audit event.
 */
export async function assignWorkOrder(
  deps: {
    clock: Clock;
    ids: IdGenerator;
    memberships: MembershipStore;
    workOrders: WorkOrderStore;
  },
  caller: Caller,
  args: unknown,
): Promise<WorkOrderRecord> {
  const input = parseAssignWorkOrder(args);
  const workOrder = await deps.workOrders.get(input.id);
  const hide = { what: 'Work order', id: input.id };
  if (!workOrder) throw new DomainError('NOT_FOUND', `Work order ${input.id} was not found.`);
  const member = await requireActiveMember(
    deps.memberships,
    workOrder.organizationId,
    caller.userId,
    hide,
  );
  if (input.expectedVersion !== undefined && input.expectedVersion !== workOrder.version) {
    throw stale(workOrder.id);
  }
  const assignee = input.assigneeId
    ? await deps.memberships.find(workOrder.organizationId, input.assigneeId)
    : undefined;
  const now = deps.clock.now();
  const plan = planAssignment({
    workOrder,
    actor: { userId: caller.userId, role: member.role },
    assigneeId: input.assigneeId,
    assignee,
    now,
  });
  if (plan === 'UNCHANGED') return workOrder;

  const at = now.toISOString();
  const next = withDerivedFields(
    applyPatch(
      {
        ...workOrder,
        status: plan.status,
        version: workOrder.version + 1,
        updatedAt: at,
        updatedBy: caller.userId,
      },
      plan.patch,
    ),
  );
  const event: WorkOrderEventRecord = {
    id: deps.ids.uuid(),
    organizationId: workOrder.organizationId,
    workOrderId: workOrder.id,
    at,
    actorId: caller.userId,
    actorName: memberName(member),
    kind: plan.kind,
    fromStatus: workOrder.status,
    toStatus: plan.status,
    ...(next.assigneeName ? { note: `Assigned to ${next.assigneeName}` } : {}),
    requester: workOrder.requester,
    readGroups: workOrder.readGroups,
    createdAt: at,
    updatedAt: at,
  };
  const outcome = await deps.workOrders.replace({
    next,
    expectedVersion: workOrder.version,
    event,
  });
  if (outcome === 'STALE') throw stale(workOrder.id);
  return next;
}
