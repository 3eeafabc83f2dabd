import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../local/graphql-client';
import { CREATE_ORGANIZATION, ME, type Me, SUBMIT } from '../support/operations';
import { decodeJwt } from '../support/tokens';
import { PASSWORD, useWorld } from '../support/world';

const TRIGGER = 'post-confirmation';

type Profile = Me['profile'];

describe('the post-confirmation trigger that throws, times out or runs twice', () => {
  const world = useWorld({ name: 'post-confirmation', people: {} });

  /** Signs up as a person does in the app and returns the code from the mailbox. */
  const signUp = (email: string, name: string) =>
    world.requestSignUp(email, { preferred_username: name });

  const confirm = (email: string, code: string) =>
    world.confirmSignUp(email, code).then(
      () => 'confirmed',
      (err: Error) => err.name,
    );

  const stored = async (sub: string) =>
    (
      await world.documents.send(
        new GetCommand({
          TableName: world.table('Profile'),
          Key: { id: sub },
          ConsistentRead: true,
        }),
      )
    ).Item as Profile | undefined;

  /** Every profile with this email, whatever its key: there must be exactly one. */
  const profilesOf = async (email: string) =>
    (
      await world.documents.send(
        new ScanCommand({
          TableName: world.table('Profile'),
          FilterExpression: 'email = :email',
          ExpressionAttributeValues: { ':email': email },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];

  /** Signs in, reads `me`, creates an organization and submits a work order in it. */
  async function usesSteward(email: string): Promise<{ session: Session; me: Profile }> {
    let session = await world.cognito.signIn(email, PASSWORD);
    const me = (await world.ok(session, ME)).me.profile;
    const organizationId = (
      await world.ok(session, CREATE_ORGANIZATION, { name: `Org of ${email}` })
    ).createOrganization.id;
    session = await world.cognito.signIn(email, PASSWORD);
    const { status, requesterId } = (
      await world.ok(session, SUBMIT, { organizationId, title: 'Leaking roof' })
    ).submitWorkOrder;
    expect({ status, requesterId }).toEqual({ status: 'NEW', requesterId: me.id });
    return { session, me };
  }

  it('throws: the confirmation reports it, the account is confirmed, and `me` makes the one profile', async () => {
    const email = 'thrown@pc.example';
    const code = await signUp(email, 'Thrown');
    world.runtime.faults.failFunction(TRIGGER, { mode: 'throw', times: 1 });
    // As Cognito does: the caller hears that the trigger failed.
    expect(await confirm(email, code)).toBe('UserLambdaValidationException');
    const session = await world.cognito.signIn(email, PASSWORD);
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
    world.runtime.faults.failFunction(TRIGGER, { mode: 'timeout', times: 1 });
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
    const session = await world.cognito.signIn(email, PASSWORD);
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
    world.runtime.faults.failFunction(TRIGGER, { mode: 'throw', times: 1 });
    expect(await confirm(email, code)).toBe('UserLambdaValidationException');
    const session = await world.cognito.signIn(email, PASSWORD);
    const sub = String(decodeJwt(session.idToken).payload.sub);
    const event = (name: string) =>
      world.postConfirmationEvent({ sub, email, preferred_username: name });
    const answers = await Promise.all([
      world.runtime.invoke(TRIGGER, event('First')),
      world.runtime.invoke(TRIGGER, event('Second')),
    ]);
    expect(answers).toEqual([event('First'), event('Second')]);
    const winner = await stored(sub);
    expect(['First', 'Second']).toContain(winner?.displayName);
    expect(await world.runtime.invoke(TRIGGER, event('Third'))).toEqual(event('Third'));
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
