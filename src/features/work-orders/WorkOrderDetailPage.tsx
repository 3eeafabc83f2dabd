import { useId, useState, type FormEvent } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { can } from '../../../core/organizations/permissions';
import { workOrderLabel } from '../../../core/work-orders/vocabulary';
import { useWorkspace } from '../../app/workspace-context';
import { client } from '../../lib/amplify-client';
import { throwOnErrors } from '../../lib/graphql-errors';
import { humanize } from '../../lib/labels';
import { PartsUsed } from './PartsUsed';
import { backLinkFor } from './came-from';
import { WorkOrderActions } from './WorkOrderActions';
import { LiveBadge, assigneeText } from './WorkOrderList';
import { useWorkOrder, type WorkOrderEvent } from './use-work-order';
import { useAction } from '../../lib/use-action';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

const formatAt = (iso: string | null | undefined, format = dateTime): string | undefined =>
  iso ? format.format(new Date(iso)) : undefined;

/** One work order: its fields, the actions the caller may take, its live timeline, comments. */
export function WorkOrderDetailPage() {
  const { id = '' } = useParams();
  const { membership, userId } = useWorkspace();
  const state = useWorkOrder(membership.organizationId, id);
  const { workOrder } = state;
  // Back to the page this was opened from (My work, a filtered list, …), named as the menu names it.
  const back = backLinkFor(useLocation().state, can(membership.role, 'workOrders.readAll'));
  const backLink = (
    <Link to={back.to} data-testid="detail-back">
      ← {back.label}
    </Link>
  );

  if (workOrder === null) {
    return (
      <section className="card" aria-busy={state.status === 'loading'}>
        <p>{backLink}</p>
        {state.status === 'loading' && (
          <p className="muted" data-testid="detail-loading">
            Loading the work order…
          </p>
        )}
        {state.status === 'not-found' && (
          <p className="empty" data-testid="detail-not-found">
            This work order does not exist in {membership.organizationName}, or you may not see it.
          </p>
        )}
        {state.status === 'error' && (
          <>
            <p className="error" role="alert">
              Could not load the work order: {state.error}
            </p>
            <button type="button" onClick={() => void state.reload()}>
              Try again
            </button>
          </>
        )}
      </section>
    );
  }

  const fields: [string, string | undefined][] = [
    ['Priority', humanize(workOrder.priority)],
    ['Category', humanize(workOrder.category)],
    ['Type', humanize(workOrder.type)],
    ['Location', workOrder.locationText ?? undefined],
    ['Requested by', workOrder.requesterName ?? undefined],
    ['Assignee', assigneeText(workOrder)],
    ['Due', formatAt(workOrder.dueAt, dateOnly)],
    ['Submitted', formatAt(workOrder.createdAt)],
    ['Started', formatAt(workOrder.startedAt)],
    ['Completed', formatAt(workOrder.completedAt)],
    ['Labour', workOrder.laborMinutes != null ? `${workOrder.laborMinutes} min` : undefined],
    ['Closed', formatAt(workOrder.closedAt)],
  ];

  return (
    <div className="detail" data-testid="work-order-detail" data-status={workOrder.status}>
      <p className="breadcrumb">{backLink}</p>
      <section className="card" aria-labelledby="detail-heading">
        <div className="section-head">
          <h1 id="detail-heading">
            <span className="wo-number">{workOrderLabel(workOrder.number)}</span> {workOrder.title}
          </h1>
          <LiveBadge live={state.live} liveError={state.liveError} />
        </div>
        <p>
          <span
            className={`badge status-${workOrder.status.toLowerCase()}`}
            data-testid="detail-status"
          >
            <span className="visually-hidden">Status: </span>
            {humanize(workOrder.status)}
          </span>
        </p>
        {workOrder.description && <p className="description">{workOrder.description}</p>}
        <dl className="fields">
          {fields
            .filter((entry): entry is [string, string] => entry[1] !== undefined)
            .map(([label, value]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
        </dl>
        {workOrder.completionNotes && (
          <p>
            <strong>Completion notes:</strong> {workOrder.completionNotes}
          </p>
        )}
      </section>
      <WorkOrderActions
        workOrder={workOrder}
        userId={userId}
        role={membership.role}
        onChanged={state.accept}
        onConflict={state.reload}
      />
      {can(membership.role, 'workOrders.readAll') && (
        // MEMBERs do not read the ledger (its rules grant staff groups only).
        <PartsUsed
          organizationId={membership.organizationId}
          workOrderId={workOrder.id}
          canUse={can(membership.role, 'inventory.use')}
        />
      )}
      <section className="card" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        {state.eventsError !== null && (
          <p className="error" role="alert">
            Could not load the timeline: {state.eventsError}
          </p>
        )}
        {state.events.length === 0 && state.eventsError === null && (
          <p className="muted">Nothing recorded yet.</p>
        )}
        <ol className="timeline" data-testid="timeline">
          {state.events.map((event) => (
            <TimelineEntry key={event.id} event={event} />
          ))}
        </ol>
        {can(membership.role, 'comments.add') && (
          <CommentBox workOrderId={workOrder.id} onAdded={() => void state.refreshTimeline()} />
        )}
      </section>
    </div>
  );
}

/** What a timeline entry says happened, after the actor's name. */
const describe = (event: WorkOrderEvent): string => {
  switch (event.kind) {
    case 'SUBMITTED':
      return 'submitted the request';
    case 'PUBLISHED':
      return 'submitted the draft';
    case 'ASSIGNED':
      return 'assigned it';
    case 'REASSIGNED':
      return 'reassigned it';
    case 'UNASSIGNED':
      return 'unassigned it';
    case 'STARTED':
      return 'started work';
    case 'PAUSED':
      return 'put it on hold';
    case 'RESUMED':
      return 'resumed work';
    case 'COMPLETED':
      return 'completed it';
    case 'REJECTED':
      return 'rejected the work';
    case 'CLOSED':
      return 'closed it';
    case 'CANCELLED':
      return 'cancelled it';
    case 'COMMENT':
      return 'commented';
    default:
      return humanize(event.kind).toLowerCase();
  }
};

function TimelineEntry({ event }: { event: WorkOrderEvent }) {
  const comment = event.kind === 'COMMENT';
  return (
    <li
      className={comment ? 'timeline-entry comment' : 'timeline-entry'}
      data-testid="timeline-entry"
      data-kind={event.kind}
    >
      <div>
        <strong>{event.actorName ?? 'Someone'}</strong> {describe(event)}
        {event.fromStatus && event.toStatus && event.fromStatus !== event.toStatus && (
          <span className="muted">
            {' '}
            ({humanize(event.fromStatus)} → {humanize(event.toStatus)})
          </span>
        )}
        <time className="muted small" dateTime={event.at}>
          {' · '}
          {formatAt(event.at)}
        </time>
      </div>
      {event.note &&
        (comment ? <blockquote>{event.note}</blockquote> : <p className="note">{event.note}</p>)}
    </li>
  );
}

function CommentBox({ workOrderId, onAdded }: { workOrderId: string; onAdded: () => void }) {
  const id = useId();
  const [body, setBody] = useState('');
  const { run, busy, error, fail } = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (body.trim() === '') {
      fail('Write something first.');
      return;
    }
    await run(async () => {
      const { errors } = await client.mutations.addWorkOrderComment({
        workOrderId,
        body: body.trim(),
      });
      throwOnErrors(errors);
      setBody('');
      onAdded();
    });
  };
  return (
    <form className="comment-box" onSubmit={(event) => void submit(event)} noValidate>
      <div className="field">
        <label htmlFor={`${id}-comment`}>Add a comment</label>
        <textarea
          id={`${id}-comment`}
          rows={3}
          maxLength={4000}
          value={body}
          onChange={(event) => setBody(event.target.value)}
          aria-invalid={error !== null}
          aria-describedby={error !== null ? `${id}-error` : undefined}
          data-testid="comment-body"
        />
      </div>
      {error !== null && (
        <p id={`${id}-error`} className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? 'Posting…' : 'Post comment'}
      </button>
    </form>
  );
}
