import { useLocation, type Location } from 'react-router-dom';

/** The page a work order was opened from, as a link to it carries it in the router's state. */
export type CameFrom = { pathname: string; search: string };

/** Where a detail page's back link leads, and what it says. */
export type BackLink = { to: string; label: string };

/**
 * The router state for a link to a work order's page: where the person is now, so that page's
 * back link returns here (with this page's filters and view) and names it.
 */
export const cameFromState = (location: Pick<Location, 'pathname' | 'search'>) => ({
  cameFrom: { pathname: location.pathname, search: location.search } satisfies CameFrom,
});

/** {@link cameFromState} for the page being shown. */
export const useCameFromState = () => {
  const { pathname, search } = useLocation();
  return cameFromState({ pathname, search });
};

/** The origin in a location's state, when it is one (state survives reloads: check its shape). */
export const readCameFrom = (state: unknown): CameFrom | undefined => {
  if (typeof state !== 'object' || state === null || !('cameFrom' in state)) return undefined;
  const { cameFrom } = state;
  if (typeof cameFrom !== 'object' || cameFrom === null) return undefined;
  const { pathname, search } = cameFrom as Partial<Record<keyof CameFrom, unknown>>;
  if (typeof pathname !== 'string' || !pathname.startsWith('/')) return undefined;
  return { pathname, search: typeof search === 'string' ? search : '' };
};

/** The pages that link to work orders, named as the main navigation names them. */
const pageName = (pathname: string, staff: boolean): string | undefined => {
  if (pathname === '/work-orders' || pathname === '/') return staff ? 'Work orders' : 'My requests';
  if (pathname === '/my-work') return 'My work';
  if (pathname === '/dashboard') return 'Dashboard';
  if (pathname === '/notifications') return 'Notifications';
  if (pathname === '/inventory' || pathname.startsWith('/inventory/')) return 'Inventory';
  return undefined;
};

/**
 * The back link of a work order's page: to the page it was opened from when that is known (a
 * link inside the app), otherwise to the work-order list (a bookmark, an email's link).
 */
export const backLinkFor = (state: unknown, staff: boolean): BackLink => {
  const origin = readCameFrom(state);
  const label = origin !== undefined ? pageName(origin.pathname, staff) : undefined;
  if (origin === undefined || label === undefined) {
    return { to: '/work-orders', label: staff ? 'Work orders' : 'My requests' };
  }
  return { to: `${origin.pathname}${origin.search}`, label };
};
