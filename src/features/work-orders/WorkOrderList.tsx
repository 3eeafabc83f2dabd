import { Link } from 'react-router-dom';
import { workOrderLabel } from '../../../core/work-orders/vocabulary';
import { humanize } from '../../lib/labels';
import type { ReactNode } from 'react';
import { useCameFromState } from './came-from';
import type { LiveState, WorkOrder, WorkOrdersState } from './use-work-orders';

/** Props of {@link WorkOrderList}. */
export type WorkOrderListProps = Pick<
  WorkOrdersState,
  'items' | 'status' | 'error' | 'live' | 'liveError' | 'nextToken' | 'loadingMore'
> & {
  loadMore: () => void;
  heading: string;
  /** What to say when there is nothing to show (depends on the page and its filters). */
  emptyText?: string;
  /** Shown beside the heading (the view switch). */
  tools?: ReactNode;
};

/** What the live badge says for each connection state. */
export const LIVE_TEXT: Record<LiveState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  interrupted: 'Reconnecting…',
  failed: 'Not live',
};

/** Who the work is with, for people. */
export const assigneeText = (workOrder: WorkOrder): string =>
  workOrder.assigneeName ?? (workOrder.assigneeId ? 'Assigned' : 'Unassigned');

/** The organization's work orders, newest first, with a badge saying whether it is live. */
export function WorkOrderList({
  heading,
  items,
  status,
  error,
  live,
  liveError,
  emptyText,
  tools,
  nextToken,
  loadingMore,
  loadMore,
}: WorkOrderListProps) {
  return (
    <section
      className="card"
      aria-labelledby="work-orders-heading"
      aria-busy={status === 'loading'}
    >
      <div className="section-head">
        <h2 id="work-orders-heading">{heading}</h2>
        {tools}
        <LiveBadge live={live} liveError={liveError} />
      </div>
      <StatusLines
        items={items}
        status={status}
        error={error}
        live={live}
        liveError={liveError}
        emptyText={emptyText}
        nextToken={nextToken}
      />
      {items.length > 0 && <WorkOrderRows items={items} />}
      <LoadMore nextToken={nextToken} loadingMore={loadingMore} loadMore={loadMore} />
    </section>
  );
}

/** "Load more" while older work orders remain unread. */
export function LoadMore({
  nextToken,
  loadingMore,
  loadMore,
}: Pick<WorkOrdersState, 'nextToken' | 'loadingMore'> & { loadMore: () => void }) {
  if (nextToken === null) return null;
  return (
    <p className="load-more">
      <button type="button" onClick={loadMore} disabled={loadingMore} data-testid="load-more">
        {loadingMore ? 'Loading…' : 'Load older work orders'}
      </button>
    </p>
  );
}

/** The badge that says whether changes made elsewhere arrive. */
export function LiveBadge({ live, liveError }: Pick<WorkOrdersState, 'live' | 'liveError'>) {
  return (
    <span
      className={`live live-${live}`}
      data-testid="live-status"
      data-live={live}
      title={liveError ?? undefined}
    >
      {LIVE_TEXT[live]}
    </span>
  );
}

/** Loading, empty, error and "not live" lines of a work-order view. */
export function StatusLines({
  items,
  status,
  error,
  live,
  liveError,
  emptyText,
  nextToken = null,
}: Pick<WorkOrdersState, 'items' | 'status' | 'error' | 'live' | 'liveError'> & {
  emptyText?: string;
  nextToken?: string | null;
}) {
  return (
    <>
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
          {nextToken !== null
            ? 'Nothing matches among the newest work orders; older ones are not read yet.'
            : (emptyText ??
              'No work orders yet. Requests you submit appear here, and so do everyone else’s as they come in.')}
        </p>
      )}
    </>
  );
}

/** Work orders as rows, each linking to its page. */
export function WorkOrderRows({ items }: { items: readonly WorkOrder[] }) {
  const cameFrom = useCameFromState();
  return (
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
          <Link
            className="wo-title"
            to={`/work-orders/${workOrder.id}`}
            state={cameFrom}
            data-testid="work-order-title"
          >
            {workOrder.title}
          </Link>
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
  );
}
