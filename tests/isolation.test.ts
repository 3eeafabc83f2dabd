import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, graphqlOk, LocalCognito, type Session } from '../local/graphql-client';
import { readMailbox } from '../local/mail';
import { type LocalRuntime, startLocalRuntime } from '../local/main';
import { openRealtime, subscribe } from './support/realtime';
import { decodeJwt } from './support/tokens';
import { waitFor } from './support/wait';

/**
 * The isolation matrix of "Organizations, members, roles and invitations": every model and
 * operation of the finished API, tried by every kind of outsider against organization B —
 * each denied, nothing changed, nothing delivered.
 */

const PASSWORD = 'Test-pass-123';
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
  let runtime: LocalRuntime;
  let dataDirectory: string;
  let cognito: LocalCognito;
  const sessions: Record<string, Session> = {};
  /** Tokens taken before a suspension or removal: stale tokens still carry the old groups. */
  const staleSessions: Record<string, Session> = {};
  let b: Ids;
  let orgA = '';

  const url = () => runtime.urls.graphql;
  const as = <T = Record<string, unknown>>(
    who: string,
    query: string,
    variables?: Record<string, unknown>,
    stale = false,
  ) => graphql<T>(url(), (stale ? staleSessions : sessions)[who]?.accessToken, query, variables);
  const signIn = async (email: string) => {
    sessions[email] = await cognito.signIn(email, PASSWORD);
    return sessions[email] as Session;
  };
  const sub = (email: string) => String(decodeJwt(sessions[email]?.idToken ?? '').payload.sub);

  /** Invites an address into B as bob, and returns the member id and the token from the email. */
  async function invite(email: string, role: string): Promise<{ memberId: string; token: string }> {
    const invited = await graphqlOk<{ inviteMember: { id: string } }>(
      url(),
      sessions['bob@b.example']?.accessToken ?? '',
      'mutation I($o: ID!, $e: String!, $r: Role!) { inviteMember(organizationId: $o, email: $e, role: $r) { id } }',
      { o: b.org, e: email, r: role },
    );
    const memberId = invited.inviteMember.id;
    const token = await waitFor(async () => {
      for (const mail of await readMailbox(runtime.urls.mailbox)) {
        const link = /\/invitations\/([^\s?]+)\?token=([\w-]+)/.exec(mail.text ?? '');
        if (mail.to.includes(email) && link && decodeURIComponent(link[1] ?? '') === memberId)
          return link[2];
      }
      return undefined;
    });
    return { memberId, token };
  }

  async function join(email: string, role: string): Promise<string> {
    const { memberId, token } = await invite(email, role);
    // Accepting re-keys the membership to <orgId>#<userId>: the accepted id is the member's id.
    const accepted = await graphqlOk<{ acceptInvitation: { id: string } }>(
      url(),
      sessions[email]?.accessToken ?? '',
      'mutation A($m: ID!, $t: String!) { acceptInvitation(memberId: $m, token: $t) { id status } }',
      { m: memberId, t: token },
    );
    await signIn(email);
    return accepted.acceptInvitation.id;
  }

  /** Everything bob (B's owner) can read of B, to compare before and after. */
  async function snapshotOfB(): Promise<unknown> {
    const bobToken = sessions['bob@b.example']?.accessToken ?? '';
    return graphqlOk(
      url(),
      bobToken,
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
    dataDirectory = mkdtempSync(path.join(os.tmpdir(), 'steward-isolation-'));
    runtime = await startLocalRuntime({
      dataDirectory,
      ports: 'auto',
      app: false,
      demo: false,
      writeOutputsFiles: false,
    });
    cognito = new LocalCognito(runtime.urls.cognito, runtime.userPoolId, runtime.userPoolClientId);
    const people = [
      'alice@a.example',
      'bob@b.example',
      'ivy@x.example',
      'sam@x.example',
      'rex@x.example',
      'nora@x.example',
      'tom@b.example',
    ];
    for (const email of people) {
      await cognito.createConfirmedUser(email, PASSWORD);
      await signIn(email);
    }
    for (const [email, name] of [
      ['alice@a.example', 'Org A'],
      ['bob@b.example', 'Org B'],
    ] as const) {
      const created = await graphqlOk<{ createOrganization: { id: string; slug: string } }>(
        url(),
        sessions[email]?.accessToken ?? '',
        `mutation { createOrganization(name: "${name}") { id slug } }`,
      );
      if (email === 'alice@a.example') orgA = created.createOrganization.id;
      else b = { org: created.createOrganization.id, slug: created.createOrganization.slug } as Ids;
      await signIn(email);
    }
    b.bobSub = sub('bob@b.example');
    const submitted = await graphqlOk<{ submitWorkOrder: { id: string; version: number } }>(
      url(),
      sessions['bob@b.example']?.accessToken ?? '',
      `mutation { submitWorkOrder(organizationId: "${b.org}", title: "${SECRET}", dueAt: "${new Date(Date.now() + 86_400_000).toISOString()}") { id version } }`,
    );
    b.workOrder = submitted.submitWorkOrder.id;
    b.workOrderVersion = submitted.submitWorkOrder.version;

    // tom is an ordinary technician of B; sam will be suspended and rex removed; ivy stays invited.
    b.member = await join('tom@b.example', 'TECHNICIAN');
    const samMember = await join('sam@x.example', 'TECHNICIAN');
    const rexMember = await join('rex@x.example', 'MANAGER');
    await invite('ivy@x.example', 'MEMBER');
    staleSessions['sam@x.example'] = sessions['sam@x.example'] as Session;
    staleSessions['rex@x.example'] = sessions['rex@x.example'] as Session;
    const bobToken = sessions['bob@b.example']?.accessToken ?? '';
    await graphqlOk(
      url(),
      bobToken,
      `mutation { setMemberSuspended(memberId: "${samMember}", suspended: true) { status } }`,
    );
    await graphqlOk(url(), bobToken, `mutation { removeMember(memberId: "${rexMember}") { id } }`);
    await signIn('sam@x.example');
    await signIn('rex@x.example');

    const events = await graphqlOk<{ eventsByWorkOrder: { items: { id: string }[] } }>(
      url(),
      bobToken,
      `query { eventsByWorkOrder(workOrderId: "${b.workOrder}") { items { id } } }`,
    );
    b.event = events.eventsByWorkOrder.items[0]?.id ?? '';
    const stock = await graphqlOk<{ inventoryByOrganization: { items: { id: string }[] } }>(
      url(),
      bobToken,
      `query { inventoryByOrganization(organizationId: "${b.org}") { items { id } } }`,
    );
    b.inventoryItem = stock.inventoryByOrganization.items[0]?.id ?? 'none';
  }, 300_000);

  afterAll(async () => {
    await runtime?.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  const OUTSIDERS = [
    ['a member of another organization', 'alice@a.example'],
    ['an invited person who has not accepted', 'ivy@x.example'],
    ['a suspended member', 'sam@x.example'],
    ['a removed member', 'rex@x.example'],
    ['a person in no organization', 'nora@x.example'],
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
        expect(result.errors?.length, JSON.stringify(result)).toBeGreaterThan(0);
        expect(result.errors?.[0]?.errorType).toMatch(
          /FORBIDDEN|NOT_FOUND|Unauthorized|VALIDATION|INVITATION/,
        );
      }
      expect(await snapshotOfB()).toEqual(before);
    });

    it("is refused B's live updates and receives none of them", async () => {
      const token = sessions[who]?.accessToken ?? '';
      const socket = await openRealtime(runtime.urls.realtime, url(), token);
      try {
        const query = `subscription S($o: ID!) { onWorkOrderChanged(organizationId: $o) { ${WO_FIELDS} } }`;
        await expect(subscribe(socket, url(), token, query, { o: b.org })).rejects.toThrow(
          /refused|Unauthorized/i,
        );
      } finally {
        socket.close();
      }
    });
  });

  it('offers no generated create, update, delete, list or model subscription to try', async () => {
    for (const operation of [
      'mutation { createWorkOrder(input: {}) { id } }',
      'mutation { updateOrganization(input: {}) { id } }',
      'mutation { deleteOrganizationMember(input: {}) { id } }',
      'query { listWorkOrders { items { id } } }',
      'subscription { onCreateWorkOrder { id } }',
    ]) {
      const result = await as('alice@a.example', operation);
      expect(result.errors?.[0]?.message).toMatch(
        /Validation|Cannot query field|not defined|Unknown/i,
      );
    }
  });

  it("delivers B's events to B's staff but not to an outsider subscribed to their own organization", async () => {
    const aliceToken = sessions['alice@a.example']?.accessToken ?? '';
    const tomToken = sessions['tom@b.example']?.accessToken ?? '';
    const query = `subscription S($o: ID!) { onWorkOrderChanged(organizationId: $o) { ${WO_FIELDS} } }`;
    const aliceSocket = await openRealtime(runtime.urls.realtime, url(), aliceToken);
    const tomSocket = await openRealtime(runtime.urls.realtime, url(), tomToken);
    try {
      const alices = await subscribe(aliceSocket, url(), aliceToken, query, { o: orgA });
      const toms = await subscribe(tomSocket, url(), tomToken, query, { o: b.org });
      const created = await graphqlOk<{ submitWorkOrder: { id: string } }>(
        url(),
        sessions['bob@b.example']?.accessToken ?? '',
        `mutation { submitWorkOrder(organizationId: "${b.org}", title: "live ${SECRET}") { id } }`,
      );
      await toms.next(
        (e) => (e.onWorkOrderChanged as { id: string }).id === created.submitWorkOrder.id,
        2000,
      );
      await new Promise((r) => setTimeout(r, 300));
      expect(alices.events).toEqual([]);
    } finally {
      aliceSocket.close();
      tomSocket.close();
    }
  });

  it('lets each role of B do what the matrix allows and no more', async () => {
    const tom = await as<{ submitWorkOrder: { id: string } }>(
      'tom@b.example',
      `mutation { submitWorkOrder(organizationId: "${b.org}", title: "tech request") { id } }`,
    );
    expect(tom.errors).toBeUndefined();
    const tomInvites = await as(
      'tom@b.example',
      `mutation { inviteMember(organizationId: "${b.org}", email: "y@b.example", role: MEMBER) { id } }`,
    );
    expect(tomInvites.errors?.[0]?.errorType).toBe('FORBIDDEN');
    const tomReads = await as<{ workOrdersByOrganization: { items: { title: string }[] } }>(
      'tom@b.example',
      `{ workOrdersByOrganization(organizationId: "${b.org}") { items { title } } }`,
    );
    expect(tomReads.data?.workOrdersByOrganization.items.map((w) => w.title)).toContain(SECRET);
  });
});
