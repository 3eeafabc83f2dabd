import type { AmplifyContext } from 'aws-amplify';
import {
  signIn,
  signUp,
  type SignInInput,
  type SignInOutput,
  type SignUpInput,
  type SignUpOutput,
} from 'aws-amplify/auth';

const withPasswordFlow = (input: SignInInput): SignInInput => ({
  ...input,
  options: { ...input.options, authFlowType: 'USER_PASSWORD_AUTH' },
});

const withPasswordAutoSignIn = (input: SignUpInput): SignUpInput => ({
  ...input,
  options: {
    ...(input.options ?? { userAttributes: {} }),
    autoSignIn: { authFlowType: 'USER_PASSWORD_AUTH' },
  },
});

// The Authenticator types its services as the Amplify functions, context overload included.
function handleSignIn(ctx: AmplifyContext, input: SignInInput): Promise<SignInOutput>;
function handleSignIn(input: SignInInput): Promise<SignInOutput>;
function handleSignIn(...args: [AmplifyContext, SignInInput] | [SignInInput]) {
  return args.length === 2
    ? signIn(args[0], withPasswordFlow(args[1]))
    : signIn(withPasswordFlow(args[0]));
}

function handleSignUp(ctx: AmplifyContext, input: SignUpInput): Promise<SignUpOutput>;
function handleSignUp(input: SignUpInput): Promise<SignUpOutput>;
function handleSignUp(...args: [AmplifyContext, SignUpInput] | [SignUpInput]) {
  return args.length === 2
    ? signUp(args[0], withPasswordAutoSignIn(args[1]))
    : signUp(withPasswordAutoSignIn(args[0]));
}

/**
 * Authenticator services for the local runtime: cognito-local has no SRP, so sign-in and the
 * automatic sign-in after confirmation use USER_PASSWORD_AUTH. On AWS the defaults (SRP) stay.
 */
export const localAuthServices = { handleSignIn, handleSignUp };
