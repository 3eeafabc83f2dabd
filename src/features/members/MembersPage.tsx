import { useId, useState, type FormEvent } from 'react';
import { can } from '../../../core/organizations/permissions';
import { ROLES, type Role } from '../../../core/organizations/roles';
import { ConfirmDialog } from '../../app/ConfirmDialog';
import { useWorkspace } from '../../app/workspace-context';
import { client } from '../../lib/amplify-client';
import { throwOnErrors, type GraphqlErrorLike } from '../../lib/graphql-errors';
import { humanize } from '../../lib/labels';
import { useAction } from '../../lib/use-action';
import { memberLabel, useMembers, type Member } from './use-members';

/** Roles an invitation or role change may give: ownership moves only by transfer. */
const ASSIGNABLE_ROLES = ROLES.filter((role) => role !== 'OWNER');

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A change that waits for the person to confirm it. */
type Pending = { kind: 'remove' | 'transfer'; member: Member } | null;

/**
 * The member list carries email addresses, so it is for staff only (the server returns no row to
 * anyone else); a requester who follows a link here is told who to ask instead.
 */
export function MembersPage() {
  const { membership } = useWorkspace();
  if (can(membership.role, 'members.read')) return <MemberList />;
  return (
    <section className="card" aria-labelledby="members-heading">
      <h1 id="members-heading">Members of {membership.organizationName}</h1>
      <p data-testid="members-staff-only">
        The member list is for staff. To reach someone, add a comment to your request.
      </p>
    </section>
  );
}

