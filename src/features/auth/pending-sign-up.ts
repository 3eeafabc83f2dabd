import {
  confirmSignUp,
  signIn,
  signUp,
  type SignInInput,
  type SignInOutput,
  type SignUpInput,
  type SignUpOutput,
} from 'aws-amplify/auth';

/**
 * A sign-up waiting for its emailed code survives a reload: the Authenticator keeps its step in
 * memory, so without this a reload on "We emailed you" showed Create Account again and then
 * "User already exists". The address is kept for the tab only (sessionStorage), never the
 * password; the person signs in again and the Authenticator asks for the code.
 */
const KEY = 'steward.pendingSignUp';

/** The address of a sign-up in this tab that still waits for its code, if any. */
export function pendingSignUp(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

function remember(email: string | null): void {
  try {
    if (email) sessionStorage.setItem(KEY, email);
    else sessionStorage.removeItem(KEY);
  } catch {
    // Storage refused (private mode): a reload then starts over, as before.
  }
}

/** Forgets the pending sign-up: the person is in. */
export const forgetPendingSignUp = (): void => remember(null);

/** Calls an Amplify auth function with the arguments given (the context overload included). */
type AnyCall<R> = (...args: unknown[]) => Promise<R>;

/**
 * Authenticator services that remember a sign-up until it is confirmed, around the given sign-up
 * and sign-in (the local runtime's, or Amplify's own). When the code is entered after a sign-in
 * (the way back after a reload), the Authenticator would ask for the password a second time: the
 * password just typed is held in memory until the code is confirmed, the person is signed in
 * with it, and `onSignedIn` lets the app show the workspace.
 */
export function rememberingSignUp(
  onSignedIn: () => void,
  handles: { handleSignUp?: typeof signUp; handleSignIn?: typeof signIn } = {},
): {
  handleSignUp: typeof signUp;
  handleSignIn: typeof signIn;
  handleConfirmSignUp: typeof confirmSignUp;
} {
  const signingUp = (handles.handleSignUp ?? signUp) as AnyCall<SignUpOutput>;
  const signingIn = (handles.handleSignIn ?? signIn) as AnyCall<SignInOutput>;
  let unconfirmed: SignInInput | undefined;
  const handleSignUp = async (...args: unknown[]): Promise<SignUpOutput> => {
    const input = args[args.length - 1] as SignUpInput;
    const output = await signingUp(...args);
    if (output.nextStep.signUpStep === 'CONFIRM_SIGN_UP') remember(input.username);
    return output;
  };
  const handleSignIn = async (...args: unknown[]): Promise<SignInOutput> => {
    const output = await signingIn(...args);
    unconfirmed =
      output.nextStep.signInStep === 'CONFIRM_SIGN_UP'
        ? (args[args.length - 1] as SignInInput)
        : undefined;
    return output;
  };
  const handleConfirmSignUp = async (...args: unknown[]) => {
    const output = await (confirmSignUp as AnyCall<Awaited<ReturnType<typeof confirmSignUp>>>)(
      ...args,
    );
    forgetPendingSignUp();
    const held = unconfirmed;
    unconfirmed = undefined;
    if (output.nextStep.signUpStep === 'DONE' && held?.password) {
      const signedIn = await signingIn(held);
      if (signedIn.isSignedIn) onSignedIn();
    }
    return output;
  };
  return {
    handleSignUp: handleSignUp as typeof signUp,
    handleSignIn: handleSignIn as typeof signIn,
    handleConfirmSignUp: handleConfirmSignUp as typeof confirmSignUp,
  };
}
