import { assertCan } from '../organizations/permissions';
import type { Caller, Clock, IdGenerator, MembershipStore, WorkOrderStore } from '../ports';
import { memberName, type WorkOrderEventRecord } from '../records';
import { loadVisibleWorkOrder } from './access';
import { parseAddWorkOrderComment } from './validation';

/**
 * `addWorkOrderComment`: staff (not VIEWERs) comment on any work order of their organization, a
 * MEMBER on the ones they requested. The comment is a COMMENT event readable by exactly who reads
 * the work order; the work order itself (and so its version) is untouched.
 */
export async function addWorkOrderComment(
  deps: {
    clock: Clock;
    ids: IdGenerator;
    memberships: MembershipStore;
    workOrders: WorkOrderStore;
  },
  caller: Caller,
  args: unknown,
): Promise<WorkOrderEventRecord> {
  const input = parseAddWorkOrderComment(args);
  const { workOrder, member } = await loadVisibleWorkOrder(deps, caller, input.workOrderId);
  assertCan(member.role, 'comments.add');
  const at = deps.clock.now().toISOString();
  const event: WorkOrderEventRecord = {
    id: deps.ids.uuid(),
    organizationId: workOrder.organizationId,
    workOrderId: workOrder.id,
    at,
    actorId: caller.userId,
    actorName: memberName(member),
    kind: 'COMMENT',
    note: input.body,
    requester: workOrder.requester,
    readGroups: workOrder.readGroups,
    createdAt: at,
    updatedAt: at,
  };
  await deps.workOrders.appendEvent(event);
  return event;
}