/** Members with role and status, pending invitations; OWNER and ADMIN manage them. */
function MemberList() {
  const { membership, userId, reload: reloadMe } = useWorkspace();
  const members = useMembers(membership.organizationId);
  const manage = can(membership.role, 'members.changeRole');
  const { run: runAction, busy, error } = useAction();
  const [done, setDone] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending>(null);

  /** Runs one member operation, shows its typed error's message, and re-reads the list. */
  const run = async (
    success: string,
    operation: () => Promise<{ errors?: readonly GraphqlErrorLike[] }>,
  ): Promise<boolean> => {
    setDone(null);
    const ok = await runAction(async () => {
      const { errors } = await operation();
      throwOnErrors(errors);
      setDone(success);
      await members.reload();
      return true;
    });
    return ok === true;
  };

  const confirm = () => {
    if (pending === null) return;
    const { kind, member } = pending;
    setPending(null);
    if (kind === 'remove') {
      void run(`${memberLabel(member)} removed.`, () =>
        client.mutations.removeMember({ memberId: member.id }),
      );
      return;
    }
    void run(`${memberLabel(member)} is now the owner.`, () =>
      client.mutations.transferOwnership({
        organizationId: membership.organizationId,
        memberId: member.id,
      }),
    ).then(async (ok) => {
      // Your own role changed: the header and permissions follow `me`.
      if (ok) await reloadMe();
    });
  };

  const active = members.members.filter((m) => m.status !== 'INVITED');
  const invited = members.members.filter((m) => m.status === 'INVITED');

  return (
    <div className="members-page">
      {can(membership.role, 'members.invite') && (
        <InviteForm
          busy={busy}
          onInvite={(email, role) =>
            run(`Invitation sent to ${email}.`, () =>
              client.mutations.inviteMember({
                organizationId: membership.organizationId,
                email,
                role,
              }),
            )
          }
        />
      )}
      <section
        className="card"
        aria-labelledby="members-heading"
        aria-busy={members.status === 'loading'}
      >
        <h1 id="members-heading">Members of {membership.organizationName}</h1>
        {!manage && <p className="muted">Only owners and admins change memberships.</p>}
        <p className="result" role="status" aria-live="polite" data-testid="members-result">
          {done}
        </p>
        {error !== null && (
          <p className="error" role="alert" data-testid="members-error">
            {error}
          </p>
        )}
        {members.status === 'loading' && <p className="muted">Loading members…</p>}
        {members.status === 'error' && (
          <p className="error" role="alert">
            Could not load the members: {members.error}
          </p>
        )}
        {members.status === 'ready' && active.length === 0 && (
          <p className="empty">No members yet.</p>
        )}
        <ul className="member-list" data-testid="member-list">
          {active.map((member) => (
            <MemberRow
              key={member.id}
              member={member}
              self={member.userId === userId}
              manage={manage && member.role !== 'OWNER'}
              transfer={
                can(membership.role, 'organization.transfer') &&
                member.status === 'ACTIVE' &&
                member.userId !== userId
              }
              busy={busy}
              onRole={(role) =>
                void run(`${memberLabel(member)} is now ${humanize(role)}.`, () =>
                  client.mutations.updateMemberRole({ memberId: member.id, role }),
                )
              }
              onSuspend={(suspended) =>
                void run(`${memberLabel(member)} ${suspended ? 'suspended' : 'reactivated'}.`, () =>
                  client.mutations.setMemberSuspended({ memberId: member.id, suspended }),
                )
              }
              onRemove={() => setPending({ kind: 'remove', member })}
              onTransfer={() => setPending({ kind: 'transfer', member })}
            />
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="invited-heading">
        <h2 id="invited-heading">Pending invitations</h2>
        {members.status === 'ready' && invited.length === 0 && (
          <p className="empty">No invitations waiting.</p>
        )}
        <ul className="member-list" data-testid="invitation-list">
          {invited.map((member) => {
            const expired =
              member.inviteExpiresAt != null && Date.parse(member.inviteExpiresAt) < Date.now();
            return (
              <li
                key={member.id}
                className="member"
                data-testid="invitation-row"
                data-email={member.email}
              >
                <span className="member-name">{member.email}</span>
                <span className="member-meta">
                  <span className="badge">{humanize(member.role)}</span>
                  <span className={expired ? 'badge expired' : 'badge status-new'}>
                    {expired ? 'Expired' : 'Invited'}
                  </span>
                  {member.inviteExpiresAt && (
                    <span className="muted small">
                      {expired ? 'expired ' : 'expires '}
                      {dateTime.format(new Date(member.inviteExpiresAt))}
                    </span>
                  )}
                </span>
                {manage && (
                  <span className="member-actions">
                    <button
                      type="button"
                      disabled={busy}
                      onClick={() =>
                        void run(`Invitation for ${member.email} withdrawn.`, () =>
                          client.mutations.removeMember({ memberId: member.id }),
                        )
                      }
                    >
                      Withdraw
                    </button>
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      </section>
      <ConfirmDialog
        title={pending?.kind === 'transfer' ? 'Transfer ownership' : 'Remove member'}
        confirmText={pending?.kind === 'transfer' ? 'Make owner' : 'Remove'}
        danger={pending?.kind === 'remove'}
        open={pending !== null}
        onConfirm={confirm}
        onCancel={() => setPending(null)}
        testId="member-confirm"
      >
        {pending?.kind === 'transfer'
          ? `Make ${memberLabel(pending.member)} the owner? You will become an admin.`
          : pending !== null
            ? `Remove ${memberLabel(pending.member)} from ${membership.organizationName}?`
            : null}
      </ConfirmDialog>
    </div>
  );
}

function InviteForm({
  busy,
  onInvite,
}: {
  busy: boolean;
  onInvite: (email: string, role: Role) => Promise<boolean>;
}) {
  const id = useId();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('MEMBER');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = email.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed)) {
      setError('Enter an email address such as name@example.org.');
      return;
    }
    setError(null);
    if (await onInvite(trimmed, role)) setEmail('');
  };
  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Invite someone</h2>
      <form
        className="invite-form"
        onSubmit={(event) => void submit(event)}
        noValidate
        data-testid="invite-form"
      >
        <div className="field">
          <label htmlFor={`${id}-email`}>Email</label>
          <input
            id={`${id}-email`}
            type="email"
            autoComplete="off"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            aria-invalid={error !== null}
            aria-describedby={error !== null ? `${id}-error` : undefined}
            data-testid="invite-email"
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>Role</label>
          <select
            id={`${id}-role`}
            value={role}
            onChange={(event) => setRole(event.target.value as Role)}
            data-testid="invite-role"
          >
            {ASSIGNABLE_ROLES.map((r) => (
              <option key={r} value={r}>
                {humanize(r)}
              </option>
            ))}
          </select>
        </div>
        {error !== null && (
          <p id={`${id}-error`} className="error wide" role="alert">
            {error}
          </p>
        )}
        <div className="actions wide">
          <button type="submit" className="primary" disabled={busy}>
            Send invitation
          </button>
        </div>
      </form>
    </section>
  );
}

function MemberRow(props: {
  member: Member;
  self: boolean;
  manage: boolean;
  transfer: boolean;
  busy: boolean;
  onRole: (role: Role) => void;
  onSuspend: (suspended: boolean) => void;
  onRemove: () => void;
  onTransfer: () => void;
}) {
  const { member, self, manage, transfer, busy } = props;
  const id = useId();
  const suspended = member.status === 'SUSPENDED';
  return (
    <li
      className="member"
      data-testid="member-row"
      data-email={member.email}
      data-status={member.status}
      data-role={member.role}
    >
      <span className="member-name">
        {memberLabel(member)}
        {self && <span className="muted"> (you)</span>}
        {member.displayName && <span className="muted small block">{member.email}</span>}
      </span>
      <span className="member-meta">
        {manage && !self ? (
          <>
            <label htmlFor={`${id}-role`} className="visually-hidden">
              Role of {memberLabel(member)}
            </label>
            <select
              id={`${id}-role`}
              value={member.role}
              disabled={busy}
              onChange={(event) => props.onRole(event.target.value as Role)}
            >
              {ASSIGNABLE_ROLES.map((r) => (
                <option key={r} value={r}>
                  {humanize(r)}
                </option>
              ))}
            </select>
          </>
        ) : (
          <span className="badge">{humanize(member.role)}</span>
        )}
        <span className={suspended ? 'badge expired' : 'badge status-completed'}>
          {humanize(member.status)}
        </span>
      </span>
      {(manage || transfer) && !self && (
        <span className="member-actions">
          {manage && (
            <button type="button" disabled={busy} onClick={() => props.onSuspend(!suspended)}>
              {suspended ? 'Reactivate' : 'Suspend'}
            </button>
          )}
          {manage && (
            <button type="button" className="danger" disabled={busy} onClick={props.onRemove}>
              Remove
            </button>
          )}
          {transfer && (
            <button type="button" disabled={busy} onClick={props.onTransfer}>
              Make owner
            </button>
          )}
        </span>
      )}
    </li>
  );
}
