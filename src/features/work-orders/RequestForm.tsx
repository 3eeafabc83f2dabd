import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useLocation } from 'react-router-dom';
import {
  CATEGORIES,
  MAX_TITLE_LENGTH,
  PRIORITIES,
  workOrderLabel,
  type Category,
  type Priority,
} from '../../../core/work-orders/vocabulary';
import { client } from '../../lib/amplify-client';
import { throwOnErrors } from '../../lib/graphql-errors';
import { humanize } from '../../lib/labels';
import type { WorkOrder } from './use-work-orders';
import { useAction } from '../../lib/use-action';

/** Props of {@link RequestForm}. */
export type RequestFormProps = {
  organizationId: string;
  /** Receives the created work order, so the list shows it even before the live event. */
  onSubmitted: (workOrder: WorkOrder) => void;
};

type Draft = {
  title: string;
  description: string;
  category: Category;
  priority: Priority;
  locationText: string;
};

const EMPTY: Draft = {
  title: '',
  description: '',
  category: 'OTHER',
  priority: 'MEDIUM',
  locationText: '',
};

const optional = (value: string): string | undefined =>
  value.trim() === '' ? undefined : value.trim();

/** Router state that asks the form to take the focus on arrival (the dashboard's first step). */
export const START_REQUEST_STATE = { startRequest: true } as const;

const asksToStart = (state: unknown): boolean =>
  typeof state === 'object' && state !== null && 'startRequest' in state;

/**
 * A title too long split at the last word that fits: the title, and the rest for the details.
 * (The limit counts characters as the server does, in UTF-16 code units, like `maxLength`.)
 */
export const splitTitle = (title: string, max = MAX_TITLE_LENGTH): [string, string] => {
  if (title.length <= max) return [title, ''];
  const cut = title.lastIndexOf(' ', max);
  const at = cut > max / 2 ? cut : max;
  return [title.slice(0, at).trimEnd(), title.slice(at).trim()];
};

/** A quick maintenance request: what is wrong, where, and how urgent. */
export function RequestForm({ organizationId, onSubmitted }: RequestFormProps) {
  const id = useId();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const { run, busy, error, fail, reset } = useAction();
  const [notice, setNotice] = useState<string | null>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  const location = useLocation();
  const startRequest = asksToStart(location.state);
  useEffect(() => {
    if (startRequest) titleRef.current?.focus();
  }, [startRequest]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));

  // The title is never cut silently (a pasted paragraph kept only its first 200 characters):
  // the whole text stays, the counter says how much is too much, and one click moves the rest.
  const titleLength = draft.title.trim().length;
  const titleTooLong = titleLength > MAX_TITLE_LENGTH;
  const tooLongText = `The title is ${titleLength - MAX_TITLE_LENGTH} characters too long. Shorten it, or move the rest to the details.`;

  const moveRestToDetails = () => {
    setDraft((d) => {
      const [title, rest] = splitTitle(d.title.trim());
      const description = [rest, d.description.trim()].filter((part) => part !== '').join('\n\n');
      return { ...d, title, description };
    });
    reset();
    titleRef.current?.focus();
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (draft.title.trim() === '') {
      fail('Say in a few words what needs fixing.');
      return;
    }
    if (titleTooLong) {
      fail(tooLongText);
      titleRef.current?.focus();
      return;
    }
    setNotice(null);
    await run(async () => {
      const { data, errors } = await client.mutations.submitWorkOrder({
        organizationId,
        title: draft.title.trim(),
        description: optional(draft.description),
        category: draft.category,
        priority: draft.priority,
        locationText: optional(draft.locationText),
      });
      throwOnErrors(errors);
      if (data === null || data === undefined) throw new Error('The server returned nothing.');
      onSubmitted(data);
      setDraft(EMPTY);
      setNotice(`Submitted ${workOrderLabel(data.number)}.`);
    });
  };

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Request maintenance</h2>
      <form
        className="request-form"
        onSubmit={(event) => void submit(event)}
        noValidate
        data-testid="request-form"
      >
        <div className="field wide">
          <label htmlFor={`${id}-title`}>What needs fixing?</label>
          <input
            ref={titleRef}
            id={`${id}-title`}
            name="title"
            value={draft.title}
            onChange={(event) => set('title', event.target.value)}
            required
            aria-invalid={titleTooLong || (error !== null && draft.title.trim() === '')}
            aria-describedby={`${id}-title-count${titleTooLong ? ` ${id}-title-long` : ''}`}
            placeholder="e.g. Leaking tap in the kitchen"
          />
          <span
            id={`${id}-title-count`}
            className={titleTooLong ? 'error small' : 'muted small'}
            style={{ alignSelf: 'flex-end' }}
            data-testid="title-count"
          >
            <span className="visually-hidden">Title length: </span>
            {titleLength} / {MAX_TITLE_LENGTH}
          </span>
          {titleTooLong && (
            <p id={`${id}-title-long`} className="error small" data-testid="title-too-long">
              {tooLongText}{' '}
              <button type="button" onClick={moveRestToDetails} data-testid="title-move-rest">
                Move the rest to the details
              </button>
            </p>
          )}
        </div>
        <div className="field wide">
          <label htmlFor={`${id}-description`}>Details (optional)</label>
          <textarea
            id={`${id}-description`}
            name="description"
            value={draft.description}
            onChange={(event) => set('description', event.target.value)}
            rows={3}
            maxLength={4000}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-category`}>Category</label>
          <select
            id={`${id}-category`}
            name="category"
            value={draft.category}
            onChange={(event) => set('category', event.target.value as Category)}
          >
            {CATEGORIES.map((category) => (
              <option key={category} value={category}>
                {humanize(category)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-priority`}>Priority</label>
          <select
            id={`${id}-priority`}
            name="priority"
            value={draft.priority}
            onChange={(event) => set('priority', event.target.value as Priority)}
          >
            {PRIORITIES.map((priority) => (
              <option key={priority} value={priority}>
                {humanize(priority)}
              </option>
            ))}
          </select>
        </div>
        <div className="field wide">
          <label htmlFor={`${id}-location`}>Location (optional)</label>
          <input
            id={`${id}-location`}
            name="location"
            value={draft.locationText}
            onChange={(event) => set('locationText', event.target.value)}
            maxLength={200}
            placeholder="e.g. Parish hall, ground floor"
          />
        </div>
        {error !== null && (
          <p className="error wide" role="alert" data-testid="request-error">
            {error}
          </p>
        )}
        <div className="actions wide">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Submitting…' : 'Submit request'}
          </button>
          <span className="notice" role="status" data-testid="request-notice">
            {notice}
          </span>
        </div>
      </form>
    </section>
  );
}
