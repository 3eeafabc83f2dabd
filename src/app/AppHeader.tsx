import type { ReactNode } from 'react';

/** Props of {@link AppHeader}. */
export type AppHeaderProps = {
  /** Who is signed in (their email). */
  signedInAs: string | undefined;
  /** The local mailbox, in local mode only. */
  mailboxUrl: string | undefined;
  onSignOut: () => void;
  /** The notification bell, once the person is known. */
  bell?: ReactNode;
  /** The organization name or switcher. */
  children?: ReactNode;
};

/** The top bar: product name, organization, notifications, local mailbox, the person and sign-out. */
export function AppHeader({ signedInAs, mailboxUrl, onSignOut, bell, children }: AppHeaderProps) {
  return (
    <header className="app-header">
      <span className="brand" aria-label="Steward">
        Steward
      </span>
      <div className="header-org">{children}</div>
      <nav className="header-user" aria-label="Account">
        {bell}
        {mailboxUrl !== undefined && (
          <a href={mailboxUrl} target="_blank" rel="noreferrer">
            Mailbox<span className="visually-hidden"> (local, opens in a new tab)</span>
          </a>
        )}
        {signedInAs !== undefined && (
          <span className="who" data-testid="signed-in-as">
            {signedInAs}
          </span>
        )}
        <button type="button" onClick={onSignOut} data-testid="sign-out">
          Sign out
        </button>
      </nav>
    </header>
  );
}
