import { beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../local/graphql-client';
import { expectDomainError } from './support/domain-error';
import { ACCEPT, EVENTS, INVITE, ON_WORK_ORDER_CHANGED, SUBMIT } from './support/operations';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { backfillMemberReadGroups } from '../amplify/functions/shared/stores/dynamo-membership-store';
import { waitFor } from './support/wait';
import { useWorld } from './support/world';

/**
 * The isolation matrix of "Organizations, members, roles and invitations": every model and
 * operation of the finished API, tried by every kind of outsider against organization B —
 * each denied, nothing changed, nothing delivered.
 */

const SECRET = 'b-secret-boiler';
const WO_FIELDS = 'id organizationId number title status version assigneeId requesterId';

type Ids = {
  org: string;
  slug: string;
  workOrder: string;
  workOrderVersion: number;
  event: string;
  member: string;
  bobSub: string;
  inventoryItem: string;
};

describe('tenant isolation', () => {
  const world = useWorld(
    {
      name: 'isolation',
      people: {
        alice: { email: 'alice@a.example' },
        bob: { email: 'bob@b.example' },
        ivy: { email: 'ivy@x.example' },
        sam: { email: 'sam@x.example' },
        rex: { email: 'rex@x.example' },
        nora: { email: 'nora@x.example' },
        tom: { email: 'tom@b.example' },
        mia: { email: 'mia@b.example', of: 'b', role: 'MEMBER' },
      },
      organizations: { a: { owner: 'alice', name: 'Org A' }, b: { owner: 'bob', name: 'Org B' } },
    },
    300_000,
  );
  type Person = keyof typeof world.ids;
  /** Tokens taken before a suspension or removal: stale tokens still carry the old groups. */
  const staleSessions: Partial<Record<Person, Session>> = {};
  const b = {} as Ids;

  const as = <T = Record<string, unknown>>(
    who: Person,
    query: string,
    variables?: Record<string, unknown>,
    stale = false,
  ) => world.gql<T, Record<string, unknown>>(stale ? staleSessions[who] : who, query, variables);

  /** Invites an address into B as bob, and returns the member id and the token from the email. */
  async function invite(who: Person, role: string): Promise<{ memberId: string; token: string }> {
    const email = world.emails[who];
    const memberId = (await world.ok('bob', INVITE, { organizationId: b.org, email, role }))
      .inviteMember.id;
    const token = await waitFor(async () => {
      for (const mail of await world.mailbox()) {
        const link = /\/invitations\/([^\s?]+)\?token=([\w-]+)/.exec(mail.text ?? '');
        if (mail.to.includes(email) && link && decodeURIComponent(link[1] ?? '') === memberId)
          return link[2];
      }
      return undefined;
    });
    return { memberId, token };
  }

  /** Invites into B and accepts: the accepted id (re-keyed to <orgId>#<userId>) is the member's. */
  async function invited(who: Person, role: string): Promise<string> {
    const { memberId, token } = await invite(who, role);
    const accepted = await world.ok(who, ACCEPT, { memberId, token });
    await world.signIn(who);
    return accepted.acceptInvitation.id;
  }

  /** Everything bob (B's owner) can read of B, to compare before and after. */
  async function snapshotOfB(): Promise<unknown> {
    return world.ok(
      'bob',
      `query S($o: ID!, $w: ID!) {
        getOrganization(id: $o) { id name slug plan status ownerId memberCount workOrderCounter }
        membersByOrganization(organizationId: $o) { items { id userId email role status } }
        workOrdersByOrganization(organizationId: $o) { items { ${WO_FIELDS} } }
        eventsByWorkOrder(workOrderId: $w) { items { id kind fromStatus toStatus note } }
        inventoryByOrganization(organizationId: $o) { items { id sku quantity version } }
      }`,
      { o: b.org, w: b.workOrder },
    );
  }

  beforeAll(async () => {
    b.org = world.org.b;
    b.slug = (
      await world.ok<{ getOrganization: { slug: string } }, { id: string }>(
        'bob',
        'query O($id: ID!) { getOrganization(id: $id) { slug } }',
        { id: b.org },
      )
    ).getOrganization.slug;
    b.bobSub = world.ids.bob;
    const dueAt = new Date(Date.now() + 86_400_000).toISOString();
    const submitted = (
      await world.ok('bob', SUBMIT, { organizationId: b.org, title: SECRET, dueAt })
    ).submitWorkOrder;
    b.workOrder = submitted.id;
    b.workOrderVersion = submitted.version;

    // tom is an ordinary technician of B; sam will be suspended and rex removed; ivy stays invited.
    b.member = await invited('tom', 'TECHNICIAN');
    const samMember = await invited('sam', 'TECHNICIAN');
    const rexMember = await invited('rex', 'MANAGER');
    await invite('ivy', 'MEMBER');
    staleSessions.sam = world.sessions.sam;
    staleSessions.rex = world.sessions.rex;
    await world.ok(
      'bob',
      `mutation { setMemberSuspended(memberId: "${samMember}", suspended: true) { status } }`,
    );
    await world.ok('bob', `mutation { removeMember(memberId: "${rexMember}") { id } }`);
    await world.signIn('sam');
    await world.signIn('rex');

    b.event =
      (await world.ok('bob', EVENTS, { workOrderId: b.workOrder })).eventsByWorkOrder.items[0]
        ?.id ?? '';
    const stock = await world.ok<{ inventoryByOrganization: { items: { id: string }[] } }, object>(
      'bob',
      `query { inventoryByOrganization(organizationId: "${b.org}") { items { id } } }`,
    );
    b.inventoryItem = stock.inventoryByOrganization.items[0]?.id ?? 'none';
  }, 300_000);

  const OUTSIDERS = [
    ['a member of another organization', 'alice'],
    ['an invited person who has not accepted', 'ivy'],
    ['a suspended member', 'sam'],
    ['a removed member', 'rex'],
    ['a person in no organization', 'nora'],
  ] as const;

  const READS: [string, (ids: Ids) => string][] = [
    ['getOrganization', (ids) => `{ getOrganization(id: "${ids.org}") { id name } }`],
    [
      'organizationsBySlug',
      (ids) => `{ organizationsBySlug(slug: "${ids.slug}") { items { id name } } }`,
    ],
    [
      'getOrganizationMember',
      (ids) => `{ getOrganizationMember(id: "${ids.member}") { id email } }`,
    ],
    [
      'membersByOrganization',
      (ids) => `{ membersByOrganization(organizationId: "${ids.org}") { items { id email } } }`,
    ],
    [
      'membershipsByUser',
      (ids) => `{ membershipsByUser(userId: "${ids.bobSub}") { items { id organizationId } } }`,
    ],
    [
      'membershipsByEmail',
      () => `{ membershipsByEmail(email: "bob@b.example") { items { id organizationId } } }`,
    ],
    ['getWorkOrder', (ids) => `{ getWorkOrder(id: "${ids.workOrder}") { id title } }`],
    [
      'workOrdersByOrganization',
      (ids) => `{ workOrdersByOrganization(organizationId: "${ids.org}") { items { id title } } }`,
    ],
    [
      'workOrdersByOrganizationAndStatus',
      (ids) =>
        `{ workOrdersByOrganizationAndStatus(organizationId: "${ids.org}") { items { id title } } }`,
    ],
    [
      'workOrdersByRequester',
      (ids) => `{ workOrdersByRequester(requesterId: "${ids.bobSub}") { items { id title } } }`,
    ],
    [
      'workOrdersByAssignee',
      (ids) => `{ workOrdersByAssignee(assigneeId: "${ids.bobSub}") { items { id title } } }`,
    ],
    [
      'openWorkOrdersByDueDate',
      (ids) => `{ openWorkOrdersByDueDate(organizationId: "${ids.org}") { items { id title } } }`,
    ],
    ['getWorkOrderEvent', (ids) => `{ getWorkOrderEvent(id: "${ids.event}") { id note } }`],
    [
      'eventsByWorkOrder',
      (ids) => `{ eventsByWorkOrder(workOrderId: "${ids.workOrder}") { items { id note } } }`,
    ],
    ['getInventoryItem', (ids) => `{ getInventoryItem(id: "${ids.inventoryItem}") { id name } }`],
    [
      'inventoryByOrganization',
      (ids) => `{ inventoryByOrganization(organizationId: "${ids.org}") { items { id name } } }`,
    ],
    [
      'notificationsByRecipient',
      (ids) =>
        `{ notificationsByRecipient(recipientId: "${ids.bobSub}") { items { id subject } } }`,
    ],
  ];

  const WRITES: [string, (ids: Ids) => string][] = [
    [
      'submitWorkOrder into B',
      (ids) =>
        `mutation { submitWorkOrder(organizationId: "${ids.org}", title: "intruder") { id } }`,
    ],
    [
      'assignWorkOrder',
      (ids) =>
        `mutation { assignWorkOrder(id: "${ids.workOrder}", assigneeId: "${ids.bobSub}") { id } }`,
    ],
    [
      'transitionWorkOrder',
      (ids) =>
        `mutation { transitionWorkOrder(id: "${ids.workOrder}", to: CANCELLED, expectedVersion: ${ids.workOrderVersion}) { id } }`,
    ],
    [
      'addWorkOrderComment',
      (ids) =>
        `mutation { addWorkOrderComment(workOrderId: "${ids.workOrder}", body: "hello") { id } }`,
    ],
    [
      'inviteMember into B',
      (ids) =>
        `mutation { inviteMember(organizationId: "${ids.org}", email: "x@evil.example", role: ADMIN) { id } }`,
    ],
    [
      'updateMemberRole',
      (ids) => `mutation { updateMemberRole(memberId: "${ids.member}", role: ADMIN) { id } }`,
    ],
    [
      'setMemberSuspended',
      (ids) => `mutation { setMemberSuspended(memberId: "${ids.member}", suspended: true) { id } }`,
    ],
    ['removeMember', (ids) => `mutation { removeMember(memberId: "${ids.member}") { id } }`],
    [
      'transferOwnership',
      (ids) =>
        `mutation { transferOwnership(organizationId: "${ids.org}", memberId: "${ids.member}") { id } }`,
    ],
    [
      'acceptInvitation of another person',
      (ids) => `mutation { acceptInvitation(memberId: "${ids.member}", token: "guess") { id } }`,
    ],
  ];

  describe.each(OUTSIDERS)('%s', (_label, who) => {
    it.each(READS)('reads nothing of B through %s', async (_name, query) => {
      const result = await as(who, query(b));
      expect(result.status).toBe(200);
      expect(JSON.stringify(result.data ?? {})).not.toMatch(
        new RegExp(`${SECRET}|${b.org}|bob@b\\.example`),
      );
    });

    it.each(WRITES)('changes nothing of B through %s', async (_name, mutation) => {
      const before = await snapshotOfB();
      for (const stale of [false, true]) {
        if (stale && !staleSessions[who]) continue;
        const result = await as(who, mutation(b), {}, stale);
        await expectDomainError(result, /FORBIDDEN|NOT_FOUND|Unauthorized|VALIDATION|INVITATION/);
      }
      expect(await snapshotOfB()).toEqual(before);
    });

    it("is refused B's live updates and receives none of them", async () => {
      await expect(
        world.live(who, ON_WORK_ORDER_CHANGED, { organizationId: b.org }),
      ).rejects.toThrow(/refused|Unauthorized/i);
    });
  });

  it.each(OUTSIDERS)(
    'renames only %s through updateProfile, never a member of B',
    async (_label, who) => {
      const names = () =>
        world
          .ok<
            { membersByOrganization: { items: { userId: string; displayName: string | null }[] } },
            { o: string }
          >(
            'bob',
            'query N($o: ID!) { membersByOrganization(organizationId: $o) { items { userId displayName } } }',
            { o: b.org },
          )
          .then((r) => r.membersByOrganization.items);
      const before = await names();
      const result = await as(
        who,
        'mutation { updateProfile(displayName: "Mallory") { id displayName } }',
      );
      const renamed = (result.data as { updateProfile?: { id: string } } | undefined)
        ?.updateProfile;
      if (renamed) expect(renamed.id).toBe(world.ids[who]);
      expect(await names()).toEqual(before);
      expect(JSON.stringify(await names())).not.toContain('Mallory');
    },
  );

  it('offers no generated create, update, delete, list or model subscription to try', async () => {
    for (const operation of [
      'mutation { createWorkOrder(input: {}) { id } }',
      'mutation { updateOrganization(input: {}) { id } }',
      'mutation { deleteOrganizationMember(input: {}) { id } }',
      'query { listWorkOrders { items { id } } }',
      'subscription { onCreateWorkOrder { id } }',
    ]) {
      const result = await as('alice', operation);
      expect(result.errors?.[0]?.message).toMatch(
        /Validation|Cannot query field|not defined|Unknown/i,
      );
    }
  });

  it("delivers B's events to B's staff but not to an outsider subscribed to their own organization", async () => {
    const alices = await world.live('alice', ON_WORK_ORDER_CHANGED, {
      organizationId: world.org.a,
    });
    const toms = await world.live('tom', ON_WORK_ORDER_CHANGED, { organizationId: b.org });
    const created = await world.ok('bob', SUBMIT, {
      organizationId: b.org,
      title: `live ${SECRET}`,
    });
    await toms.next(
      (e) => (e.onWorkOrderChanged as { id: string }).id === created.submitWorkOrder.id,
      2000,
    );
    // The marker: a change of alice's own organization, made after B's, must reach her.
    const marker = await world.ok('alice', SUBMIT, {
      organizationId: world.org.a,
      title: 'marker',
    });
    await alices.next(
      (e) => (e.onWorkOrderChanged as { id: string }).id === marker.submitWorkOrder.id,
      2000,
    );
    expect(alices.events.map((e) => (e.onWorkOrderChanged as { id: string }).id)).toEqual([
      marker.submitWorkOrder.id,
    ]);
    alices.close();
    toms.close();
  });

  it('lets each role of B do what the matrix allows and no more', async () => {
    const tom = await as<{ submitWorkOrder: { id: string } }>(
      'tom',
      `mutation { submitWorkOrder(organizationId: "${b.org}", title: "tech request") { id } }`,
    );
    expect(tom.errors).toBeUndefined();
    const tomInvites = await as(
      'tom',
      `mutation { inviteMember(organizationId: "${b.org}", email: "y@b.example", role: MEMBER) { id } }`,
    );
    await expectDomainError(tomInvites, 'FORBIDDEN');
    const tomReads = await as<{ workOrdersByOrganization: { items: { title: string }[] } }>(
      'tom',
      `{ workOrdersByOrganization(organizationId: "${b.org}") { items { title } } }`,
    );
    expect(tomReads.data?.workOrdersByOrganization.items.map((w) => w.title)).toContain(SECRET);
  });

  describe('inside B, addresses are for staff', () => {
    type Members = { membersByOrganization: { items: { id: string; email: string }[] } };
    const MEMBERS =
      'query M($o: ID!) { membersByOrganization(organizationId: $o) { items { id email } } }';
    const addresses = async (who: Person) =>
      (
        await world.ok<Members, { o: string }>(who, MEMBERS, { o: b.org })
      ).membersByOrganization.items
        .map((m) => m.email)
        .sort();

    it("shows a MEMBER of B no one's membership row, by list or by id", async () => {
      // Staff read the whole list first: the rows are there to be hidden.
      expect(await addresses('tom')).toEqual(
        expect.arrayContaining(['bob@b.example', 'mia@b.example', 'tom@b.example']),
      );
      expect(await addresses('mia')).toEqual([]);
      const byId = await as('mia', `{ getOrganizationMember(id: "${b.member}") { id email } }`);
      expect(byId.data?.getOrganizationMember ?? null).toBeNull();
      expect(JSON.stringify(byId)).not.toContain('tom@b.example');
      // Their own membership still reaches them, through `me`.
      const me = await world.ok<
        { me: { memberships: { organizationId: string; role: string }[] } },
        object
      >('mia', '{ me { memberships { organizationId role } } }');
      expect(me.me.memberships).toContainEqual({ organizationId: b.org, role: 'MEMBER' });
    });

    it('keeps a row written before read groups existed from everyone until it is migrated', async () => {
      const legacy = {
        __typename: 'OrganizationMember',
        id: `${b.org}#legacy`,
        organizationId: b.org,
        email: 'legacy@b.example',
        role: 'TECHNICIAN',
        status: 'INVITED',
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
      };
      await world.documents.send(
        new PutCommand({ TableName: world.table('OrganizationMember'), Item: legacy }),
      );
      expect(await addresses('bob')).not.toContain('legacy@b.example');

      const table = world.table('OrganizationMember');
      expect(await backfillMemberReadGroups(world.documents, table)).toBeGreaterThanOrEqual(1);
      expect(await addresses('bob')).toContain('legacy@b.example');
      expect(await addresses('mia')).toEqual([]);
      expect(await addresses('alice')).toEqual([]);
      // Nothing is left to migrate: a second run changes nothing.
      expect(await backfillMemberReadGroups(world.documents, table)).toBe(0);
    });
  });
});
