import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { can } from '../../../core/organizations/permissions';
import type { Role } from '../../../core/organizations/roles';
import {
  MAX_TRANSITION_NOTE_LENGTH,
  type WorkOrderStatus,
} from '../../../core/work-orders/vocabulary';
import { ConfirmDialog } from '../../app/ConfirmDialog';
import { Dialog } from '../../app/Dialog';
import { client } from '../../lib/amplify-client';
import { hasErrorType, throwOnErrors } from '../../lib/graphql-errors';
import { humanize } from '../../lib/labels';
import { memberLabel, useMembers } from '../members/use-members';
import { actionsFor, type WorkOrderAction } from './work-order-actions';
import type { WorkOrder } from './use-work-orders';
import { useAction } from '../../lib/use-action';
import { useBackGuard } from './use-back-guard';

/** Props of {@link WorkOrderActions}. */
export type WorkOrderActionsProps = {
  workOrder: WorkOrder;
  userId: string;
  role: Role;
  /** Receives the server's answer, so the page updates before the live event. */
  onChanged: (workOrder: WorkOrder) => void;
  /** Someone else changed the work order first: read it again. */
  onConflict: () => Promise<void>;
};

const CONFLICT_TEXT = 'Someone else changed this work order — reloaded. Check it and try again.';

