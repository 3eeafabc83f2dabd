import type { Role } from '../../core/organizations/roles';
import type { Environment } from '../lib/amplify-config';
import { CreateOrganization } from '../features/organizations/CreateOrganization';
import { OrganizationSwitcher } from '../features/organizations/OrganizationSwitcher';
import { useCurrentOrganization } from '../features/organizations/use-current-organization';
import { useMe, type Membership } from '../features/organizations/use-me';
import { RequestForm } from '../features/work-orders/RequestForm';
import { WorkOrderList } from '../features/work-orders/WorkOrderList';
import { useWorkOrders } from '../features/work-orders/use-work-orders';
import { AppHeader } from './AppHeader';

/** Props of {@link Workspace}. */
export type WorkspaceProps = {
  userId: string;
  loginId: string | undefined;
  environment: Environment;
  onSignOut: () => void;
};

const NO_MEMBERSHIPS: Membership[] = [];

/** A VIEWER reads everything and changes nothing, so they get no request form. */
const canRequest = (role: Role): boolean => role !== 'VIEWER';

/** Everything after sign-in: who the person is, which organization, its work. */
export function Workspace({ userId, loginId, environment, onSignOut }: WorkspaceProps) {
  const { state, reload } = useMe();
  const memberships = state.status === 'ready' ? state.me.memberships : NO_MEMBERSHIPS;
  const { active, current, select } = useCurrentOrganization(userId, memberships);
  const mailboxUrl = environment.mode === 'local' ? environment.mailboxUrl : undefined;
  const signedInAs = state.status === 'ready' ? state.me.profile.email : loginId;

  return (
    <>
      <AppHeader signedInAs={signedInAs} mailboxUrl={mailboxUrl} onSignOut={onSignOut}>
        {current !== undefined && (
          <OrganizationSwitcher memberships={active} current={current} onSelect={select} />
        )}
      </AppHeader>
      <main className="content" id="main">
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
        {state.status === 'ready' && current === undefined && (
          <CreateOrganization
            onCreated={async (organizationId) => {
              await reload();
              select(organizationId);
            }}
          />
        )}
        {current !== undefined && (
          // Keyed by organization so the list and form start afresh on a switch.
          <OrganizationHome key={current.organizationId} membership={current} />
        )}
      </main>
    </>
  );
}

function OrganizationHome({ membership }: { membership: Membership }) {
  const workOrders = useWorkOrders(membership.organizationId);
  return (
    <div className="home">
      {canRequest(membership.role) && (
        <RequestForm organizationId={membership.organizationId} onSubmitted={workOrders.upsert} />
      )}
      <WorkOrderList
        heading={membership.role === 'MEMBER' ? 'My requests' : 'Work orders'}
        items={workOrders.items}
        status={workOrders.status}
        error={workOrders.error}
        live={workOrders.live}
        liveError={workOrders.liveError}
      />
    </div>
  );
}
