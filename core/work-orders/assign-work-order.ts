import { DomainError } from '../errors';
import { requireActiveMember } from '../organizations/membership-checks';
import type { Caller, Clock, IdGenerator, MembershipStore, WorkOrderStore } from '../ports';
import type { WorkOrderRecord } from '../records';
import { commitWorkOrderChange, staleWorkOrder } from './access';
import { applyPatch, planAssignment } from './assignment';
import { withDerivedFields } from './derived-fields';
import { parseAssignWorkOrder } from './validation';

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
    throw staleWorkOrder(workOrder.id);
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
  return commitWorkOrderChange(deps, {
    before: workOrder,
    next,
    actor: { userId: caller.userId, member },
    kind: plan.kind,
    at,
    note: next.assigneeName ? `Assigned to ${next.assigneeName}` : undefined,
  });
}
