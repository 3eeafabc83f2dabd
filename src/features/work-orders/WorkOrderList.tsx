import { workOrderLabel } from '../../../core/work-orders/vocabulary';
import { humanize } from '../../lib/labels';
import type { LiveState, WorkOrder, WorkOrdersState } from './use-work-orders';

/** Props of {@link WorkOrderList}. */
export type WorkOrderListProps = Pick<
  WorkOrdersState,
  'items' | 'status' | 'error' | 'live' | 'liveError'
> & {
  heading: string;
};

const LIVE_TEXT: Record<LiveState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  interrupted: 'Reconnecting…',
  failed: 'Not live',
};

const assigneeText = (workOrder: WorkOrder): string =>
  workOrder.assigneeName ?? (workOrder.assigneeId ? 'Assigned' : 'Unassigned');

/** The organization's work orders, newest first, with a badge saying whether it is live. */
export function WorkOrderList({ heading, items, status, error, live, liveError }: WorkOrderListProps) {
  return (
    <section className="card" aria-labelledby="work-orders-heading" aria-busy={status === 'loading'}>
      <div className="section-head">
        <h2 id="work-orders-heading">{heading}</h2>
        <span
          className={`live live-${live}`}
          data-testid="live-status"
          data-live={live}
          title={liveError ?? undefined}
        >
          {LIVE_TEXT[live]}
        </span>
      </div>
      {live === 'failed' && liveError !== null && (
        <p className="warning" role="status">
          Live updates stopped: {liveError}. Reload the page to see new changes.
        </p>
      )}
      {error !== null && (
        <p className="error" role="alert" data-testid="work-orders-error">
          {error}
        </p>
      )}
      {status === 'loading' && items.length === 0 && (
        <p className="muted" data-testid="work-orders-loading">
          Loading work orders…
        </p>
      )}
      {status === 'ready' && items.length === 0 && (
        <p className="empty" data-testid="work-orders-empty">
          No work orders yet. Requests you submit appear here, and so do everyone else’s as they
          come in.
        </p>
      )}
      {items.length > 0 && (
        <ul className="work-orders" data-testid="work-order-list">
          {items.map((workOrder) => (
            <li
              key={workOrder.id}
              className="work-order"
              data-testid="work-order-row"
              data-id={workOrder.id}
              data-status={workOrder.status}
              data-priority={workOrder.priority}
            >
              <span className="wo-number">{workOrderLabel(workOrder.number)}</span>
              <span className="wo-title" data-testid="work-order-title">
                {workOrder.title}
              </span>
              <span className="wo-meta">
                <span className={`badge status-${workOrder.status.toLowerCase()}`}>
                  <span className="visually-hidden">Status: </span>
                  {humanize(workOrder.status)}
                </span>
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
}
