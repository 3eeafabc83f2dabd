import { useEffect, useId, useState } from 'react';
import {
  CATEGORIES,
  PRIORITIES,
  WORK_ORDER_STATUSES,
  type Category,
  type Priority,
  type WorkOrderStatus,
} from '../../../core/work-orders/vocabulary';
import { humanize } from '../../lib/labels';
import type { WorkOrderFilters } from './use-work-orders';

/** Props of {@link WorkOrderFilterBar}. */
export type WorkOrderFilterBarProps = {
  filters: WorkOrderFilters;
  onChange: (filters: WorkOrderFilters) => void;
};

/** How long typing pauses before the search runs, so each keystroke is not a query. */
const SEARCH_DELAY_MS = 300;

/** Status, priority, category and title search; every control labelled. */
export function WorkOrderFilterBar({ filters, onChange }: WorkOrderFilterBarProps) {
  const id = useId();
  const [search, setSearch] = useState(filters.search ?? '');

  useEffect(() => {
    if (search === (filters.search ?? '')) return undefined;
    const timer = window.setTimeout(() => onChange({ ...filters, search }), SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [search, filters, onChange]);

  return (
    <form
      className="filter-bar"
      role="search"
      aria-label="Filter work orders"
      onSubmit={(event) => {
        event.preventDefault();
        onChange({ ...filters, search });
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-search`}>Search titles</label>
        <input
          id={`${id}-search`}
          type="search"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          placeholder="e.g. boiler"
          data-testid="filter-search"
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-status`}>Status</label>
        <select
          id={`${id}-status`}
          value={filters.status ?? ''}
          onChange={(event) =>
            onChange({
              ...filters,
              status: (event.target.value || undefined) as WorkOrderStatus | undefined,
            })
          }
          data-testid="filter-status"
        >
          <option value="">Any</option>
          {WORK_ORDER_STATUSES.map((status) => (
            <option key={status} value={status}>
              {humanize(status)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-priority`}>Priority</label>
        <select
          id={`${id}-priority`}
          value={filters.priority ?? ''}
          onChange={(event) =>
            onChange({
              ...filters,
              priority: (event.target.value || undefined) as Priority | undefined,
            })
          }
          data-testid="filter-priority"
        >
          <option value="">Any</option>
          {PRIORITIES.map((priority) => (
            <option key={priority} value={priority}>
              {humanize(priority)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-category`}>Category</label>
        <select
          id={`${id}-category`}
          value={filters.category ?? ''}
          onChange={(event) =>
            onChange({
              ...filters,
              category: (event.target.value || undefined) as Category | undefined,
            })
          }
          data-testid="filter-category"
        >
          <option value="">Any</option>
          {CATEGORIES.map((category) => (
            <option key={category} value={category}>
              {humanize(category)}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}
