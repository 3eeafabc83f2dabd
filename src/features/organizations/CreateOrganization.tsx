import { useId, useState, type FormEvent } from 'react';
import { fetchAuthSession } from 'aws-amplify/auth';
import { client } from '../../lib/amplify-client';
import { errorMessage, throwOnErrors } from '../../lib/graphql-errors';
import { useAction } from '../../lib/use-action';

/** Props of {@link CreateOrganization}. */
export type CreateOrganizationProps = {
  /** Called with the new organization's id once the session carries its groups. */
  onCreated: (organizationId: string) => Promise<void> | void;
};

/** Onboarding for someone with no active membership: name an organization and own it. */
export function CreateOrganization({ onCreated }: CreateOrganizationProps) {
  const nameId = useId();
  const errorId = useId();
  const [name, setName] = useState('');
  const { run, busy, error, fail } = useAction();
  // Once the organization exists, trying again would create a second one.
  const [created, setCreated] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed === '') {
      fail('Give the organization a name.');
      return;
    }
    await run(async () => {
      const { data, errors } = await client.mutations.createOrganization({ name: trimmed });
      throwOnErrors(errors);
      if (data === null || data === undefined) throw new Error('The server returned nothing.');
      setCreated(true);
      try {
        // The new Cognito groups (read access to the organization) exist only in a new token.
        await fetchAuthSession({ forceRefresh: true });
      } catch (err) {
        throw new Error(
          `The organization was created, but your session could not be refreshed ` +
            `(${errorMessage(err)}). Sign out and in again to open it.`,
          { cause: err },
        );
      }
      await onCreated(data.id);
    });
  };

  return (
    <section className="card onboarding" aria-labelledby={`${nameId}-heading`}>
      <h1 id={`${nameId}-heading`}>Set up your organization</h1>
      <p>
        You are not a member of any organization yet. Create one for your church, school or
        nonprofit — you will be its owner and can invite people afterwards. If someone invited you,
        accept the email invitation instead.
      </p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <div className="field">
          <label htmlFor={nameId}>Organization name</label>
          <input
            id={nameId}
            name="organizationName"
            value={name}
            onChange={(event) => setName(event.target.value)}
            autoComplete="organization"
            maxLength={120}
            required
            aria-invalid={error !== null}
            aria-describedby={error !== null ? errorId : undefined}
            data-testid="organization-name"
          />
        </div>
        {error !== null && (
          <p id={errorId} className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || created}>
          {busy ? 'Creating…' : 'Create organization'}
        </button>
      </form>
    </section>
  );
}
