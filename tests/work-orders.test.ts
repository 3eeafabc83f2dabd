import { rmSync } from 'node:fs';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../core/organizations/roles';
import type { WorkOrderStatus } from '../core/work-orders/vocabulary';
import { graphql, graphqlOk, LocalCognito, type Session } from '../local/graphql-client';
import { readMailbox } from '../local/mail';
import type { LocalRuntime } from '../local/main';
import { openRealtime, subscribe } from './support/realtime';
import { waitFor } from './support/wait';
import { seedActiveMember } from './support/members';
import { signUpPeople, startSuiteRuntime } from './support/suite';

const PASSWORD = 'Test-pass-123';
const FIELDS =
  'id organizationId number title status requesterId assigneeId version assignedAt startedAt completedAt completedBy closedAt laborMinutes completionNotes openDueAt titleLower';
const SUBMIT = `mutation Submit($organizationId: ID!, $title: String!, $draft: Boolean, $dueAt: AWSDateTime) {
  submitWorkOrder(organizationId: $organizationId, title: $title, draft: $draft, dueAt: $dueAt) { ${FIELDS} } }`;
const ASSIGN = `mutation Assign($id: ID!, $assigneeId: String, $v: Int) {
  assignWorkOrder(id: $id, assigneeId: $assigneeId, expectedVersion: $v) { ${FIELDS} } }`;
const TRANSITION = `mutation Move($id: ID!, $to: WorkOrderStatus!, $v: Int!, $note: String, $laborMinutes: Int, $completionNotes: String) {
  transitionWorkOrder(id: $id, to: $to, expectedVersion: $v, note: $note, laborMinutes: $laborMinutes, completionNotes: $completionNotes) { ${FIELDS} } }`;
const COMMENT = `mutation Comment($workOrderId: ID!, $body: String!) {
  addWorkOrderComment(workOrderId: $workOrderId, body: $body) { id workOrderId kind note actorId at } }`;
const EVENTS = `query Events($workOrderId: ID!) {
  eventsByWorkOrder(workOrderId: $workOrderId, sortDirection: ASC, limit: 200) { items { id kind fromStatus toStatus actorId note at } } }`;
const ON_CHANGED = `subscription On($organizationId: ID!) {
  onWorkOrderChanged(organizationId: $organizationId) { id organizationId requesterId status version } }`;

type WorkOrder = {
  id: string;
  number: number;
  status: WorkOrderStatus;
  requesterId: string;
  assigneeId: string | null;
  version: number;
  laborMinutes: number | null;
  completionNotes: string | null;
  openDueAt: string | null;
  titleLower: string | null;
  startedAt: string | null;
  completedAt: string | null;
  completedBy: string | null;
  closedAt: string | null;
};
type Event = {
  id: string;
  kind: string;
  fromStatus: string | null;
  toStatus: string | null;
  actorId: string;
  note: string | null;
  at: string;
};

/** The people of the organization, by the name the tests use. */
const PEOPLE = {
  owner: { email: 'owner@wo.example', role: 'OWNER' },
  manager: { email: 'manager@wo.example', role: 'MANAGER' },
  tech: { email: 'tech@wo.example', role: 'TECHNICIAN' },
  tech2: { email: 'tech2@wo.example', role: 'TECHNICIAN' },
  member: { email: 'member@wo.example', role: 'MEMBER' },
  member2: { email: 'member2@wo.example', role: 'MEMBER' },
  viewer: { email: 'viewer@wo.example', role: 'VIEWER' },
} as const satisfies Record<string, { email: string; role: Role }>;
type Person = keyof typeof PEOPLE;

