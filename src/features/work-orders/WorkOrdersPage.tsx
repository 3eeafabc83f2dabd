import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { can } from '../../../core/organizations/permissions';
import {
  CATEGORIES,
  PRIORITIES,
  WORK_ORDER_STATUSES,
  type Category,
  type Priority,
  type WorkOrderStatus,
} from '../../../core/work-orders/vocabulary';
import { useWorkspace } from '../../app/workspace-context';
import { RequestForm } from './RequestForm';
import { BOARD_STATUSES, WorkOrderBoard } from './WorkOrderBoard';
import { WorkOrderFilterBar } from './WorkOrderFilterBar';
import { LiveBadge, LoadMore, StatusLines, WorkOrderRows } from './WorkOrderList';
import { useWorkOrders, type WorkOrderFilters } from './use-work-orders';

type View = 'board' | 'list';

const oneOf = <T extends string>(values: readonly T[], raw: string | null): T | undefined =>
  values.find((value) => value === raw);

/** Filters live in the URL, so a filtered view can be bookmarked, shared and gone back to. */
const filtersFrom = (params: URLSearchParams): WorkOrderFilters => ({
  status: oneOf<WorkOrderStatus>(WORK_ORDER_STATUSES, params.get('status')),
  priority: oneOf<Priority>(PRIORITIES, params.get('priority')),
  category: oneOf<Category>(CATEGORIES, params.get('category')),
  search: params.get('q') ?? undefined,
});

/** The organization's work orders as a board or a list, filtered, live; with the request form. */
export function WorkOrdersPage() {
  const { membership } = useWorkspace();
  const [params, setParams] = useSearchParams();
  const staff = can(membership.role, 'workOrders.readAll');
  // MEMBERs follow a handful of their own requests: a list suits that; staff triage on the board.
  const view: View =
    oneOf<View>(['board', 'list'], params.get('view')) ?? (staff ? 'board' : 'list');
  const paramsKey = params.toString();
  const filters = useMemo(() => filtersFrom(new URLSearchParams(paramsKey)), [paramsKey]);
  const workOrders = useWorkOrders({
    kind: 'organization',
    organizationId: membership.organizationId,
    filters,
  });

  const setFilters = useCallback(
    (next: WorkOrderFilters) => {
      setParams(
        (previous) => {
          const updated = new URLSearchParams(previous);
          const entries: [string, string | undefined][] = [
            ['status', next.status],
            ['priority', next.priority],
            ['category', next.category],
            ['q', next.search?.trim() || undefined],
          ];
          for (const [key, value] of entries) {
            if (value === undefined) updated.delete(key);
            else updated.set(key, value);
          }
          return updated;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  const setView = (next: View) =>
    setParams((previous) => {
      const updated = new URLSearchParams(previous);
      updated.set('view', next);
      return updated;
    });

  const filtered =
    filters.status !== undefined ||
    filters.priority !== undefined ||
    filters.category !== undefined ||
    (filters.search ?? '') !== '';
  const heading = staff ? 'Work orders' : 'My requests';

  return (
    <div className={can(membership.role, 'workOrders.submit') ? 'home' : 'home single'}>
      {can(membership.role, 'workOrders.submit') && (
        <RequestForm organizationId={membership.organizationId} onSubmitted={workOrders.upsert} />
      )}
      <section
        className="card"
        aria-labelledby="work-orders-heading"
        aria-busy={workOrders.status === 'loading'}
      >
        <div className="section-head">
          <h2 id="work-orders-heading">{heading}</h2>
          <div className="view-switch" role="group" aria-label="View">
            {(['board', 'list'] as const).map((option) => (
              <button
                key={option}
                type="button"
                aria-pressed={view === option}
                onClick={() => setView(option)}
                data-testid={`view-${option}`}
              >
                {option === 'board' ? 'Board' : 'List'}
              </button>
            ))}
          </div>
          <LiveBadge live={workOrders.live} liveError={workOrders.liveError} />
        </div>
        <WorkOrderFilterBar filters={filters} onChange={setFilters} />
        <StatusLines
          {...workOrders}
          emptyText={
            filtered
              ? 'No work orders match these filters.'
              : staff
                ? 'No work orders yet. Requests appear here as they come in.'
                : 'You have not asked for anything yet. Use the form to request maintenance.'
          }
        />
        {workOrders.items.length > 0 && view === 'list' && (
          <WorkOrderRows items={workOrders.items} />
        )}
        {view === 'board' && workOrders.status !== 'loading' && (
          <WorkOrderBoard
            items={workOrders.items}
            statuses={filters.status !== undefined ? [filters.status] : BOARD_STATUSES}
          />
        )}
        <LoadMore {...workOrders} />
      </section>
    </div>
  );
}
