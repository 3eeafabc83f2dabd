import { Authenticator } from '@aws-amplify/ui-react';
import { BrowserRouter } from 'react-router-dom';
import type { Environment } from '../lib/amplify-config';
import { localAuthServices } from '../features/auth/local-auth-services';
import { SIGN_UP_ATTRIBUTES, SIGN_UP_FORM_FIELDS } from '../features/auth/sign-up-fields';
import { Workspace } from './Workspace';

/** Props of {@link App}. */
export type AppProps = { environment: Environment };

/** Someone opening an invitation link most likely has no account yet. */
const opensOnSignUp = (): boolean => window.location.pathname.startsWith('/invitations/');

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
  return (
    <Authenticator
      initialState={opensOnSignUp() ? 'signUp' : 'signIn'}
      services={local !== undefined ? localAuthServices : undefined}
      signUpAttributes={[...SIGN_UP_ATTRIBUTES]}
      formFields={SIGN_UP_FORM_FIELDS}
      components={{
        Header: () => (
          <div className="auth-header">
            <h1>Steward</h1>
            <p>Maintenance requests and work orders for your organization.</p>
          </div>
        ),
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
          <Workspace
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
