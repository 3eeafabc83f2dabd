import { Authenticator } from '@aws-amplify/ui-react';
import { I18n } from 'aws-amplify/utils';
import { useEffect, useMemo, useState } from 'react';
import { BrowserRouter } from 'react-router-dom';
import { invitationPreviewOf } from '../../core/notifications/invitations';
import type { Environment } from '../lib/amplify-config';
import { InvitationWelcome } from '../features/auth/InvitationWelcome';
import { localAuthServices } from '../features/auth/local-auth-services';
import {
  forgetPendingSignUp,
  pendingSignUp,
  rememberingSignUp,
} from '../features/auth/pending-sign-up';
import { SIGN_UP_ATTRIBUTES, SIGN_UP_FORM_FIELDS } from '../features/auth/sign-up-fields';
import { Workspace } from './Workspace';

// Cognito's words for an address that already has an account, with what to do about it.
const ALREADY_SIGNED_UP =
  'An account with this email already exists. Sign in instead; if you never entered the code we emailed, you will be asked for it.';
I18n.putVocabulariesForLanguage('en', {
  'User already exists': ALREADY_SIGNED_UP,
  'An account with the given email already exists.': ALREADY_SIGNED_UP,
});

/** Props of {@link App}. */
export type AppProps = { environment: Environment };

/**
 * Someone opening an invitation link most likely has no account yet; someone who reloaded while
 * their sign-up waited for its code has one, and signs in to be asked for the code.
 */
const opensOnSignUp = (): boolean =>
  window.location.pathname.startsWith('/invitations/') && pendingSignUp() === null;

/**
 * Sign-in (with sign-up, confirmation and password reset), then the workspace. The router sits
 * outside the Authenticator, so a deep link opened signed-out keeps its URL through sign-in.
 */
export function App({ environment }: AppProps) {
  return (
    <BrowserRouter>
      <SignedIn environment={environment} />
    </BrowserRouter>
  );
}

function SignedIn({ environment }: AppProps) {
  const local = environment.mode === 'local' ? environment : undefined;
  const invitation = window.location.pathname.startsWith('/invitations/')
    ? invitationPreviewOf(window.location.search)
    : undefined;
  const pending = pendingSignUp();
  // A new Authenticator finds the person signed in (after a code entered on the way back in).
  const [generation, setGeneration] = useState(0);
  const services = useMemo(
    () =>
      rememberingSignUp(
        () => setGeneration((n) => n + 1),
        local !== undefined ? localAuthServices : {},
      ),
    [local],
  );
  return (
    <Authenticator
      key={generation}
      initialState={opensOnSignUp() ? 'signUp' : 'signIn'}
      services={services}
      signUpAttributes={[...SIGN_UP_ATTRIBUTES]}
      formFields={SIGN_UP_FORM_FIELDS}
      components={{
        Header: () => (
          <div className="auth-header">
            <h1>Steward</h1>
            <p>Maintenance requests and work orders for your organization.</p>
          </div>
        ),
        SignUp: {
          Header: () => (invitation ? <InvitationWelcome preview={invitation} /> : null),
        },
        SignIn: {
          Header: () =>
            pending !== null ? (
              <p className="auth-invitation" data-testid="pending-sign-up">
                Almost there: sign in as <strong>{pending}</strong> with the password you chose, and
                enter the code we emailed you.
              </p>
            ) : invitation ? (
              <InvitationWelcome preview={invitation} />
            ) : null,
        },
        Footer: () =>
          local !== undefined ? (
            <p className="auth-footer" data-testid="mailbox-hint">
              Running locally: verification and reset codes arrive in the{' '}
              <a href={local.mailboxUrl} target="_blank" rel="noreferrer">
                local mailbox
              </a>
              .
            </p>
          ) : null,
      }}
    >
      {({ user, signOut }) =>
        user !== undefined ? (
          <SignedInWorkspace
            userId={user.userId}
            loginId={user.signInDetails?.loginId}
            environment={environment}
            onSignOut={() => signOut?.()}
          />
        ) : (
          <></>
        )
      }
    </Authenticator>
  );
}

/** The workspace, once someone is in: a sign-up that waited for its code is done. */
function SignedInWorkspace(props: Parameters<typeof Workspace>[0]) {
  useEffect(() => forgetPendingSignUp(), []);
  return <Workspace {...props} />;
}
