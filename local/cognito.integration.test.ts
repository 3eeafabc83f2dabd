import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  AdminAddUserToGroupCommand,
  GetTokensFromRefreshTokenCommand,
  AdminGetUserCommand,
  AdminRemoveUserFromGroupCommand,
  CodeMismatchException,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  CreateGroupCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserPoolDefinition } from './assembly';
import { type Cognito, startCognito } from './cognito';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb';
import { type LambdaApi, startLambdaApi } from './lambda-api';
import { createLambdaRunner, type LambdaRunner } from './lambda-runner';
import { writeTestFunctions } from './lambda-test-functions';
import { type Mail, readMailbox, startMail } from './mail';
import { freePort } from './process-utils';

const work = mkdtempSync(path.join(os.tmpdir(), 'steward-cognito-'));
const triggerLog = path.join(work, 'post-confirmation.jsonl');
const userPool: UserPoolDefinition = {
  triggers: { PostConfirmation: 'post-confirmation' },
  usernameAttributes: ['email'],
  autoVerifiedAttributes: ['email'],
  passwordPolicy: {
    MinimumLength: 8,
    RequireLowercase: true,
    RequireNumbers: true,
    RequireSymbols: true,
    RequireUppercase: true,
  },
  schema: [{ Name: 'email', Required: true, Mutable: true }],
  emailVerificationSubject: 'Verify your Steward account',
  emailVerificationMessage: 'Your Steward code is {####}',
  preventUserExistenceErrors: true,
};

let mail: Mail;
let runner: LambdaRunner;
let api: LambdaApi;
let cognito: Cognito;
let cognitoPort: number;
let client: CognitoIdentityProviderClient;

const start = () =>
  startCognito({
    port: cognitoPort,
    dataDirectory: path.join(work, 'cognito'),
    userPool,
    lambdaEndpoint: api.url,
    mailEndpoint: mail.endpoint,
    tokenLifetimeSeconds: 120,
  });

