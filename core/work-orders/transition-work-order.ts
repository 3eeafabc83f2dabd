import type { Caller, Clock, IdGenerator, MembershipStore, WorkOrderStore } from '../ports';
import { memberName, type WorkOrderRecord } from '../records';
import { commitWorkOrderChange, loadVisibleWorkOrder, staleWorkOrder } from './access';
import { applyPatch } from './assignment';
import { withDerivedFields } from './derived-fields';
import { planTransition } from './state-machine';
import { parseTransitionWorkOrder } from './validation';

/**
 * `transitionWorkOrder`: moves a work order along the lifecycle (state-machine.ts decides whether
 * the caller's role, taken from the membership table, allows the edge), stamps its times, derives
 * laborMinutes unless given, and writes the work order (version + 1) and its audit event in one
 * transaction conditional on `expectedVersion`: a stale version changes nothing.
 */
export async function transitionWorkOrder(
  deps: {
    clock: Clock;
    ids: IdGenerator;
    memberships: MembershipStore;
    workOrders: WorkOrderStore;
  },
  caller: Caller,
  args: unknown,
): Promise<WorkOrderRecord> {
  const input = parseTransitionWorkOrder(args);
  const { workOrder, member } = await loadVisibleWorkOrder(deps, caller, input.id);
  // Checked before the lifecycle: a client acting on an old copy should reload, whatever it asked.
  if (input.expectedVersion !== workOrder.version) throw staleWorkOrder(workOrder.id);

  const now = deps.clock.now();
  const at = now.toISOString();
  const from = workOrder.status;
  const plan = planTransition({
    state: workOrder,
    to: input.to,
    actor: { userId: caller.userId, role: member.role },
    now,
    // Through this operation, NEW → ASSIGNED means taking the work: the caller becomes the assignee.
    newAssigneeId: caller.userId,
  });
  const assignee =
    from === 'NEW' && input.to === 'ASSIGNED'
      ? { assigneeId: caller.userId, assigneeName: memberName(member) }
      : from === 'ASSIGNED' && input.to === 'NEW'
        ? { assigneeId: null, assigneeName: null }
        : {};
  const explicitLabor =
    input.laborMinutes === undefined
      ? {}
      : { laborMinutes: input.laborMinutes, laborSeconds: input.laborMinutes * 60 };
  const notes =
    input.completionNotes === undefined ? {} : { completionNotes: input.completionNotes };

  const next = withDerivedFields(
    applyPatch(
      {
        ...workOrder,
        status: input.to,
        version: workOrder.version + 1,
        updatedAt: at,
        updatedBy: caller.userId,
      },
      { ...plan.patch, ...assignee, ...explicitLabor, ...notes },
    ),
  );
  return commitWorkOrderChange(deps, {
    before: workOrder,
    next,
    actor: { userId: caller.userId, member },
    kind: plan.kind,
    at,
    note: input.note,
  });
}
