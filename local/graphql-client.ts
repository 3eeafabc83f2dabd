import {
  AdminConfirmSignUpCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  SignUpCommand,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb';

/** A GraphQL error as AppSync reports it. */
export type GraphQLError = { message: string; errorType?: string; path?: unknown[] };

/** The answer of one GraphQL request. */
export type GraphQLResponse<T> = { status: number; data?: T; errors?: GraphQLError[] };

/** Posts one GraphQL operation, authorized with a token (or without one, to test refusals). */
export async function graphql<T = Record<string, unknown>>(
  url: string,
  token: string | undefined,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: { data?: T; errors?: GraphQLError[] } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = { errors: [{ message: text }] };
  }
  return { status: response.status, data: body.data ?? undefined, errors: body.errors };
}

/** Like `graphql`, but throws on any error and returns the data. */
export async function graphqlOk<T = Record<string, unknown>>(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const result = await graphql<T>(url, token, query, variables);
  if (result.errors?.length || !result.data) {
    throw new Error(`GraphQL failed (${result.status}): ${JSON.stringify(result.errors)}`);
  }
  return result.data;
}

/** The tokens of a signed-in user. */
export type Session = { idToken: string; accessToken: string; refreshToken?: string };

/** Talks to the local user pool as an app and an administrator would. */
export class LocalCognito {
  readonly client: CognitoIdentityProviderClient;
  constructor(
    endpoint: string,
    readonly userPoolId: string,
    readonly clientId: string,
  ) {
    this.client = new CognitoIdentityProviderClient({
      endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
  }

  /** Signs a user up and confirms them as an administrator (which runs post-confirmation). */
  async createConfirmedUser(email: string, password: string, name?: string): Promise<void> {
    try {
      await this.client.send(
        new SignUpCommand({
          ClientId: this.clientId,
          Username: email,
          Password: password,
          UserAttributes: [
            { Name: 'email', Value: email },
            ...(name ? [{ Name: 'preferred_username', Value: name }] : []),
          ],
        }),
      );
    } catch (err) {
      if (!(err instanceof UsernameExistsException)) throw err;
      return;
    }
    await this.client.send(
      new AdminConfirmSignUpCommand({ UserPoolId: this.userPoolId, Username: email }),
    );
    // An administrator vouches for the address; without it the app asks to verify it first.
    await this.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: this.userPoolId,
        Username: email,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
  }

  /** Signs in with a password (cognito-local has no SRP). */
  async signIn(email: string, password: string): Promise<Session> {
    const result = await this.client.send(
      new InitiateAuthCommand({
        ClientId: this.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    const tokens = result.AuthenticationResult;
    if (!tokens?.IdToken || !tokens.AccessToken)
      throw new Error(`Sign-in of ${email} returned no tokens`);
    return {
      idToken: tokens.IdToken,
      accessToken: tokens.AccessToken,
      refreshToken: tokens.RefreshToken,
    };
  }
}