beforeAll(async () => {
  mail = await startMail({ port: await freePort() });
  runner = createLambdaRunner({
    functions: writeTestFunctions({
      'post-confirmation': {
        environment: { TRIGGER_LOG: triggerLog },
        code: `import { appendFileSync } from 'node:fs';
export const handler = async (event) => { appendFileSync(process.env.TRIGGER_LOG, JSON.stringify(event) + '\\n'); return event; };`,
      },
    }),
    environment: {},
  });
  api = await startLambdaApi({ port: await freePort(), runner });
  cognitoPort = await freePort();
  cognito = await start();
  client = new CognitoIdentityProviderClient({
    endpoint: cognito.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
});
afterAll(async () => {
  client?.destroy();
  await cognito?.stop();
  await api?.stop();
  await runner?.stop();
  await mail?.stop();
});

const email = 'ada@example.com';
const password = 'Corr3ct-horse!';

async function latestCode(to: string, subject: string): Promise<string> {
  const messages = (await readMailbox(mail.url)).filter(
    (m) => m.to.includes(to) && m.subject === subject,
  );
  const code = /\b(\d{6})\b/.exec(messages.at(-1)?.text ?? '')?.[1];
  if (!code) throw new Error(`no code mailed to ${to}`);
  return code;
}

function claims(token: string | undefined): Record<string, unknown> {
  return JSON.parse(
    Buffer.from((token ?? '').split('.')[1] ?? '', 'base64url').toString(),
  ) as Record<string, unknown>;
}

async function signIn() {
  const out = await client.send(
    new InitiateAuthCommand({
      ClientId: cognito.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  return { id: out.AuthenticationResult?.IdToken, access: out.AuthenticationResult?.AccessToken };
}

describe('cognito', () => {
  it('signs up, mails the code, resends it, confirms, runs post-confirmation and verifies the email', async () => {
    const signUp = await client.send(
      new SignUpCommand({
        ClientId: cognito.clientId,
        Username: email,
        Password: password,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    expect(signUp.UserConfirmed).toBe(false);
    expect(signUp.CodeDeliveryDetails).toMatchObject({
      DeliveryMedium: 'EMAIL',
      Destination: email,
    });
    const [message] = await readMailbox(mail.url);
    expect(message).toMatchObject({
      to: [email],
      from: 'no-reply@verificationemail.com',
      subject: 'Verify your Steward account',
    });
    expect(message?.text).toMatch(/^Your Steward code is \d{6}$/);
    const first = await latestCode(email, 'Verify your Steward account');

    const resent = await client.send(
      new ResendConfirmationCodeCommand({ ClientId: cognito.clientId, Username: email }),
    );
    expect(resent.CodeDeliveryDetails?.Destination).toBe(email);
    expect((await readMailbox(mail.url)).length).toBe(2);
    const second = await latestCode(email, 'Verify your Steward account');
    if (first !== second) {
      await expect(
        client.send(
          new ConfirmSignUpCommand({
            ClientId: cognito.clientId,
            Username: email,
            ConfirmationCode: first,
          }),
        ),
      ).rejects.toBeInstanceOf(CodeMismatchException);
    }
    await client.send(
      new ConfirmSignUpCommand({
        ClientId: cognito.clientId,
        Username: email,
        ConfirmationCode: second,
      }),
    );

    expect(existsSync(triggerLog)).toBe(true);
    const events = readFileSync(triggerLog, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      userPoolId: cognito.userPoolId,
      request: { userAttributes: { email, email_verified: 'true' } },
    });

    const user = await client.send(
      new AdminGetUserCommand({ UserPoolId: cognito.userPoolId, Username: email }),
    );
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' });
  });

  it('issues tokens whose issuer and keys match what it returns, with the configured lifetime', async () => {
    const { id, access } = await signIn();
    const idClaims = claims(id);
    expect(cognito.issuer.startsWith('https://cognito-idp.')).toBe(true);
    expect(idClaims).toMatchObject({
      iss: cognito.issuer,
      aud: cognito.clientId,
      email,
      email_verified: true,
      token_use: 'id',
    });
    expect(Number(idClaims.exp) - Number(idClaims.iat)).toBe(120);
    expect(Number(claims(access).exp) - Number(claims(access).iat)).toBe(120);
    // aws-jwt-verify fetches JWKS over https only: load the keys from jwksUri and hand them over.
    const jwks = (await (await fetch(cognito.jwksUri)).json()) as Jwks;
    const idVerifier = JwtRsaVerifier.create({
      issuer: cognito.issuer,
      audience: cognito.clientId,
      jwksUri: cognito.jwksUri,
    });
    idVerifier.cacheJwks(jwks);
    await expect(idVerifier.verify(id ?? '')).resolves.toMatchObject({ sub: idClaims.sub });
    const accessVerifier = JwtRsaVerifier.create({
      issuer: cognito.issuer,
      audience: null,
      jwksUri: cognito.jwksUri,
    });
    accessVerifier.cacheJwks(jwks);
    await expect(accessVerifier.verify(access ?? '')).resolves.toMatchObject({
      client_id: cognito.clientId,
      token_use: 'access',
    });
    const discovery = (await (
      await fetch(`${cognito.endpoint}/${cognito.userPoolId}/.well-known/openid-configuration`)
    ).json()) as Record<string, string>;
    expect(discovery).toMatchObject({ issuer: cognito.issuer, jwks_uri: cognito.jwksUri });
  });

  it('puts groups into both tokens after AdminAddUserToGroup, and takes them out again', async () => {
    await client.send(
      new CreateGroupCommand({ UserPoolId: cognito.userPoolId, GroupName: 'org-1:ADMIN' }),
    );
    await client.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: cognito.userPoolId,
        Username: email,
        GroupName: 'org-1:ADMIN',
      }),
    );
    const withGroup = await signIn();
    expect(claims(withGroup.id)['cognito:groups']).toEqual(['org-1:ADMIN']);
    expect(claims(withGroup.access)['cognito:groups']).toEqual(['org-1:ADMIN']);
    await client.send(
      new AdminRemoveUserFromGroupCommand({
        UserPoolId: cognito.userPoolId,
        Username: email,
        GroupName: 'org-1:ADMIN',
      }),
    );
    const without = await signIn();
    expect(claims(without.id)['cognito:groups']).toBeUndefined();
  });

  it('refuses to create a group that exists, keeping its members', async () => {
    const group = { UserPoolId: cognito.userPoolId, GroupName: 'org-2' };
    await client.send(new CreateGroupCommand(group));
    await client.send(new AdminAddUserToGroupCommand({ ...group, Username: email }));
    await expect(client.send(new CreateGroupCommand(group))).rejects.toMatchObject({
      name: 'GroupExistsException',
    });
    expect(claims((await signIn()).access)['cognito:groups']).toEqual(['org-2']);
    await client.send(new AdminRemoveUserFromGroupCommand({ ...group, Username: email }));
  });

  it('refreshes tokens with GetTokensFromRefreshToken, as aws-amplify v6 does', async () => {
    const first = await client.send(
      new InitiateAuthCommand({
        ClientId: cognito.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    const refreshed = await client.send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: cognito.clientId,
        RefreshToken: first.AuthenticationResult?.RefreshToken,
      }),
    );
    expect(claims(refreshed.AuthenticationResult?.AccessToken).sub).toBe(
      claims(first.AuthenticationResult?.AccessToken).sub,
    );
  });

  it('mails a forgot-password code', async () => {
    const before = (await readMailbox(mail.url)).length;
    await client.send(new ForgotPasswordCommand({ ClientId: cognito.clientId, Username: email }));
    const after = await readMailbox(mail.url);
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)?.text).toMatch(/\d{6}/);
  });

  it('answers an unknown address exactly as a wrong password, as Cognito does with user-existence errors prevented', async () => {
    const attempt = (username: string, secret: string) =>
      client
        .send(
          new InitiateAuthCommand({
            ClientId: cognito.clientId,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: username, PASSWORD: secret },
          }),
        )
        .then(
          () => undefined,
          (err: unknown) => err as Error,
        );
    const unknown = await attempt('nobody@example.org', password);
    const wrong = await attempt(email, `${password}-wrong`);
    expect(unknown?.name).toBe('NotAuthorizedException');
    expect([wrong?.name, wrong?.message]).toEqual([unknown?.name, unknown?.message]);
    expect(unknown?.message).toBe('Incorrect username or password.');
    // A reset for an unknown address looks the same as one that went out, and sends nothing.
    const before = (await readMailbox(mail.url)).length;
    const reset = await client.send(
      new ForgotPasswordCommand({ ClientId: cognito.clientId, Username: 'nobody@example.org' }),
    );
    expect(reset.CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
    expect(await readMailbox(mail.url)).toHaveLength(before);
  });

  it('keeps the pool, the client and the users across a restart', async () => {
    const { userPoolId, clientId } = cognito;
    client.destroy();
    await cognito.stop();
    cognito = await start();
    client = new CognitoIdentityProviderClient({
      endpoint: cognito.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    expect(cognito.userPoolId).toBe(userPoolId);
    expect(cognito.clientId).toBe(clientId);
    const { id } = await signIn();
    expect(claims(id).email).toBe(email);
  });
});
