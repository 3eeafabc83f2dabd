import { DomainError } from '../errors';
import { requireActiveMember } from '../organizations/membership-checks';
import { assertCan } from '../organizations/permissions';
import { assertWithinPlan } from '../organizations/plans';
import { workOrderReadGroups } from '../organizations/roles';
import type {
  Caller,
  Clock,
  IdGenerator,
  MembershipStore,
  OrganizationStore,
  WorkOrderStore,
} from '../ports';
import {
  memberName,
  ownerValue,
  type WorkOrderEventRecord,
  type WorkOrderRecord,
} from '../records';
import { withDerivedFields } from './derived-fields';
import { parseSubmitWorkOrder } from './validation';

/**
 * How often to try when concurrent submissions race for the next number. Every round one of the
 * racers wins, so this bounds the burst a single submission survives without an error.
 */
const NUMBER_ATTEMPTS = 10;

/**
 * `submitWorkOrder`: an ACTIVE member (not a VIEWER) submits a request or saves a draft. The
 * number comes from the organization's counter, moved conditionally in the same transaction that
 * writes the work order and its SUBMITTED event, so numbers are never reused or duplicated.
 */
export async function submitWorkOrder(
  deps: {
    clock: Clock;
    ids: IdGenerator;
    memberships: MembershipStore;
    organizations: OrganizationStore;
    workOrders: WorkOrderStore;
  },
  caller: Caller,
  args: unknown,
): Promise<WorkOrderRecord> {
  const now = deps.clock.now();
  const input = parseSubmitWorkOrder(args, now);
  const member = await requireActiveMember(deps.memberships, input.organizationId, caller.userId);
  assertCan(member.role, 'workOrders.submit');

  const at = now.toISOString();
  const month = at.slice(0, 7);
  const id = deps.ids.uuid();
  const status = input.draft ? 'DRAFT' : 'NEW';
  const requester = ownerValue(caller.userId, caller.username);
  const readGroups = workOrderReadGroups(input.organizationId);

  for (let attempt = 1; attempt <= NUMBER_ATTEMPTS; attempt += 1) {
    const organization = await deps.organizations.get(input.organizationId);
    if (!organization) {
      throw new DomainError('NOT_FOUND', `Organization ${input.organizationId} was not found.`);
    }
    if (organization.status !== 'ACTIVE') {
      throw new DomainError(
        'FORBIDDEN',
        `Organization ${organization.name} is ${organization.status}.`,
        {
          resolution: 'Ask its owner to reactivate it.',
        },
      );
    }
    const count =
      organization.workOrdersMonth === month ? (organization.workOrdersInMonth ?? 0) + 1 : 1;
    assertWithinPlan(organization.plan, 'workOrdersPerMonth', count);

    const workOrder: WorkOrderRecord = withDerivedFields({
      id,
      organizationId: organization.id,
      number: organization.workOrderCounter + 1,
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
      organizationId: organization.id,
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
    const outcome = await deps.workOrders.insertNumbered({
      workOrder,
      event,
      expectedCounter: organization.workOrderCounter,
      usage: { month, count },
    });
    if (outcome === 'CREATED') return workOrder;
  }
  throw new DomainError('CONFLICT', 'Too many work orders are being submitted at once.', {
    resolution: 'Try again in a moment.',
  });
}
