import { useWorkspace } from '../../app/workspace-context';
import { WorkOrderList } from './WorkOrderList';
import { useWorkOrders } from './use-work-orders';

/** The work assigned to the signed-in person, live. */
export function MyWorkPage() {
  const { membership, userId } = useWorkspace();
  const workOrders = useWorkOrders({
    kind: 'assignee',
    organizationId: membership.organizationId,
    assigneeId: userId,
  });
  return (
    <WorkOrderList
      heading="My work"
      {...workOrders}
      emptyText="Nothing is assigned to you. Take a new work order from the board, or wait for a manager to assign one."
    />
  );
}
