import { rmSync } from 'node:fs';
import { ConfirmSignUpCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { type DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlOk, type LocalCognito, type Session } from '../../local/graphql-client';
import { readMailbox } from '../../local/mail';
import type { LocalRuntime } from '../../local/main';
import { startSuiteRuntime } from '../support/suite';
import { decodeJwt } from '../support/tokens';
import { waitFor } from '../support/wait';

const PASSWORD = 'Test-pass-123';
const TRIGGER = 'post-confirmation';
const ME =
  '{ me { profile { id email displayName createdAt } memberships { organizationId role } } }';

type Profile = { id: string; email: string; displayName?: string; createdAt: string };

describe('the post-confirmation trigger that throws, times out or runs twice', () => {
  let runtime: LocalRuntime;
  let dataDirectory: string;
  let cognito: LocalCognito;
  let documents: DynamoDBDocumentClient;
  let profileTable = '';

  beforeAll(async () => {
    ({ runtime, dataDirectory, cognito, documents } = await startSuiteRuntime('post-confirmation'));
    profileTable =
      runtime.assembly.tables.find((t) => t.logicalId.startsWith('ProfileTable'))?.tableName ?? '';
    expect(profileTable).not.toBe('');
  }, 240_000);

  afterAll(async () => {
    await runtime?.stop();
    if (dataDirectory) rmSync(dataDirectory, { recursive: true, force: true });
  });

  /** Signs up as a person does in the app and returns the code from the mailbox. */
  async function signUp(email: string, name: string): Promise<string> {
    await cognito.client.send(
      new SignUpCommand({
        ClientId: runtime.userPoolClientId,
        Username: email,
        Password: PASSWORD,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'preferred_username', Value: name },
        ],
      }),
    );
    const mail = await waitFor(async () =>
      (await readMailbox(runtime.urls.mailbox)).find((m) => m.to.includes(email)),
    );
    const code = /\b(\d{6})\b/.exec(`${mail.subject} ${mail.text}`)?.[1];
    if (!code) throw new Error(`no code in ${mail.text}`);
    return code;
  }

  const confirm = (email: string, code: string) =>
    cognito.client
      .send(
        new ConfirmSignUpCommand({
          ClientId: runtime.userPoolClientId,
          Username: email,
          ConfirmationCode: code,
        }),
      )
      .then(
        () => 'confirmed',
        (err: Error) => err.name,
      );

  const stored = async (sub: string) =>
    (
      await documents.send(
        new GetCommand({ TableName: profileTable, Key: { id: sub }, ConsistentRead: true }),
      )
    ).Item as Profile | undefined;

  /** Every profile with this email, whatever its key: there must be exactly one. */
  const profilesOf = async (email: string) =>
    (
      await documents.send(
        new ScanCommand({
          TableName: profileTable,
          FilterExpression: 'email = :email',
          ExpressionAttributeValues: { ':email': email },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];

  /** Signs in, reads `me`, creates an organization and submits a work order in it. */
  async function usesSteward(email: string): Promise<{ session: Session; me: Profile }> {
    let session = await cognito.signIn(email, PASSWORD);
    const me = (
      await graphqlOk<{ me: { profile: Profile } }>(runtime.urls.graphql, session.accessToken, ME)
    ).me.profile;
    const organizationId = (
      await graphqlOk<{ createOrganization: { id: string } }>(
        runtime.urls.graphql,
        session.accessToken,
        `mutation { createOrganization(name: "Org of ${email}") { id } }`,
      )
    ).createOrganization.id;
    session = await cognito.signIn(email, PASSWORD);
    const submitted = await graphqlOk<{ submitWorkOrder: { status: string; requesterId: string } }>(
      runtime.urls.graphql,
      session.accessToken,
      'mutation S($o: ID!) { submitWorkOrder(organizationId: $o, title: "Leaking roof") { status requesterId } }',
      { o: organizationId },
    );
    expect(submitted.submitWorkOrder).toEqual({ status: 'NEW', requesterId: me.id });
    return { session, me };
  }

  it('throws: the confirmation reports it, the account is confirmed, and `me` makes the one profile', async () => {
    const email = 'thrown@pc.example';
    const code = await signUp(email, 'Thrown');
    runtime.faults.failFunction(TRIGGER, { mode: 'throw', times: 1 });
    // As Cognito does: the caller hears that the trigger failed.
    expect(await confirm(email, code)).toBe('UserLambdaValidationException');
    const session = await cognito.signIn(email, PASSWORD);
    const sub = String(decodeJwt(session.idToken).payload.sub);
    expect(await stored(sub)).toBeUndefined();
    // Confirming again (the person retries) changes nothing: the account is already confirmed.
    expect(await confirm(email, code)).not.toBe('confirmed');

    const { me } = await usesSteward(email);
    expect(me).toMatchObject({ id: sub, email, displayName: 'Thrown' });
    expect(await profilesOf(email)).toEqual([
      expect.objectContaining({ id: sub, createdAt: me.createdAt }),
    ]);
  }, 120_000);

  it('times out after writing: Cognito retries or reports it; one profile, the first one', async () => {
    const email = 'slow@pc.example';
    const code = await signUp(email, 'Slow');
    runtime.faults.failFunction(TRIGGER, { mode: 'timeout', times: 1 });
    const started = Date.now();
    const outcome = await confirm(email, code);
    const tookMs = Date.now() - started;
    console.log(`post-confirmation: a timed-out trigger → ${outcome} after ${tookMs} ms`);
    // The trigger's timeout is 5 s; Cognito either retried it (and the retry found the profile)
    // or reported the failure. Either way the person goes on.
    expect(['confirmed', 'UserLambdaValidationException', 'UnexpectedLambdaException']).toContain(
      outcome,
    );
    expect(tookMs).toBeGreaterThanOrEqual(4_500);
    const session = await cognito.signIn(email, PASSWORD);
    const sub = String(decodeJwt(session.idToken).payload.sub);
    const first = await stored(sub);
    expect(first).toMatchObject({ id: sub, email, displayName: 'Slow' });

    const { me } = await usesSteward(email);
    expect(me.createdAt).toBe(first?.createdAt);
    expect(await profilesOf(email)).toHaveLength(1);
  }, 120_000);

  it('runs twice, at once and again later: one profile, never overwritten', async () => {
    const email = 'twice@pc.example';
    const code = await signUp(email, 'Twice');
    // The trigger fails first, so the two runs below race to create the profile.
    runtime.faults.failFunction(TRIGGER, { mode: 'throw', times: 1 });
    expect(await confirm(email, code)).toBe('UserLambdaValidationException');
    const session = await cognito.signIn(email, PASSWORD);
    const sub = String(decodeJwt(session.idToken).payload.sub);
    const event = (name: string) => ({
      version: '1',
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      region: 'us-east-1',
      userPoolId: runtime.userPoolId,
      userName: sub,
      callerContext: { awsSdkVersion: 'local', clientId: runtime.userPoolClientId },
      request: {
        userAttributes: { sub, email, email_verified: 'true', preferred_username: name },
      },
      response: {},
    });
    const answers = await Promise.all([
      runtime.invoke(TRIGGER, event('First')),
      runtime.invoke(TRIGGER, event('Second')),
    ]);
    expect(answers).toEqual([event('First'), event('Second')]);
    const winner = await stored(sub);
    expect(['First', 'Second']).toContain(winner?.displayName);
    expect(await runtime.invoke(TRIGGER, event('Third'))).toEqual(event('Third'));
    expect(await stored(sub)).toEqual(winner);

    const { me } = await usesSteward(email);
    expect(me).toMatchObject({
      id: sub,
      displayName: winner?.displayName,
      createdAt: winner?.createdAt,
    });
    expect(await profilesOf(email)).toHaveLength(1);
  }, 120_000);
});