describe('work orders through the local runtime', () => {
  let runtime: LocalRuntime;
  let dataDirectory: string;
  let cognito: LocalCognito;
  let documents: DynamoDBDocumentClient;
  let organizationId = '';
  const sessions = {} as Record<Person, Session>;
  const ids = {} as Record<Person, string>;

  const table = (model: string): string => runtime.tableName(model);
  const gql = <T = Record<string, unknown>>(
    who: Person,
    query: string,
    variables?: Record<string, unknown>,
  ) => graphql<T>(runtime.urls.graphql, sessions[who].accessToken, query, variables);
  const ok = <T = Record<string, unknown>>(
    who: Person,
    query: string,
    variables?: Record<string, unknown>,
  ) => graphqlOk<T>(runtime.urls.graphql, sessions[who].accessToken, query, variables);

  const submit = async (who: Person, title: string, extra: Record<string, unknown> = {}) =>
    (await ok<{ submitWorkOrder: WorkOrder }>(who, SUBMIT, { organizationId, title, ...extra }))
      .submitWorkOrder;
  const move = (
    who: Person,
    workOrder: Pick<WorkOrder, 'id' | 'version'>,
    to: WorkOrderStatus,
    extra: Record<string, unknown> = {},
  ) =>
    gql<{ transitionWorkOrder: WorkOrder }>(who, TRANSITION, {
      id: workOrder.id,
      to,
      v: workOrder.version,
      ...extra,
    });
  const moveOk = async (
    who: Person,
    workOrder: Pick<WorkOrder, 'id' | 'version'>,
    to: WorkOrderStatus,
    extra: Record<string, unknown> = {},
  ) => {
    const result = await move(who, workOrder, to, extra);
    if (result.errors?.length || !result.data)
      throw new Error(`${to} failed: ${JSON.stringify(result.errors)}`);
    return result.data.transitionWorkOrder;
  };
  const events = async (who: Person, workOrderId: string) =>
    (await ok<{ eventsByWorkOrder: { items: Event[] } }>(who, EVENTS, { workOrderId }))
      .eventsByWorkOrder.items;
  const read = async (workOrderId: string) =>
    (
      await ok<{ getWorkOrder: WorkOrder }>(
        'manager',
        `query G($id: ID!) { getWorkOrder(id: $id) { ${FIELDS} } }`,
        { id: workOrderId },
      )
    ).getWorkOrder;

  /** A work order requested by `member`, driven to `status` by the manager and the technician. */
  async function reach(status: WorkOrderStatus, title = `reach ${status}`): Promise<WorkOrder> {
    if (status === 'DRAFT') return submit('member', title, { draft: true });
    let workOrder = await submit('member', title);
    if (status === 'NEW') return workOrder;
    if (status === 'CANCELLED') return moveOk('manager', workOrder, 'CANCELLED');
    workOrder = (
      await ok<{ assignWorkOrder: WorkOrder }>('manager', ASSIGN, {
        id: workOrder.id,
        assigneeId: ids.tech,
        v: workOrder.version,
      })
    ).assignWorkOrder;
    if (status === 'ASSIGNED') return workOrder;
    workOrder = await moveOk('tech', workOrder, 'IN_PROGRESS');
    if (status === 'IN_PROGRESS') return workOrder;
    if (status === 'ON_HOLD') return moveOk('tech', workOrder, 'ON_HOLD');
    workOrder = await moveOk('tech', workOrder, 'COMPLETED');
    if (status === 'COMPLETED') return workOrder;
    return moveOk('manager', workOrder, 'CLOSED');
  }

  /** Makes `who` an ACTIVE member the way the server records one: the item and its Cognito groups. */
  async function join(who: Person): Promise<void> {
    const { email, role } = PEOPLE[who];
    await seedActiveMember({
      documents,
      cognito,
      table: table('OrganizationMember'),
      organizationId: organizationId,
      userId: ids[who],
      email,
      role,
      displayName: who,
    });
  }

  beforeAll(async () => {
    ({ runtime, dataDirectory, cognito, documents } = await startSuiteRuntime('work-orders'));
    await signUpPeople(cognito, PEOPLE, PASSWORD, sessions, ids);
    const created = await ok<{ createOrganization: { id: string } }>(
      'owner',
      'mutation { createOrganization(name: "Work order tests") { id } }',
    );
    organizationId = created.createOrganization.id;
    // Well over the FREE plan's 50 work orders a month are submitted here.
    await documents.send(
      new UpdateCommand({
        TableName: table('Organization'),
        Key: { id: organizationId },
        UpdateExpression: 'SET #plan = :plan',
        ExpressionAttributeNames: { '#plan': 'plan' },
        ExpressionAttributeValues: { ':plan': 'STARTER' },
      }),
    );
    for (const who of Object.keys(PEOPLE) as Person[]) {
      if (who !== 'owner') await join(who);
      sessions[who] = await cognito.signIn(PEOPLE[who].email, PASSWORD); // new groups arrive with a new token
    }
  }, 240_000);

  afterAll(async () => {
    await runtime?.stop();
    if (dataDirectory) rmSync(dataDirectory, { recursive: true, force: true });
  });

  describe('a sample of the transition table', () => {
    it.each([
      ['DRAFT', 'NEW', 'member', 'OK'],
      ['DRAFT', 'NEW', 'manager', 'FORBIDDEN'],
      ['NEW', 'ASSIGNED', 'tech2', 'OK'],
      ['NEW', 'ASSIGNED', 'viewer', 'FORBIDDEN'],
      ['NEW', 'IN_PROGRESS', 'viewer', 'ILLEGAL_TRANSITION'],
      ['NEW', 'CANCELLED', 'member', 'OK'],
      ['NEW', 'CANCELLED', 'member2', 'NOT_FOUND'],
      ['ASSIGNED', 'IN_PROGRESS', 'tech', 'OK'],
      ['ASSIGNED', 'IN_PROGRESS', 'tech2', 'FORBIDDEN'],
      ['ASSIGNED', 'NEW', 'manager', 'OK'],
      ['ASSIGNED', 'CANCELLED', 'member', 'OK'],
      ['IN_PROGRESS', 'CANCELLED', 'member', 'FORBIDDEN'],
      ['IN_PROGRESS', 'ON_HOLD', 'tech', 'OK'],
      ['IN_PROGRESS', 'COMPLETED', 'tech2', 'FORBIDDEN'],
      ['ON_HOLD', 'COMPLETED', 'manager', 'ILLEGAL_TRANSITION'],
      ['ON_HOLD', 'IN_PROGRESS', 'tech', 'OK'],
      ['COMPLETED', 'CLOSED', 'tech', 'FORBIDDEN'],
      ['COMPLETED', 'CLOSED', 'manager', 'OK'],
      ['COMPLETED', 'IN_PROGRESS', 'owner', 'OK'],
      ['COMPLETED', 'IN_PROGRESS', 'tech', 'FORBIDDEN'],
      ['CLOSED', 'IN_PROGRESS', 'owner', 'ILLEGAL_TRANSITION'],
      ['CANCELLED', 'NEW', 'manager', 'ILLEGAL_TRANSITION'],
    ] as const)('%s → %s by the %s: %s', async (from, to, who, outcome) => {
      const before = await reach(from);
      const eventsBefore = await events('manager', before.id);
      const result = await move(who, before, to);
      if (outcome === 'OK') {
        expect(result.errors).toBeUndefined();
        expect(result.data?.transitionWorkOrder).toMatchObject({
          status: to,
          version: before.version + 1,
        });
        expect((await events('manager', before.id)).at(-1)).toMatchObject({
          fromStatus: from,
          toStatus: to,
          actorId: ids[who],
        });
      } else {
        expect(result.errors?.[0]?.errorType).toBe(outcome);
        expect(await read(before.id)).toMatchObject({ status: from, version: before.version });
        expect(await events('manager', before.id)).toHaveLength(eventsBefore.length);
      }
    });

    it('names the allowed next states in ILLEGAL_TRANSITION', async () => {
      const workOrder = await reach('ON_HOLD');
      const result = await move('manager', workOrder, 'CLOSED');
      expect(result.errors?.[0]?.errorType).toBe('ILLEGAL_TRANSITION');
      expect(result.errors?.[0]?.message).toMatch(/from ON_HOLD to CLOSED.*IN_PROGRESS, CANCELLED/);
    });
  });

  it('lets exactly one of 8 concurrent transitions with one expectedVersion through; the rest CONFLICT and leave no event', async () => {
    // Warm every Lambda execution environment first, so the figure below is not cold starts.
    await Promise.all(Array.from({ length: 8 }, () => gql('tech', '{ me { profile { id } } }')));
    const workOrder = await reach('ASSIGNED', 'race to start');
    const started = Date.now();
    const latencies: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const result = await move('tech', workOrder, 'IN_PROGRESS');
        latencies.push(Date.now() - started);
        return result;
      }),
    );
    const elapsed = Date.now() - started;
    const succeeded = results.filter((r) => r.data?.transitionWorkOrder && !r.errors);
    expect(succeeded).toHaveLength(1);
    expect(results.filter((r) => r.errors?.[0]?.errorType === 'CONFLICT')).toHaveLength(7);
    const timeline = await events('manager', workOrder.id);
    expect(timeline.filter((e) => e.kind === 'STARTED')).toHaveLength(succeeded.length);
    expect(await read(workOrder.id)).toMatchObject({
      status: 'IN_PROGRESS',
      version: workOrder.version + 1,
    });
    console.info(
      `8 concurrent transitions settled in ${elapsed} ms (answers at ${latencies.join(', ')} ms)`,
    );
  });

  it('lets one of concurrent conflicting moves win (cancel against start) and writes only its event', async () => {
    const workOrder = await reach('ASSIGNED', 'cancel or start');
    const results = await Promise.all([
      move('tech', workOrder, 'IN_PROGRESS'),
      move('manager', workOrder, 'CANCELLED'),
      move('member', workOrder, 'CANCELLED'),
      move('manager', workOrder, 'NEW'),
    ]);
    const winners = results.filter((r) => !r.errors);
    expect(winners).toHaveLength(1);
    const winner = winners[0]?.data?.transitionWorkOrder;
    const timeline = await events('manager', workOrder.id);
    expect(timeline.map((e) => e.kind)).toEqual(['SUBMITTED', 'ASSIGNED', expect.any(String)]);
    expect(timeline.at(-1)?.toStatus).toBe(winner?.status);
  });

  it('numbers concurrent submissions distinctly and consecutively', async () => {
    const before = (await submit('member', 'numbering baseline')).number;
    const submitted = await Promise.all(
      Array.from({ length: 8 }, (_, i) => submit(i % 2 ? 'member' : 'manager', `concurrent ${i}`)),
    );
    const numbers = submitted.map((w) => w.number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 8 }, (_, i) => before + 1 + i));
  });

  it('shows a MEMBER only their own work orders, in lists and live', async () => {
    const memberToken = sessions.member.accessToken;
    const techToken = sessions.tech.accessToken;
    const memberSocket = await openRealtime(
      runtime.urls.realtime,
      runtime.urls.graphql,
      memberToken,
    );
    const techSocket = await openRealtime(runtime.urls.realtime, runtime.urls.graphql, techToken);
    try {
      const memberLive = await subscribe(
        memberSocket,
        runtime.urls.graphql,
        memberToken,
        ON_CHANGED,
        { organizationId },
      );
      const techLive = await subscribe(techSocket, runtime.urls.graphql, techToken, ON_CHANGED, {
        organizationId,
      });
      const theirs = await submit('member2', 'member2 only: broken window');
      const mine = await submit('member', 'member: squeaky door');
      const theirsMoved = await moveOk('manager', theirs, 'CANCELLED');
      const mineMoved = await moveOk('manager', mine, 'CANCELLED');
      const changeOf = (e: Record<string, unknown>) =>
        e.onWorkOrderChanged as { id: string; status: string; version: number };
      await memberLive.next(
        (e) => changeOf(e).id === mine.id && changeOf(e).status === 'CANCELLED',
        2000,
      );
      await techLive.next(
        (e) => changeOf(e).id === theirs.id && changeOf(e).version === theirsMoved.version,
        2000,
      );
      await techLive.next(
        (e) => changeOf(e).id === mine.id && changeOf(e).version === mineMoved.version,
        2000,
      );
      await new Promise((r) => setTimeout(r, 300));
      expect(memberLive.events.map((e) => changeOf(e).id)).not.toContain(theirs.id);
      expect(
        memberLive.events.every(
          (e) => (e.onWorkOrderChanged as { requesterId: string }).requesterId === ids.member,
        ),
      ).toBe(true);
    } finally {
      memberSocket.close();
      techSocket.close();
    }

    const list = await ok<{ workOrdersByOrganization: { items: { requesterId: string }[] } }>(
      'member',
      `query L($o: ID!) { workOrdersByOrganization(organizationId: $o, limit: 1000) { items { id requesterId } } }`,
      { o: organizationId },
    );
    expect(list.workOrdersByOrganization.items.length).toBeGreaterThan(0);
    expect(new Set(list.workOrdersByOrganization.items.map((w) => w.requesterId))).toEqual(
      new Set([ids.member]),
    );
    const staff = await ok<{ workOrdersByOrganization: { items: { requesterId: string }[] } }>(
      'viewer',
      `query L($o: ID!) { workOrdersByOrganization(organizationId: $o, limit: 1000) { items { id requesterId } } }`,
      { o: organizationId },
    );
    expect(new Set(staff.workOrdersByOrganization.items.map((w) => w.requesterId))).toEqual(
      new Set([ids.member, ids.member2, ids.manager]),
    );
  });

  it('counts labor across hold and resume, excluding the hold, and reads the timeline back in order', async () => {
    const dueAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
    let workOrder = await submit('member', 'Dripping Tap', { dueAt });
    expect(workOrder).toMatchObject({ openDueAt: dueAt, titleLower: 'dripping tap' });
    workOrder = await moveOk('tech', workOrder, 'ASSIGNED');
    expect(workOrder.assigneeId).toBe(ids.tech);
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    workOrder = await moveOk('tech', workOrder, 'IN_PROGRESS');
    await pause(1100);
    const comment = await ok<{ addWorkOrderComment: Event }>('member', COMMENT, {
      workOrderId: workOrder.id,
      body: 'It drips faster at night.',
    });
    expect(comment.addWorkOrderComment).toMatchObject({
      kind: 'COMMENT',
      note: 'It drips faster at night.',
      actorId: ids.member,
    });
    workOrder = await moveOk('tech', workOrder, 'ON_HOLD', { note: 'Waiting for a washer' });
    await pause(2200); // on hold: not labor
    workOrder = await moveOk('tech', workOrder, 'IN_PROGRESS');
    await pause(1100);
    workOrder = await moveOk('tech', workOrder, 'COMPLETED', {
      completionNotes: 'Washer replaced',
    });
    expect(workOrder).toMatchObject({
      status: 'COMPLETED',
      completedBy: ids.tech,
      completionNotes: 'Washer replaced',
      laborMinutes: 0,
    });
    expect(workOrder.openDueAt).toBeNull();
    workOrder = await moveOk('manager', workOrder, 'CLOSED', { note: 'Checked' });

    const timeline = await events('member', workOrder.id);
    expect(timeline.map((e) => e.kind)).toEqual([
      'SUBMITTED',
      'ASSIGNED',
      'STARTED',
      'COMMENT',
      'PAUSED',
      'RESUMED',
      'COMPLETED',
      'CLOSED',
    ]);
    expect(timeline.map((e) => e.at)).toEqual([...timeline.map((e) => e.at)].sort());
    const at = (kind: string) => Date.parse(timeline.find((e) => e.kind === kind)?.at ?? '');
    const expectedSeconds =
      Math.round((at('PAUSED') - at('STARTED')) / 1000) +
      Math.round((at('COMPLETED') - at('RESUMED')) / 1000);
    const stored = await documents.send(
      new GetCommand({ TableName: table('WorkOrder'), Key: { id: workOrder.id } }),
    );
    expect(stored.Item?.laborSeconds).toBe(expectedSeconds);
    expect(expectedSeconds).toBeGreaterThanOrEqual(2);
    expect(expectedSeconds).toBeLessThan(4); // the 2.2 s on hold is not in it
    expect(stored.Item?.['status#createdAt']).toBe(`CLOSED#${String(stored.Item?.createdAt)}`);
    expect(stored.Item?.openDueAt).toBeUndefined();
    expect(await events('member2', workOrder.id)).toEqual([]);

    // The requester hears that it was completed and closed (by others), once each.
    const mail = await waitFor(async () => {
      const found = (await readMailbox(runtime.urls.mailbox)).filter(
        (m) => m.to.includes(PEOPLE.member.email) && m.subject.includes('Dripping Tap'),
      );
      return found.length >= 3 ? found : undefined;
    });
    await runtime.streamsIdle();
    const subjects = (await readMailbox(runtime.urls.mailbox))
      .filter((m) => m.to.includes(PEOPLE.member.email) && m.subject.includes('Dripping Tap'))
      .map((m) => m.subject.replace(/WO-\d+/, 'WO-n'));
    expect(subjects.sort()).toEqual([
      'Your request WO-n is assigned: Dripping Tap',
      'Your request WO-n is closed: Dripping Tap',
      'Your request WO-n is completed: Dripping Tap',
    ]);
    expect(mail.length).toBe(3);
  }, 30_000);

  it('takes laborMinutes when given on completion', async () => {
    const workOrder = await reach('IN_PROGRESS', 'explicit labor');
    const done = await moveOk('tech', workOrder, 'COMPLETED', { laborMinutes: 95 });
    expect(done.laborMinutes).toBe(95);
  });

  it('lets staff and the requester comment, and no one else', async () => {
    const workOrder = await reach('NEW', 'comments');
    for (const who of ['owner', 'manager', 'tech', 'member'] as const) {
      const result = await gql(who, COMMENT, { workOrderId: workOrder.id, body: `from ${who}` });
      expect(result.errors).toBeUndefined();
    }
    for (const [who, code] of [
      ['viewer', 'FORBIDDEN'],
      ['member2', 'NOT_FOUND'],
    ] as const) {
      const result = await gql(who, COMMENT, { workOrderId: workOrder.id, body: `from ${who}` });
      expect(result.errors?.[0]?.errorType).toBe(code);
    }
    const timeline = await events('manager', workOrder.id);
    expect(timeline.filter((e) => e.kind === 'COMMENT').map((e) => e.note)).toEqual([
      'from owner',
      'from manager',
      'from tech',
      'from member',
    ]);
    expect((await read(workOrder.id)).version).toBe(workOrder.version);
  });

  describe('bad input changes nothing', () => {
    it.each([
      [
        'an oversized note',
        (w: WorkOrder) => ({
          query: TRANSITION,
          variables: { id: w.id, to: 'CANCELLED', v: w.version, note: 'x'.repeat(2001) },
        }),
        'VALIDATION',
      ],
      [
        'completion notes when cancelling',
        (w: WorkOrder) => ({
          query: TRANSITION,
          variables: { id: w.id, to: 'CANCELLED', v: w.version, completionNotes: 'done' },
        }),
        'VALIDATION',
      ],
      [
        'a negative laborMinutes',
        (w: WorkOrder) => ({
          query: TRANSITION,
          variables: { id: w.id, to: 'CLOSED', v: w.version, laborMinutes: -5 },
        }),
        'VALIDATION',
      ],
      [
        'a stale version',
        (w: WorkOrder) => ({
          query: TRANSITION,
          variables: { id: w.id, to: 'CANCELLED', v: w.version - 1 },
        }),
        'CONFLICT',
      ],
      [
        'a foreign id',
        () => ({
          query: TRANSITION,
          variables: { id: 'wo-does-not-exist', to: 'CANCELLED', v: 1 },
        }),
        'NOT_FOUND',
      ],
      [
        'an empty comment',
        (w: WorkOrder) => ({ query: COMMENT, variables: { workOrderId: w.id, body: '   ' } }),
        'VALIDATION',
      ],
      [
        'an oversized comment',
        (w: WorkOrder) => ({
          query: COMMENT,
          variables: { workOrderId: w.id, body: 'x'.repeat(5001) },
        }),
        'VALIDATION',
      ],
      [
        'an unknown state',
        (w: WorkOrder) => ({
          query: TRANSITION,
          variables: { id: w.id, to: 'DONE', v: w.version },
        }),
        undefined,
      ],
      [
        'a bad due date',
        () => ({
          query: SUBMIT,
          variables: { organizationId, title: 'bad date', dueAt: '2026-13-45T99:00:00Z' },
        }),
        undefined,
      ],
      [
        'an unknown field',
        (w: WorkOrder) => ({
          query: `mutation { transitionWorkOrder(id: "${w.id}", to: CANCELLED, expectedVersion: ${w.version}, status: CLOSED) { id } }`,
          variables: {},
        }),
        undefined,
      ],
    ] as const)('%s', async (_name, build, code) => {
      const workOrder = await reach('COMPLETED', 'bad input');
      const eventsBefore = await events('manager', workOrder.id);
      const { query, variables } = build(workOrder);
      const result = await gql('manager', query, variables);
      expect(result.errors?.length).toBeGreaterThan(0);
      if (code) expect(result.errors?.[0]?.errorType).toBe(code);
      expect(await read(workOrder.id)).toEqual(workOrder);
      expect(await events('manager', workOrder.id)).toEqual(eventsBefore);
    });
  });

  it('keeps the overdue index to open work orders', async () => {
    const dueAt = new Date(Date.now() + 86_400_000).toISOString();
    const open = await submit('manager', 'due soon', { dueAt });
    const done = await moveOk(
      'manager',
      await submit('manager', 'due but cancelled', { dueAt }),
      'CANCELLED',
    );
    const listed = await ok<{ openWorkOrdersByDueDate: { items: { id: string }[] } }>(
      'manager',
      `query D($o: ID!) { openWorkOrdersByDueDate(organizationId: $o, limit: 1000) { items { id } } }`,
      { o: organizationId },
    );
    const listedIds = listed.openWorkOrdersByDueDate.items.map((w) => w.id);
    expect(listedIds).toContain(open.id);
    expect(listedIds).not.toContain(done.id);
  });
});
