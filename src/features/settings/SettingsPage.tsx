import { useId, useState, type FormEvent } from 'react';
import {
  DEFAULT_NOTIFICATION_PREFERENCES,
  type NotificationPreferences,
} from '../../../core/records';
import { useWorkspace } from '../../app/workspace-context';
import { client } from '../../lib/amplify-client';
import { throwOnErrors } from '../../lib/graphql-errors';
import { useAction } from '../../lib/use-action';

type Preferences = NotificationPreferences;

/** The server's defaults: every email on, except new requests of normal priority. */
const DEFAULTS: Preferences = DEFAULT_NOTIFICATION_PREFERENCES;

const CHOICES: { key: keyof Preferences; label: string; hint: string }[] = [
  {
    key: 'assignment',
    label: 'Work assigned to me',
    hint: 'When a work order is assigned to you.',
  },
  {
    key: 'statusChanges',
    label: 'Progress on my requests',
    hint: 'When a request you made is started, completed or closed.',
  },
  {
    key: 'lowStock',
    label: 'Low stock',
    hint: 'When an item falls to or below its minimum (managers).',
  },
  {
    key: 'urgentRequests',
    label: 'New urgent requests',
    hint: 'When someone submits a High or Urgent request (those who assign work).',
  },
  {
    key: 'newRequests',
    label: 'Other new requests',
    hint: 'When someone submits a Low or Medium request (those who assign work).',
  },
];

/** The stored switches with the defaults filled in for those never saved. */
const withDefaults = (
  stored: Partial<Record<keyof Preferences, boolean | null>> | null | undefined,
) =>
  Object.fromEntries(
    CHOICES.map(({ key }) => [key, stored?.[key] ?? DEFAULTS[key]]),
  ) as Preferences;

/** The name others see in the members list, on work orders and in emails. */
function NameForm() {
  const { me, reload } = useWorkspace();
  const id = useId();
  const [name, setName] = useState(me.profile.displayName ?? '');
  const { run, busy, error } = useAction();
  const [result, setResult] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setResult('');
    await run(async () => {
      const { data, errors } = await client.mutations.updateProfile({ displayName: name });
      throwOnErrors(errors);
      setName(data?.displayName ?? name);
      setResult('Name saved.');
      void reload();
    });
  };
  return (
    <form onSubmit={(event) => void submit(event)} data-testid="name-form">
      <label htmlFor={`${id}-name`}>Your name</label>
      <input
        id={`${id}-name`}
        value={name}
        maxLength={80}
        required
        onChange={(event) => setName(event.target.value)}
        data-testid="display-name"
      />
      {error !== null && (
        <p className="error" role="alert" data-testid="name-error">
          Could not save: {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={busy} data-testid="save-name">
          {busy ? 'Saving…' : 'Save name'}
        </button>
        <p className="result" role="status" data-testid="name-result">
          {result}
        </p>
      </div>
    </form>
  );
}

/** The signed-in person's name and email preferences (in-app notifications are always kept). */
export function SettingsPage() {
  const { me, reload } = useWorkspace();
  const id = useId();
  const stored = me.profile.preferences;
  const [prefs, setPrefs] = useState<Preferences>(withDefaults(stored));
  const { run, busy, error } = useAction();
  const [result, setResult] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setResult('');
    await run(async () => {
      const { data, errors } = await client.mutations.updateNotificationPreferences(prefs);
      throwOnErrors(errors);
      if (data) setPrefs(withDefaults(data));
      setResult('Preferences saved.');
      // `me` carries the preferences: read it again so another visit shows what was saved.
      void reload();
    });
  };

  return (
    <section className="card" aria-labelledby="settings-heading" data-testid="settings-page">
      <h1 id="settings-heading">Settings</h1>
      <p>
        Signed in as <strong>{me.profile.email}</strong>.
      </p>
      <NameForm />
      <form onSubmit={(event) => void submit(event)}>
        <fieldset className="preferences">
          <legend>Email me about</legend>
          {CHOICES.map(({ key, label, hint }) => (
            <div className="check" key={key}>
              <input
                type="checkbox"
                id={`${id}-${key}`}
                checked={prefs[key]}
                onChange={(event) => setPrefs((p) => ({ ...p, [key]: event.target.checked }))}
                aria-describedby={`${id}-${key}-hint`}
                data-testid={`pref-${key}`}
              />
              <label htmlFor={`${id}-${key}`}>{label}</label>
              <span id={`${id}-${key}-hint`} className="muted small block">
                {hint}
              </span>
            </div>
          ))}
        </fieldset>
        <p className="muted small">In-app notifications (the bell) are always kept.</p>
        {error !== null && (
          <p className="error" role="alert" data-testid="settings-error">
            Could not save: {error}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy} data-testid="save-preferences">
            {busy ? 'Saving…' : 'Save preferences'}
          </button>
          <p className="result" role="status" data-testid="settings-result">
            {result}
          </p>
        </div>
      </form>
    </section>
  );
}
