import { lazy, Suspense, useMemo } from 'react';
import { Navigate, NavLink, Route, Routes, useMatch } from 'react-router-dom';
import { can } from '../../core/organizations/permissions';
import type { Environment } from '../lib/amplify-config';
import { CreateOrganization } from '../features/organizations/CreateOrganization';
import { OrganizationSwitcher } from '../features/organizations/OrganizationSwitcher';
import { useCurrentOrganization } from '../features/organizations/use-current-organization';
import { useMe, type Me, type Membership } from '../features/organizations/use-me';
import { NotificationBell } from '../features/notifications/NotificationBell';
import {
  NotificationsContext,
  useNotifications,
} from '../features/notifications/use-notifications';
import { AppHeader } from './AppHeader';
import { WorkspaceContext, type WorkspaceContextValue } from './workspace-context';

// Pages load on first visit, so sign-in ships only the shell (bundle budget: 300 KB gzip).
const WorkOrdersPage = lazy(() =>
  import('../features/work-orders/WorkOrdersPage').then((m) => ({ default: m.WorkOrdersPage })),
);
const WorkOrderDetailPage = lazy(() =>
  import('../features/work-orders/WorkOrderDetailPage').then((m) => ({
    default: m.WorkOrderDetailPage,
  })),
);
const MyWorkPage = lazy(() =>
  import('../features/work-orders/MyWorkPage').then((m) => ({ default: m.MyWorkPage })),
);
const MembersPage = lazy(() =>
  import('../features/members/MembersPage').then((m) => ({ default: m.MembersPage })),
);
const AcceptInvitationPage = lazy(() =>
  import('../features/invitations/AcceptInvitationPage').then((m) => ({
    default: m.AcceptInvitationPage,
  })),
);
const SettingsPage = lazy(() =>
  import('../features/settings/SettingsPage').then((m) => ({ default: m.SettingsPage })),
);
const DashboardPage = lazy(() =>
  import('../features/dashboard/DashboardPage').then((m) => ({ default: m.DashboardPage })),
);
const InventoryPage = lazy(() =>
  import('../features/inventory/InventoryPage').then((m) => ({ default: m.InventoryPage })),
);
const NotificationsPage = lazy(() =>
  import('../features/notifications/NotificationsPage').then((m) => ({
    default: m.NotificationsPage,
  })),
);

/** Props of {@link Workspace}. */
export type WorkspaceProps = {
  userId: string;
  loginId: string | undefined;
  environment: Environment;
  onSignOut: () => void;
};

const NO_MEMBERSHIPS: Membership[] = [];

const pageLoading = (
  <p className="muted" data-testid="page-loading">
    Loading…
  </p>
);

/** Everything after sign-in: who the person is, which organization, and its pages. */
export function Workspace({ userId, loginId, environment, onSignOut }: WorkspaceProps) {
  const { state, reload } = useMe();
  const memberships = state.status === 'ready' ? state.me.memberships : NO_MEMBERSHIPS;
  const { active, current, select } = useCurrentOrganization(userId, memberships);
  const mailboxUrl = environment.mode === 'local' ? environment.mailboxUrl : undefined;
  const signedInAs = state.status === 'ready' ? state.me.profile.email : loginId;
  // An invitation link works with or without an organization, so it is routed before the check.
  const onInvitation = useMatch('/invitations/:memberId') !== null;
  const notifications = useNotifications(userId);

  return (
    <NotificationsContext.Provider value={notifications}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppHeader
        signedInAs={signedInAs}
        mailboxUrl={mailboxUrl}
        onSignOut={onSignOut}
        bell={state.status === 'ready' ? <NotificationBell /> : undefined}
      >
        {current !== undefined && (
          <OrganizationSwitcher memberships={active} current={current} onSelect={select} />
        )}
      </AppHeader>
      {current !== undefined && <MainNav membership={current} />}
      <main className="content" id="main" tabIndex={-1}>
        {state.status === 'loading' && (
          <p className="muted" data-testid="me-loading">
            Loading your organizations…
          </p>
        )}
        {state.status === 'error' && (
          <div className="card">
            <p className="error" role="alert" data-testid="me-error">
              Could not load your profile: {state.message}
            </p>
            <button type="button" onClick={() => void reload()}>
              Try again
            </button>
          </div>
        )}
        {state.status === 'ready' && onInvitation && (
          <Suspense fallback={pageLoading}>
            <Routes>
              <Route
                path="/invitations/:memberId"
                element={<AcceptInvitationPage me={state.me} reload={reload} select={select} />}
              />
            </Routes>
          </Suspense>
        )}
        {state.status === 'ready' && !onInvitation && current === undefined && (
          <CreateOrganization
            onCreated={async (organizationId) => {
              await reload();
              select(organizationId);
            }}
          />
        )}
        {state.status === 'ready' && !onInvitation && current !== undefined && (
          // Keyed by organization so every page starts afresh on a switch.
          <OrganizationPages
            key={current.organizationId}
            userId={userId}
            me={state.me}
            membership={current}
            reload={reload}
            select={select}
          />
        )}
      </main>
    </NotificationsContext.Provider>
  );
}

