import { ConfigurationError } from '../lib/amplify-config';
import { errorMessage } from '../lib/graphql-errors';

/** Shown instead of the app when it cannot be configured, with what to do about it. */
export function StartupError({ error }: { error: unknown }) {
  return (
    <main className="content">
      <section className="card" role="alert" data-testid="startup-error">
        <h1>Steward cannot start</h1>
        <p>{errorMessage(error)}</p>
        {error instanceof ConfigurationError && <p>{error.resolution}</p>}
      </section>
    </main>
  );
}
