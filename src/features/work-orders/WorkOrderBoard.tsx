import { Link } from 'react-router-dom';
import { workOrderLabel, type WorkOrderStatus } from '../../../core/work-orders/vocabulary';
import { humanize } from '../../lib/labels';
import { assigneeText } from './WorkOrderList';
import { useCameFromState } from './came-from';
import type { WorkOrder } from './use-work-orders';

/** The board's columns: the statuses where work is still moving, plus just-completed. */
export const BOARD_STATUSES = [
  'NEW',
  'ASSIGNED',
  'IN_PROGRESS',
  'ON_HOLD',
  'COMPLETED',
] as const satisfies readonly WorkOrderStatus[];

/** Props of {@link WorkOrderBoard}. */
export type WorkOrderBoardProps = {
  items: readonly WorkOrder[];
  /** Only these columns (one when a status filter is set). */
  statuses?: readonly WorkOrderStatus[];
};

/** Work orders as cards in one column per status; columns wrap, and stack on a phone. */
export function WorkOrderBoard({ items, statuses = BOARD_STATUSES }: WorkOrderBoardProps) {
  const cameFrom = useCameFromState();
  return (
    <div className="board" data-testid="work-order-board">
      {statuses.map((status) => {
        const column = items.filter((item) => item.status === status);
        const headingId = `board-${status}`;
        return (
          <section
            key={status}
            className="board-column"
            aria-labelledby={headingId}
            data-testid="board-column"
            data-status={status}
          >
            <h3 id={headingId}>
              <span className={`badge status-${status.toLowerCase()}`}>{humanize(status)}</span>{' '}
              <span className="count">{column.length}</span>
            </h3>
            {column.length === 0 ? (
              <p className="muted small">Nothing here.</p>
            ) : (
              <ul>
                {column.map((workOrder) => (
                  <li
                    key={workOrder.id}
                    className="board-card"
                    data-testid="work-order-row"
                    data-id={workOrder.id}
                    data-status={workOrder.status}
                    data-priority={workOrder.priority}
                  >
                    <Link
                      to={`/work-orders/${workOrder.id}`}
                      state={cameFrom}
                      title={workOrder.title}
                    >
                      <span className="wo-number">{workOrderLabel(workOrder.number)}</span>{' '}
                      <span className="wo-title">{workOrder.title}</span>
                    </Link>
                    <span className="wo-meta">
                      <span className={`badge priority-${workOrder.priority.toLowerCase()}`}>
                        <span className="visually-hidden">Priority: </span>
                        {humanize(workOrder.priority)}
                      </span>
                      <span className="assignee">
                        <span className="visually-hidden">Assignee: </span>
                        {assigneeText(workOrder)}
                      </span>
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}
