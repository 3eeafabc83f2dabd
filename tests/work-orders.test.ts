import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { WorkOrderStatus } from '../core/work-orders/vocabulary';
import { expectDomainError } from './support/domain-error';
import {
  ASSIGN,
  COMMENT,
  EVENTS,
  GET_WORK_ORDER,
  ON_WORK_ORDER_CHANGED,
  OPEN_BY_DUE_DATE,
  SUBMIT,
  TRANSITION,
  type WorkOrder,
  WORK_ORDERS,
} from './support/operations';
import { waitFor } from './support/wait';
import { useWorld } from './support/world';

describe('work orders through the local runtime', () => {
  // Well over the FREE plan's 50 work orders a month are submitted here.
  const world = useWorld({
    name: 'work-orders',
    people: {
      owner: { email: 'owner@wo.example', role: 'OWNER' },
      manager: { email: 'manager@wo.example', role: 'MANAGER' },
      tech: { email: 'tech@wo.example', role: 'TECHNICIAN' },
      tech2: { email: 'tech2@wo.example', role: 'TECHNICIAN' },
      member: { email: 'member@wo.example', role: 'MEMBER' },
      member2: { email: 'member2@wo.example', role: 'MEMBER' },
      viewer: { email: 'viewer@wo.example', role: 'VIEWER' },
    },
    organizations: { main: { owner: 'owner', name: 'Work order tests', plan: 'STARTER' } },
  });
  type Person = keyof typeof world.ids;

  const submit = async (
    who: Person,
    title: string,
    extra: { draft?: boolean; dueAt?: string } = {},
  ) =>
    (await world.ok(who, SUBMIT, { organizationId: world.organizationId, title, ...extra }))
      .submitWorkOrder;
  const move = (
    who: Person,
    workOrder: Pick<WorkOrder, 'id' | 'version'>,
    to: WorkOrderStatus,
    extra: Record<string, unknown> = {},
  ) => world.gql(who, TRANSITION, { id: workOrder.id, to, v: workOrder.version, ...extra });
  const moveOk = async (...args: Parameters<typeof move>) =>
    (
      await world.ok(args[0], TRANSITION, {
        id: args[1].id,
        to: args[2],
        v: args[1].version,
        ...args[3],
      })
    ).transitionWorkOrder;
  const events = async (who: Person, workOrderId: string) =>
    (await world.ok(who, EVENTS, { workOrderId })).eventsByWorkOrder.items;
  const read = async (id: string) =>
    (await world.ok('manager', GET_WORK_ORDER, { id })).getWorkOrder as WorkOrder;

  /** A work order requested by `member`, driven to `status` by the manager and the technician. */
  async function reach(status: WorkOrderStatus, title = `reach ${status}`): Promise<WorkOrder> {
    if (status === 'DRAFT') return submit('member', title, { draft: true });
    let workOrder = await submit('member', title);
    if (status === 'NEW') return workOrder;
    if (status === 'CANCELLED') return moveOk('manager', workOrder, 'CANCELLED');
    workOrder = (
      await world.ok('manager', ASSIGN, {
        id: workOrder.id,
        assigneeId: world.ids.tech,
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
          actorId: world.ids[who],
        });
      } else {
        await expectDomainError(result, outcome);
        expect(await read(before.id)).toMatchObject({ status: from, version: before.version });
        expect(await events('manager', before.id)).toHaveLength(eventsBefore.length);
      }
    });

    it('names the allowed next states in ILLEGAL_TRANSITION', async () => {
      const workOrder = await reach('ON_HOLD');
      await expectDomainError(
        move('manager', workOrder, 'CLOSED'),
        'ILLEGAL_TRANSITION',
        /from ON_HOLD to CLOSED.*IN_PROGRESS, CANCELLED/,
      );
    });
  });

  it('lets exactly one of 8 concurrent transitions with one expectedVersion through; the rest CONFLICT and leave no event', async () => {
    // Warm every Lambda execution environment first, so the figure below is not cold starts.
    await Promise.all(
      Array.from({ length: 8 }, () => world.gql('tech', '{ me { profile { id } } }')),
    );
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
    const memberLive = await world.live('member', ON_WORK_ORDER_CHANGED, {
      organizationId: world.organizationId,
    });
    const techLive = await world.live('tech', ON_WORK_ORDER_CHANGED, {
      organizationId: world.organizationId,
    });
    const theirs = await submit('member2', 'member2 only: broken window');
    const mine = await submit('member', 'member: squeaky door');
    const theirsMoved = await moveOk('manager', theirs, 'CANCELLED');
    const mineMoved = await moveOk('manager', mine, 'CANCELLED');
    const changeOf = (e: Record<string, unknown>) =>
      e.onWorkOrderChanged as { id: string; status: string; version: number; requesterId: string };
    await techLive.next(
      (e) => changeOf(e).id === theirs.id && changeOf(e).version === theirsMoved.version,
      2000,
    );
    await techLive.next(
      (e) => changeOf(e).id === mine.id && changeOf(e).version === mineMoved.version,
      2000,
    );
    // The marker: the member's own change, published after every change of theirs.
    await memberLive.next(
      (e) => changeOf(e).id === mine.id && changeOf(e).status === 'CANCELLED',
      2000,
    );
    expect(memberLive.events.map((e) => changeOf(e).id)).not.toContain(theirs.id);
    expect(memberLive.events.every((e) => changeOf(e).requesterId === world.ids.member)).toBe(true);
    memberLive.close();
    techLive.close();

    const list = await world.ok('member', WORK_ORDERS, { o: world.organizationId });
    expect(list.workOrdersByOrganization.items.length).toBeGreaterThan(0);
    expect(new Set(list.workOrdersByOrganization.items.map((w) => w.requesterId))).toEqual(
      new Set([world.ids.member]),
    );
    const staff = await world.ok('viewer', WORK_ORDERS, { o: world.organizationId });
    expect(new Set(staff.workOrdersByOrganization.items.map((w) => w.requesterId))).toEqual(
      new Set([world.ids.member, world.ids.member2, world.ids.manager]),
    );
  });

  it('counts labor across hold and resume, excluding the hold, and reads the timeline back in order', async () => {
    const dueAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
    let workOrder = await submit('member', 'Dripping Tap', { dueAt });
    expect(workOrder).toMatchObject({ openDueAt: dueAt, titleLower: 'dripping tap' });
    workOrder = await moveOk('tech', workOrder, 'ASSIGNED');
    expect(workOrder.assigneeId).toBe(world.ids.tech);
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    workOrder = await moveOk('tech', workOrder, 'IN_PROGRESS');
    await pause(1100);
    const comment = await world.ok('member', COMMENT, {
      workOrderId: workOrder.id,
      body: 'It drips faster at night.',
    });
    expect(comment.addWorkOrderComment).toMatchObject({
      kind: 'COMMENT',
      note: 'It drips faster at night.',
      actorId: world.ids.member,
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
      completedBy: world.ids.tech,
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
    const stored = await world.documents.send(
      new GetCommand({ TableName: world.table('WorkOrder'), Key: { id: workOrder.id } }),
    );
    expect(stored.Item?.laborSeconds).toBe(expectedSeconds);
    expect(expectedSeconds).toBeGreaterThanOrEqual(2);
    expect(expectedSeconds).toBeLessThan(4); // the 2.2 s on hold is not in it
    expect(stored.Item?.['status#createdAt']).toBe(`CLOSED#${String(stored.Item?.createdAt)}`);
    expect(stored.Item?.openDueAt).toBeUndefined();
    expect(await events('member2', workOrder.id)).toEqual([]);

    // The requester hears that it was completed and closed (by others), once each.
    const mail = await waitFor(async () => {
      const found = (await world.mailbox()).filter(
        (m) => m.to.includes(world.emails.member) && m.subject.includes('Dripping Tap'),
      );
      return found.length >= 3 ? found : undefined;
    });
    await world.runtime.streamsIdle();
    const subjects = (await world.mailbox())
      .filter((m) => m.to.includes(world.emails.member) && m.subject.includes('Dripping Tap'))
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
      const result = await world.gql(who, COMMENT, {
        workOrderId: workOrder.id,
        body: `from ${who}`,
      });
      expect(result.errors).toBeUndefined();
    }
    for (const [who, code] of [
      ['viewer', 'FORBIDDEN'],
      ['member2', 'NOT_FOUND'],
    ] as const) {
      await expectDomainError(
        world.gql(who, COMMENT, { workOrderId: workOrder.id, body: `from ${who}` }),
        code,
      );
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
          variables: {
            organizationId: world.organizationId,
            title: 'bad date',
            dueAt: '2026-13-45T99:00:00Z',
          },
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
      const result = await world.gql('manager', query, variables);
      expect(result.errors?.length).toBeGreaterThan(0);
      if (code) await expectDomainError(result, code);
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
    const listed = await world.ok('manager', OPEN_BY_DUE_DATE, { o: world.organizationId });
    const listedIds = listed.openWorkOrdersByDueDate.items.map((w) => w.id);
    expect(listedIds).toContain(open.id);
    expect(listedIds).not.toContain(done.id);
  });
});