/** The buttons the caller's role and the work order's state allow, with their dialogs. */
export function WorkOrderActions({
  workOrder,
  userId,
  role,
  onChanged,
  onConflict,
}: WorkOrderActionsProps) {
  const mutation = useAction();
  const { busy } = mutation;
  /** Whether the last failure was someone else's change (a warning, not an error). */
  const [conflict, setConflict] = useState(false);
  const [dialog, setDialog] = useState<WorkOrderAction | null>(null);
  /** Whether the open dialog holds text the person typed (Back then asks before losing it). */
  const [typed, setTyped] = useState(false);
  const closeDialog = useCallback(() => setDialog(null), []);
  const back = useBackGuard(dialog !== null && typed, closeDialog);
  const actions = actionsFor(workOrder, { userId, role });

  const run = async (
    operation: () => Promise<{
      data?: WorkOrder | null;
      errors?: readonly { message?: string; errorType?: string }[];
    }>,
  ) => {
    setConflict(false);
    await mutation.run(async () => {
      try {
        const { data, errors } = await operation();
        throwOnErrors(errors);
        if (data === null || data === undefined) throw new Error('The server returned nothing.');
        onChanged(data);
        setDialog(null);
      } catch (err) {
        if (!hasErrorType(err, 'CONFLICT')) throw err;
        setDialog(null);
        setConflict(true);
        await onConflict();
        throw new Error(CONFLICT_TEXT, { cause: err });
      }
    });
  };

  const assign = (assigneeId: string | undefined) =>
    run(() =>
      client.mutations.assignWorkOrder({
        id: workOrder.id,
        expectedVersion: workOrder.version,
        ...(assigneeId !== undefined ? { assigneeId } : {}),
      }),
    );

  const transition = (
    to: WorkOrderStatus,
    extra: { note?: string; laborMinutes?: number; completionNotes?: string } = {},
  ) =>
    run(() =>
      client.mutations.transitionWorkOrder({
        id: workOrder.id,
        to,
        expectedVersion: workOrder.version,
        ...extra,
      }),
    );

  if (actions.length === 0 && mutation.error === null) return null;

  return (
    <section className="card" aria-labelledby="actions-heading">
      <h2 id="actions-heading" className="visually-hidden">
        Actions
      </h2>
      <div className="actions" data-testid="work-order-actions">
        {actions.map((action) => {
          switch (action.kind) {
            case 'take':
              return (
                <button
                  key="take"
                  type="button"
                  className="primary"
                  disabled={busy}
                  onClick={() => void assign(userId)}
                >
                  Take it
                </button>
              );
            case 'assign':
              return (
                <button
                  key="assign"
                  type="button"
                  disabled={busy}
                  onClick={() => setDialog(action)}
                >
                  {workOrder.assigneeId ? 'Reassign…' : 'Assign…'}
                </button>
              );
            case 'unassign':
              return (
                <button
                  key="unassign"
                  type="button"
                  disabled={busy}
                  onClick={() => void assign(undefined)}
                >
                  Unassign
                </button>
              );
            case 'transition':
              return (
                <button
                  key={`to-${action.to}`}
                  type="button"
                  className={
                    action.to === 'CANCELLED'
                      ? 'danger'
                      : action.to === 'IN_PROGRESS' ||
                          action.to === 'COMPLETED' ||
                          action.to === 'CLOSED'
                        ? 'primary'
                        : undefined
                  }
                  disabled={busy}
                  data-testid={`action-${action.to}`}
                  onClick={() =>
                    action.needsDialog ? setDialog(action) : void transition(action.to)
                  }
                >
                  {action.label}
                </button>
              );
            default: {
              const unknown: never = action;
              return unknown;
            }
          }
        })}
      </div>
      {mutation.error !== null && (
        <p className={conflict ? 'warning' : 'error'} role="alert" data-testid="action-error">
          {mutation.error}
        </p>
      )}
      {dialog?.kind === 'assign' && (
        <AssignDialog
          organizationId={workOrder.organizationId}
          currentAssigneeId={workOrder.assigneeId ?? undefined}
          busy={busy}
          onAssign={(assigneeId) => void assign(assigneeId)}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'transition' && dialog.to === 'COMPLETED' && (
        <CompleteDialog
          busy={busy}
          onTyped={setTyped}
          onComplete={(completionNotes, laborMinutes) =>
            void transition('COMPLETED', { completionNotes, laborMinutes })
          }
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'transition' && dialog.to !== 'COMPLETED' && (
        <ReasonDialog
          {...REASONS[dialog.to === 'ON_HOLD' || dialog.to === 'CANCELLED' ? dialog.to : 'REJECT']}
          busy={busy}
          onTyped={setTyped}
          onConfirm={(note) => void transition(dialog.to, note === '' ? {} : { note })}
          onClose={() => setDialog(null)}
        />
      )}
      <ConfirmDialog
        title="Discard what you typed?"
        confirmText="Discard and go back"
        danger
        open={back.asking}
        onConfirm={back.leave}
        onCancel={back.stay}
        testId="discard-confirm"
      >
        Going back closes the form and throws away the text you typed in it.
      </ConfirmDialog>
    </section>
  );
}

function AssignDialog(props: {
  organizationId: string;
  currentAssigneeId: string | undefined;
  busy: boolean;
  onAssign: (assigneeId: string) => void;
  onClose: () => void;
}) {
  const id = useId();
  const members = useMembers(props.organizationId);
  // Only ACTIVE members who may progress work can be given it (the server checks the same).
  const candidates = members.members.filter(
    (m) => m.status === 'ACTIVE' && m.userId && can(m.role, 'workOrders.progress'),
  );
  const [chosen, setChosen] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen !== '') props.onAssign(chosen);
  };
  return (
    <Dialog title="Assign work order" open onClose={props.onClose} testId="assign-dialog">
      <form onSubmit={submit}>
        {members.status === 'loading' && <p className="muted">Loading members…</p>}
        {members.status === 'error' && (
          <p className="error" role="alert">
            {members.error}
          </p>
        )}
        {members.status === 'ready' && candidates.length === 0 && (
          <p className="empty">No active technicians yet. Invite one from the Members page.</p>
        )}
        {candidates.length > 0 && (
          <div className="field">
            <label htmlFor={`${id}-assignee`}>Assign to</label>
            <select
              id={`${id}-assignee`}
              value={chosen}
              onChange={(e) => setChosen(e.target.value)}
              required
            >
              <option value="">Choose a person…</option>
              {candidates.map((m) => (
                <option
                  key={m.id}
                  value={m.userId ?? ''}
                  disabled={m.userId === props.currentAssigneeId}
                >
                  {memberLabel(m)} ({humanize(m.role)})
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={props.busy || chosen === ''}>
            Assign
          </button>
          <button type="button" onClick={props.onClose}>
            Back
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Tells the parent whether a dialog holds typed text, and that it holds none once it closes. */
function useReportTyped(typed: boolean, onTyped: (typed: boolean) => void) {
  useEffect(() => {
    onTyped(typed);
  }, [typed, onTyped]);
  useEffect(() => () => onTyped(false), [onTyped]);
}

function CompleteDialog(props: {
  busy: boolean;
  onTyped: (typed: boolean) => void;
  onComplete: (completionNotes: string | undefined, laborMinutes: number | undefined) => void;
  onClose: () => void;
}) {
  const id = useId();
  const [notes, setNotes] = useState('');
  const [minutes, setMinutes] = useState('');
  const [error, setError] = useState<string | null>(null);
  useReportTyped(notes.trim() !== '' || minutes.trim() !== '', props.onTyped);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = minutes.trim();
    const parsed = trimmed === '' ? undefined : Number(trimmed);
    if (parsed !== undefined && (!Number.isInteger(parsed) || parsed < 0)) {
      setError('Labour is a whole number of minutes, 0 or more.');
      return;
    }
    setError(null);
    props.onComplete(notes.trim() === '' ? undefined : notes.trim(), parsed);
  };
  return (
    <Dialog title="Complete work order" open onClose={props.onClose} testId="complete-dialog">
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-notes`}>What was done</label>
          <textarea
            id={`${id}-notes`}
            rows={4}
            maxLength={4000}
            value={notes}
            onChange={(e) => setNotes(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-minutes`}>Labour (minutes)</label>
          <input
            id={`${id}-minutes`}
            inputMode="numeric"
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
            aria-describedby={`${id}-minutes-hint`}
            aria-invalid={error !== null}
          />
          <span id={`${id}-minutes-hint`} className="muted small">
            Leave empty to use the time tracked between start and completion.
          </span>
        </div>
        {error !== null && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={props.busy}>
            Mark completed
          </button>
          <button type="button" onClick={props.onClose}>
            Back
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** What each reason dialog asks, and whether a reason is required. */
type ReasonText = {
  title: string;
  label: string;
  confirmText: string;
  /** Whether the change needs a reason, and what to say when none is given. */
  required?: string;
  placeholder?: string;
  /** A short reason is a line, not a letter. */
  short?: boolean;
};

const REASONS: Record<'ON_HOLD' | 'CANCELLED' | 'REJECT', ReasonText> = {
  ON_HOLD: {
    title: 'Put on hold',
    label: 'Why is the work on hold?',
    confirmText: 'Put on hold',
    required: 'Say why the work is on hold, so others know what it waits for.',
    placeholder: 'e.g. Waiting for the replacement part',
    short: true,
  },
  CANCELLED: {
    title: 'Cancel work order',
    label: 'Reason (shown on the timeline)',
    confirmText: 'Cancel work order',
  },
  REJECT: {
    title: 'Reject work',
    label: 'Reason (shown on the timeline)',
    confirmText: 'Send back to work',
  },
};

function ReasonDialog(
  props: ReasonText & {
    busy: boolean;
    onTyped: (typed: boolean) => void;
    onConfirm: (note: string) => void;
    onClose: () => void;
  },
) {
  const id = useId();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  useReportTyped(note.trim() !== '', props.onTyped);
  const field = {
    id: `${id}-note`,
    value: note,
    onChange: (e: { target: { value: string } }) => {
      setNote(e.target.value);
      if (error !== null && e.target.value.trim() !== '') setError(null);
    },
    required: props.required !== undefined,
    placeholder: props.placeholder,
    'aria-invalid': error !== null,
    'aria-describedby': error !== null ? `${id}-error` : undefined,
    'data-testid': 'reason-note',
  };
  return (
    <Dialog title={props.title} open onClose={props.onClose} testId="reason-dialog">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (props.required !== undefined && note.trim() === '') {
            setError(props.required);
            return;
          }
          props.onConfirm(note.trim());
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-note`}>{props.label}</label>
          {props.short ? (
            <input {...field} maxLength={MAX_TRANSITION_NOTE_LENGTH} autoComplete="off" />
          ) : (
            <textarea {...field} rows={3} maxLength={MAX_TRANSITION_NOTE_LENGTH} />
          )}
          {props.required !== undefined && (
            <span className="muted small">Required. Shown on the work order’s timeline.</span>
          )}
        </div>
        {error !== null && (
          <p id={`${id}-error`} className="error" role="alert" data-testid="reason-error">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={props.busy}>
            {props.confirmText}
          </button>
          <button type="button" onClick={props.onClose}>
            Back
          </button>
        </div>
      </form>
    </Dialog>
  );
}
