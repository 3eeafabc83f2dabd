import { useId, useState, type FormEvent } from 'react';
import {
  CATEGORIES,
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

/** A quick maintenance request: what is wrong, where, and how urgent. */
export function RequestForm({ organizationId, onSubmitted }: RequestFormProps) {
  const id = useId();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const { run, busy, error, fail } = useAction();
  const [notice, setNotice] = useState<string | null>(null);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (draft.title.trim() === '') {
      fail('Say in a few words what needs fixing.');
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
            id={`${id}-title`}
            name="title"
            value={draft.title}
            onChange={(event) => set('title', event.target.value)}
            maxLength={200}
            required
            aria-invalid={error !== null && draft.title.trim() === ''}
            placeholder="e.g. Leaking tap in the kitchen"
          />
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
