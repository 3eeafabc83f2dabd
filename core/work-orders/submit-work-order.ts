import { DomainError } from '../errors';
import { requireActiveMember } from '../organizations/membership-checks';
import { assertCan } from '../organizations/permissions';
import { limitExceeded, WORK_ORDERS_PER_MONTH } from '../organizations/plans';
import { workOrderReadGroups } from '../organizations/roles';
import type { Caller, Clock, IdGenerator, MembershipStore, WorkOrderStore } from '../ports';
import {
  memberName,
  ownerValue,
  type WorkOrderEventRecord,
  type WorkOrderRecord,
} from '../records';
import { withDerivedFields } from './derived-fields';
import { parseSubmitWorkOrder } from './validation';

/**
 * `submitWorkOrder`: an ACTIVE member (not a VIEWER) submits a request or saves a draft. The
 * number comes from the organization's counter, taken with one atomic increment that also checks
 * the organization is ACTIVE and counts the month against its plan; the work order and its
 * SUBMITTED event are written after it (three DynamoDB calls in all, with the membership read). No
 * transaction holds the organization, so submissions into one organization never wait on each
 * other; numbers are never reused or duplicated, and one that failed after taking its number
 * leaves a gap.
 */
export async function submitWorkOrder(
  deps: {
    clock: Clock;
    ids: IdGenerator;
    memberships: MembershipStore;
    workOrders: WorkOrderStore;
  },
  caller: Caller,
  args: unknown,
): Promise<WorkOrderRecord> {
  const now = deps.clock.now();
  const input = parseSubmitWorkOrder(args, now);
  const member = await requireActiveMember(deps.memberships, input.organizationId, caller.userId);
  assertCan(member.role, 'workOrders.submit');

  // No read of the organization first: the counter's write checks that it is ACTIVE and within
  // its plan, and only a refusal reads it to say why.
  const organizationId = input.organizationId;
  const at = now.toISOString();
  const taken = await deps.workOrders.takeNumber({
    organizationId,
    month: at.slice(0, 7),
    monthlyLimits: WORK_ORDERS_PER_MONTH,
    at,
  });
  if (taken.outcome === 'NOT_FOUND') {
    throw new DomainError('NOT_FOUND', `Organization ${organizationId} was not found.`);
  }
  if (taken.outcome === 'NOT_ACTIVE') {
    throw new DomainError('FORBIDDEN', `Organization ${taken.name} is ${taken.status}.`, {
      resolution: 'Ask its owner to reactivate it.',
    });
  }
  if (taken.outcome === 'AT_LIMIT') {
    throw limitExceeded(taken.plan, 'workOrdersPerMonth', taken.countInMonth + 1);
  }

  const id = deps.ids.uuid();
  const status = input.draft ? 'DRAFT' : 'NEW';
  const requester = ownerValue(caller.userId, caller.username);
  const readGroups = workOrderReadGroups(organizationId);
  const workOrder: WorkOrderRecord = withDerivedFields({
    id,
    organizationId,
    number: taken.number,
    title: input.title,
    ...(input.description ? { description: input.description } : {}),
    status,
    priority: input.priority,
    category: input.category,
    type: input.type,
    ...(input.locationText ? { locationText: input.locationText } : {}),
    ...(input.dueAt ? { dueAt: input.dueAt } : {}),
    requester,
    requesterId: caller.userId,
    requesterName: memberName(member),
    readGroups,
    version: 1,
    createdAt: at,
    updatedAt: at,
    updatedBy: caller.userId,
  });
  const event: WorkOrderEventRecord = {
    id: deps.ids.uuid(),
    organizationId,
    workOrderId: id,
    at,
    actorId: caller.userId,
    actorName: memberName(member),
    kind: 'SUBMITTED',
    toStatus: status,
    requester,
    readGroups,
    createdAt: at,
    updatedAt: at,
  };
  await deps.workOrders.insert({ workOrder, event });
  return workOrder;
}