function MainNav({ membership }: { membership: Membership }) {
  const staff = can(membership.role, 'workOrders.readAll');
  return (
    <nav className="main-nav" aria-label="Main">
      {can(membership.role, 'reports.read') && <NavLink to="/dashboard">Dashboard</NavLink>}
      <NavLink to="/work-orders">{staff ? 'Work orders' : 'My requests'}</NavLink>
      {can(membership.role, 'workOrders.progress') && <NavLink to="/my-work">My work</NavLink>}
      {staff && <NavLink to="/inventory">Inventory</NavLink>}
      <NavLink to="/notifications">Notifications</NavLink>
      {can(membership.role, 'members.read') && <NavLink to="/members">Members</NavLink>}
      <NavLink to="/settings">Settings</NavLink>
    </nav>
  );
}

/** Managers and up start on the dashboard; everyone else on their work orders or requests. */
const landsOnDashboard = (membership: Membership): boolean =>
  can(membership.role, 'workOrders.assign');

function OrganizationPages(props: WorkspaceContextValue & { me: Me }) {
  const { userId, me, membership, reload, select } = props;
  const value = useMemo(
    () => ({ userId, me, membership, reload, select }),
    [userId, me, membership, reload, select],
  );
  return (
    <WorkspaceContext.Provider value={value}>
      <Suspense fallback={pageLoading}>
        <Routes>
          <Route
            path="/"
            element={
              landsOnDashboard(membership) ? (
                <Navigate to="/dashboard" replace />
              ) : (
                <WorkOrdersPage />
              )
            }
          />
          <Route path="/work-orders" element={<WorkOrdersPage />} />
          <Route
            path="/dashboard"
            element={can(membership.role, 'reports.read') ? <DashboardPage /> : <NotFound />}
          />
          <Route
            path="/inventory"
            element={can(membership.role, 'workOrders.readAll') ? <InventoryPage /> : <NotFound />}
          />
          <Route
            path="/inventory/:id"
            element={can(membership.role, 'workOrders.readAll') ? <InventoryPage /> : <NotFound />}
          />
          <Route path="/notifications" element={<NotificationsPage />} />
          <Route path="/work-orders/:id" element={<WorkOrderDetailPage />} />
          <Route path="/my-work" element={<MyWorkPage />} />
          <Route path="/members" element={<MembersPage />} />
          <Route path="/settings" element={<SettingsPage />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
    </WorkspaceContext.Provider>
  );
}

function NotFound() {
  return (
    <section className="card" data-testid="not-found">
      <h1>Page not found</h1>
      <p>
        Nothing lives at this address. <NavLink to="/work-orders">Go to the work orders</NavLink>.
      </p>
    </section>
  );
}
