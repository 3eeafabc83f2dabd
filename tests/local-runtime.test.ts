import {
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectDomainError, expectHttpRefusal } from './support/domain-error';
import {
  ASSIGN,
  GET_WORK_ORDER,
  ME,
  ON_WORK_ORDER_CHANGED,
  SUBMIT,
  type WorkOrder,
  WORK_ORDERS,
} from './support/operations';
import { openRealtime } from './support/realtime';
import { decodeJwt, forgeries } from './support/tokens';
import { waitFor } from './support/wait';
import { PASSWORD, useWorld } from './support/world';

describe('the local runtime', () => {
  const world = useWorld({
    name: 'runtime',
    people: { alice: { email: 'alice@a.example' }, bob: { email: 'bob@b.example' } },
    organizations: {
      A: { owner: 'alice', name: 'Org A' },
      B: { owner: 'bob', name: 'Org B' },
    },
  });
  let workOrderB: WorkOrder;
  const readB = async () =>
    (await world.ok('bob', GET_WORK_ORDER, { id: workOrderB.id })).getWorkOrder as WorkOrder;

  beforeAll(async () => {
    workOrderB = (
      await world.ok('bob', SUBMIT, { organizationId: world.org.B, title: 'B only: boiler noise' })
    ).submitWorkOrder;
  });

  it('signs up with the code from the mailbox and creates exactly one profile, even when the trigger runs twice', async () => {
    const email = 'carol@a.example';
    const code = await world.requestSignUp(email);
    expect(code).toMatch(/^\d{6}$/);
    await world.confirmSignUp(email, code);
    const session = await world.cognito.signIn(email, PASSWORD);
    const sub = String(decodeJwt(session.idToken).payload.sub);
    expect(decodeJwt(session.idToken).payload.email_verified).toBe(true);

    const profile = () =>
      world.documents.send(new GetCommand({ TableName: world.table('Profile'), Key: { id: sub } }));
    const first = await profile();
    expect(first.Item?.email).toBe(email);

    // Cognito retries triggers: run it again with the same event; nothing may change.
    const event = world.postConfirmationEvent({ sub, email });
    await world.runtime.invoke('post-confirmation', event);
    await world.runtime.invoke('post-confirmation', event);
    expect((await profile()).Item).toEqual(first.Item);

    const me = await world.ok(session, ME);
    expect({ id: me.me.profile.id, email: me.me.profile.email }).toEqual({ id: sub, email });
  });

  it('resets a forgotten password with the code from the mailbox', async () => {
    const email = 'dora@a.example';
    await world.cognito.createConfirmedUser(email, PASSWORD);
    const before = (await world.mailbox()).filter((m) => m.to.includes(email)).length; // sign-up already mailed a code
    const ClientId = world.runtime.userPoolClientId;
    await world.cognito.client.send(new ForgotPasswordCommand({ ClientId, Username: email }));
    const code = await world.mailedCode(email, before);
    const newPassword = 'Changed-pass-456';
    const reset = (ConfirmationCode: string) =>
      world.cognito.client.send(
        new ConfirmForgotPasswordCommand({
          ClientId,
          Username: email,
          ConfirmationCode,
          Password: newPassword,
        }),
      );
    await expect(reset('000000')).rejects.toThrow();
    await reset(code);
    await expect(world.cognito.signIn(email, PASSWORD)).rejects.toThrow();
    const session = await world.cognito.signIn(email, newPassword);
    expect(decodeJwt(session.idToken).payload.email).toBe(email);
  });

  it('answers 401 to a request without a token', async () => {
    await expectHttpRefusal(world.gql(undefined, ME), 401, 'UnauthorizedException');
  });

  it.each([
    'unsigned',
    're-signed with another key',
    'tampered groups',
    'expired by a second',
    'wrong issuer',
    'wrong client',
  ])('answers 401 to a %s token, over HTTP and WebSocket', async (kind) => {
    const forged = forgeries(world.sessions.alice.accessToken)[kind] ?? '';
    await expectHttpRefusal(
      world.gql({ idToken: '', accessToken: forged }, GET_WORK_ORDER, { id: workOrderB.id }),
      401,
      'UnauthorizedException',
    );
    await expect(
      openRealtime(world.runtime.urls.realtime, world.runtime.urls.graphql, forged),
    ).rejects.toThrow();
  });

  it("does not let a member of A get, list, assign or change B's work orders", async () => {
    const get = await world.gql('alice', GET_WORK_ORDER, { id: workOrderB.id });
    expect(get.data?.getWorkOrder ?? null).toBeNull();
    expect(JSON.stringify(get)).not.toContain('boiler');

    const list = await world.gql('alice', WORK_ORDERS, { o: world.org.B });
    expect(list.data?.workOrdersByOrganization?.items ?? []).toEqual([]);

    await expectDomainError(
      world.gql('alice', ASSIGN, { id: workOrderB.id }),
      /FORBIDDEN|NOT_FOUND/,
    );
    await expectDomainError(
      world.gql('alice', SUBMIT, { organizationId: world.org.B, title: 'sneaky' }),
      /FORBIDDEN|NOT_FOUND/,
    );

    // The generated model mutations are not part of the API at all.
    for (const mutation of ['updateWorkOrder', 'deleteWorkOrder', 'createWorkOrder']) {
      const result = await world.gql(
        'alice',
        `mutation { ${mutation}(input: { id: "${workOrderB.id}" }) { id } }`,
      );
      expect(result.errors?.length).toBeGreaterThan(0);
    }
    const { title, version, assigneeId } = await readB();
    expect({ title, version, assigneeId }).toEqual({
      title: 'B only: boiler noise',
      version: workOrderB.version,
      assigneeId: null,
    });
  });

  it("delivers A's new work order to A's subscriber within 1 s, and none of B's", async () => {
    const subscription = await world.live('alice', ON_WORK_ORDER_CHANGED, {
      organizationId: world.org.A,
    });
    await world.gql('bob', SUBMIT, { organizationId: world.org.B, title: 'for B eyes only' });
    const sent = Date.now();
    const mine = await world.gql('alice', SUBMIT, { organizationId: world.org.A, title: 'for A' });
    const event = await subscription.next(
      (e) =>
        (e.onWorkOrderChanged as { id?: string } | undefined)?.id === mine.data?.submitWorkOrder.id,
      1000,
    );
    expect(Date.now() - sent).toBeLessThan(1000);
    expect((event.onWorkOrderChanged as { organizationId: string }).organizationId).toBe(
      world.org.A,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(
      subscription.events.map(
        (e) => (e.onWorkOrderChanged as { organizationId: string }).organizationId,
      ),
    ).toEqual([world.org.A]);
  });

  it("refuses a subscription to another organization's work orders", async () => {
    await expect(
      world.live('alice', ON_WORK_ORDER_CHANGED, { organizationId: world.org.B }),
    ).rejects.toThrow(/refused|Unauthorized/i);
  });

  it('emails the assignee when a work order is assigned', async () => {
    const assigned = await world.gql('bob', ASSIGN, {
      id: workOrderB.id,
      assigneeId: world.ids.bob,
      v: workOrderB.version,
    });
    expect(assigned.errors).toBeUndefined();
    const { status, assigneeId } = assigned.data?.assignWorkOrder ?? {};
    expect({ status, assigneeId }).toEqual({ status: 'ASSIGNED', assigneeId: world.ids.bob });
    const assignedToBob = async () =>
      (await world.mailbox()).filter(
        (m) => m.to.includes('bob@b.example') && /assigned/i.test(m.subject),
      );
    const mail = await waitFor(async () => (await assignedToBob())[0]);
    expect(mail.text).toContain('boiler');
    await world.runtime.streamsIdle();
    expect(await assignedToBob()).toHaveLength(1);
  });

  it('keeps data written before a restart', async () => {
    await world.restart();
    await world.signIn('bob');
    expect((await readB()).title).toBe('B only: boiler noise');
  }, 120_000);
});
