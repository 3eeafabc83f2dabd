import { fetchAuthSession } from 'aws-amplify/auth';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { client } from '../../lib/amplify-client';
import { errorMessage, throwOnErrors } from '../../lib/graphql-errors';
import { humanize } from '../../lib/labels';
import type { Me } from '../organizations/use-me';
import { useAction } from '../../lib/use-action';

/** Props of {@link AcceptInvitationPage}. */
export type AcceptInvitationPageProps = {
  me: Me;
  reload: () => Promise<Me | undefined>;
  select: (organizationId: string) => void;
};

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** `/invitations/:memberId?token=…`: what the invitation is, and accepting it. */
export function AcceptInvitationPage({ me, reload, select }: AcceptInvitationPageProps) {
  const { memberId = '' } = useParams();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const { run, busy, error } = useAction();

  const invitation = me.invitations?.find((i) => i.memberId === memberId);
  const membership = me.memberships.find((m) => m.memberId === memberId && m.status === 'ACTIVE');
  const expired =
    invitation?.inviteExpiresAt != null && Date.parse(invitation.inviteExpiresAt) < Date.now();

  const open = (organizationId: string) => {
    select(organizationId);
    navigate('/', { replace: true });
  };

  const accept = async () => {
    if (invitation === undefined) return;
    const joined = await run(async () => {
      const { errors } = await client.mutations.acceptInvitation({ memberId, token });
      throwOnErrors(errors);
      try {
        // The organization's Cognito groups (read access) exist only in a new token.
        await fetchAuthSession({ forceRefresh: true });
      } catch (err) {
        throw new Error(
          `You joined ${invitation.organizationName}, but your session could not be refreshed ` +
            `(${errorMessage(err)}). Sign out and in again to open it.`,
          { cause: err },
        );
      }
      await reload();
      return true;
    });
    if (joined === true) open(invitation.organizationId);
  };

  let body;
  if (membership !== undefined) {
    body = (
      <div data-testid="invitation-accepted">
        <p>
          You are already a member of <strong>{membership.organizationName}</strong> as{' '}
          {humanize(membership.role)}.
        </p>
        <button type="button" className="primary" onClick={() => open(membership.organizationId)}>
          Open {membership.organizationName}
        </button>
      </div>
    );
  } else if (invitation === undefined) {
    body = (
      <div data-testid="invitation-not-for-you">
        <p>
          There is no open invitation for <strong>{me.profile.email}</strong> at this link. It may
          have been sent to another address, withdrawn, or already used.
        </p>
        <p className="muted">
          If it was sent to another address, sign out (top right) and sign in or sign up with that
          address. Otherwise ask whoever invited you for a new invitation.
        </p>
      </div>
    );
  } else if (token === '') {
    body = (
      <p className="error" role="alert" data-testid="invitation-no-token">
        This link is incomplete (it has no token). Open the link from the invitation email again.
      </p>
    );
  } else if (expired) {
    body = (
      <p className="error" role="alert" data-testid="invitation-expired">
        This invitation to {invitation.organizationName} expired
        {invitation.inviteExpiresAt
          ? ` on ${dateTime.format(new Date(invitation.inviteExpiresAt))}`
          : ''}
        . Ask whoever invited you to send a new one.
      </p>
    );
  } else {
    body = (
      <div data-testid="invitation-open">
        <p>
          You are invited to join{' '}
          <strong data-testid="invitation-organization">{invitation.organizationName}</strong> as{' '}
          <strong>{humanize(invitation.role)}</strong>.
        </p>
        {invitation.inviteExpiresAt && (
          <p className="muted">
            The invitation is valid until {dateTime.format(new Date(invitation.inviteExpiresAt))}.
          </p>
        )}
        {error !== null && (
          <p className="error" role="alert" data-testid="invitation-error">
            {error}
          </p>
        )}
        <button type="button" className="primary" disabled={busy} onClick={() => void accept()}>
          {busy ? 'Joining…' : 'Accept invitation'}
        </button>
      </div>
    );
  }

  return (
    <section
      className="card onboarding"
      aria-labelledby="invitation-heading"
      data-testid="accept-page"
    >
      <h1 id="invitation-heading">Invitation</h1>
      {body}
    </section>
  );
}
