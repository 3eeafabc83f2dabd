import { useWorkspace } from '../../app/workspace-context';

/** Placeholder for notification preferences, which come with the notifications work. */
export function SettingsPage() {
  const { me } = useWorkspace();
  return (
    <section className="card" aria-labelledby="settings-heading" data-testid="settings-page">
      <h1 id="settings-heading">Settings</h1>
      <p>
        Signed in as <strong>{me.profile.email}</strong>.
      </p>
      <p className="muted">
        Notification preferences (which emails you receive about assignments, status changes and
        low stock) will be set here.
      </p>
    </section>
  );
}
