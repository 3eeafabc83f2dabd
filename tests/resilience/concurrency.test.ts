import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../core/organizations/roles';
import { TRANSITIONS } from '../../core/work-orders/state-machine';
import type { WorkOrderStatus } from '../../core/work-orders/vocabulary';
import { ASSIGN, SUBMIT, TRANSITION } from '../support/operations';
import { type PersonSpec, useWorld } from '../support/world';

const WRITERS = 50;
const MANAGERS = 20;
const CALLS = 1000;
const WORK_ORDERS = 5;

type Known = { id: string; status: WorkOrderStatus; assigneeId: string | null; version: number };
type Writer = { name: string; userId: string; role: Role };
type Call = {
  writer: string;
  role: Role;
  workOrderId: string;
  op: 'transition' | 'assign';
  /** The status the writer believed the work order had, and the move it asked for. */
  believed: WorkOrderStatus;
  to: WorkOrderStatus | `assign:${string}` | 'unassign';
  expectedVersion: number;
  httpStatus: number;
  result?: Known;
  errorType?: string;
  message?: string;
};

/** The owner of the hall, and the writers: the first MANAGERS of them managers, the rest technicians. */
const PEOPLE: Record<string, PersonSpec<'hall'>> = {
  owner: { email: 'owner@race.example' },
  ...Object.fromEntries(
    Array.from({ length: WRITERS }, (_, i) => [
      `writer${i}`,
      { email: `writer${i}@race.example`, role: i < MANAGERS ? 'MANAGER' : 'TECHNICIAN' },
    ]),
  ),
};

describe('concurrency: 50 writers, 1,000 calls on 5 shared work orders', () => {
  const world = useWorld({
    name: 'concurrency',
    people: PEOPLE,
    organizations: { hall: { owner: 'owner', name: 'Race Hall' } },
  });
  const writers: Writer[] = [];
  let technicians: string[] = [];
  const workOrders: Known[] = [];
  const calls: Call[] = [];
  let elapsedMs = 0;
  const seed = Number(process.env.STEWARD_SEED ?? 20260801);
  const readStored = async (id: string) => knownOf(await world.item('WorkOrder', id));

  beforeAll(async () => {
    for (const [name, { role }] of Object.entries(PEOPLE)) {
      if (role) writers.push({ name, userId: world.ids[name] as string, role });
    }
    technicians = writers.filter((w) => w.role === 'TECHNICIAN').map((w) => w.userId);
    for (let i = 0; i < WORK_ORDERS; i += 1) {
      const { submitWorkOrder } = await world.ok('owner', SUBMIT, {
        organizationId: world.organizationId,
        title: `Shared job ${i + 1}`,
      });
      workOrders.push(knownOf(submitWorkOrder));
    }
  });

  it('every call is answered: a success with version + 1, or a typed refusal', async () => {
    let issued = 0;
    const started = Date.now();
    await Promise.all(
      writers.map(async (writer, index) => {
        const next = random(seed + index);
        const knowledge = new Map<string, Known>(workOrders.map((w) => [w.id, { ...w }]));
        while (issued < CALLS) {
          issued += 1;
          const target = pick(next, workOrders).id;
          const known = knowledge.get(target) ?? (await readStored(target));
          const move = chooseMove(next, writer.role, known, technicians);
          const to =
            move.op === 'assign' && move.assigneeId ? `assign:${move.assigneeId}` : move.to;
          const response =
            move.op === 'assign'
              ? await world.gql(writer.name, ASSIGN, {
                  id: target,
                  assigneeId: move.assigneeId ?? null,
                  v: known.version,
                })
              : await world.gql(writer.name, TRANSITION, {
                  id: target,
                  to: move.to,
                  v: known.version,
                });
          const data = response.data as
            { assignWorkOrder?: Known; transitionWorkOrder?: Known } | undefined;
          const changed = data?.assignWorkOrder ?? data?.transitionWorkOrder;
          const result = changed && knownOf(changed);
          const error = response.errors?.[0];
          calls.push({
            writer: writer.userId,
            role: writer.role,
            workOrderId: target,
            op: move.op,
            believed: known.status,
            to: to as Call['to'],
            expectedVersion: known.version,
            httpStatus: response.status,
            ...(result && !error ? { result } : {}),
            ...(error ? { errorType: error.errorType ?? 'untyped', message: error.message } : {}),
          });
          // A writer learns from its own success; after a refusal it reloads, as the app does.
          knowledge.set(target, result && !error ? result : await readStored(target));
        }
      }),
    );
    elapsedMs = Date.now() - started;
    const outcomes = countBy(calls, (c) => (c.result ? 'success' : (c.errorType ?? '?')));
    console.log(
      `concurrency: ${calls.length} calls by ${WRITERS} writers in ${(elapsedMs / 1000).toFixed(1)} s: ${JSON.stringify(outcomes)}`,
    );

    expect(calls.length).toBe(CALLS);
    expect(calls.every((c) => c.httpStatus === 200)).toBe(true);
    // Failures are the domain's typed refusals, never an internal error or a Lambda crash.
    const unexpected = calls.filter(
      (c) =>
        !c.result && !['CONFLICT', 'ILLEGAL_TRANSITION', 'FORBIDDEN'].includes(c.errorType ?? ''),
    );
    expect(unexpected).toEqual([]);
    for (const call of calls) {
      if (call.result) {
        expect(call.result.version).toBe(call.expectedVersion + 1);
        expect(call.errorType).toBeUndefined();
      }
    }
    // The race was real: many calls lost it.
    expect(outcomes.CONFLICT ?? 0).toBeGreaterThan(100);
    expect(outcomes.success ?? 0).toBeGreaterThan(50);
  }, 900_000);

  it('exactly one success per version of each work order, in an unbroken chain of legal states', async () => {
    expect(calls.length).toBe(CALLS);
    for (const workOrder of workOrders) {
      const successes = calls
        .filter((c) => c.workOrderId === workOrder.id && c.result)
        .sort((a, b) => a.expectedVersion - b.expectedVersion);
      const versions = successes.map((c) => c.expectedVersion);
      // 1, 2, 3, … with no version won twice and none skipped.
      expect(versions).toEqual(versions.map((_, i) => workOrder.version + i));
      let status: WorkOrderStatus = workOrder.status;
      let assigneeId: string | null = workOrder.assigneeId;
      for (const success of successes) {
        const after = success.result as Known;
        if (after.status === status) {
          // Only a reassignment keeps the status, and only while work is assigned.
          expect(['ASSIGNED', 'IN_PROGRESS', 'ON_HOLD']).toContain(status);
          expect(success.op).toBe('assign');
          expect(after.assigneeId).not.toBe(assigneeId);
        } else {
          expect(TRANSITIONS[status][after.status], `${status} → ${after.status}`).toBeDefined();
        }
        // The deliberate "→ CLOSED" is legal only from COMPLETED (by a manager); nothing returns to DRAFT.
        if (after.status === 'CLOSED') expect(status).toBe('COMPLETED');
        expect(after.status).not.toBe('DRAFT');
        status = after.status;
        assigneeId = after.assigneeId;
      }
      const stored = await readStored(workOrder.id);
      expect(stored).toEqual({
        id: workOrder.id,
        status,
        assigneeId,
        version: workOrder.version + successes.length,
      });
    }
  });

  it('one audit event per success, matching it, and none for a refusal', async () => {
    const events = await world.scan('WorkOrderEvent');
    for (const workOrder of workOrders) {
      const successes = calls
        .filter((c) => c.workOrderId === workOrder.id && c.result)
        .sort((a, b) => a.expectedVersion - b.expectedVersion);
      const changes = events.filter(
        (e) => e.workOrderId === workOrder.id && e.kind !== 'SUBMITTED',
      );
      expect(changes.length).toBe(successes.length);
      // Each event names the success's actor and its from/to; as multisets they are equal.
      const fromSuccesses: string[] = [];
      let status: WorkOrderStatus = workOrder.status;
      for (const success of successes) {
        const after = success.result as Known;
        fromSuccesses.push(`${success.writer} ${status}→${after.status}`);
        status = after.status;
      }
      const fromEvents = changes.map(
        (e) => `${String(e.actorId)} ${String(e.fromStatus)}→${String(e.toStatus)}`,
      );
      expect(fromEvents.sort()).toEqual(fromSuccesses.sort());
      expect(
        events.filter((e) => e.workOrderId === workOrder.id && e.kind === 'SUBMITTED'),
      ).toHaveLength(1);
    }
    const successCount = calls.filter((c) => c.result).length;
    console.log(
      `concurrency: ${successCount} successes, ${events.length - WORK_ORDERS} change events, ${CALLS - successCount} refusals`,
    );
  });
});

/** What the race tracks of a work order (from an answer or the stored item). */
function knownOf(item: Record<string, unknown> | undefined): Known {
  return {
    id: String(item?.id),
    status: item?.status as WorkOrderStatus,
    assigneeId: (item?.assigneeId as string | null | undefined) ?? null,
    version: Number(item?.version),
  };
}

/** A small seeded generator: the same run can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(next: () => number, items: readonly T[]): T =>
  items[Math.floor(next() * items.length)] as T;

/** What a writer does next with what it believes about a work order; some moves are meant to fail. */
function chooseMove(
  next: () => number,
  role: Role,
  known: Known,
  technicians: readonly string[],
): Pick<Call, 'op' | 'to'> & { assigneeId?: string } {
  const manager = role === 'MANAGER';
  // One call in twenty asks for something the lifecycle or the role never allows.
  if (next() < 0.05) {
    return pick(next, [
      { op: 'transition' as const, to: 'CLOSED' as const },
      { op: 'transition' as const, to: 'DRAFT' as const },
      { op: 'transition' as const, to: 'COMPLETED' as const },
    ]);
  }
  switch (known.status) {
    case 'NEW':
      return manager
        ? { op: 'assign', to: 'ASSIGNED', assigneeId: pick(next, technicians) }
        : { op: 'transition', to: 'ASSIGNED' };
    case 'ASSIGNED':
      if (manager && next() < 0.3) return { op: 'assign', to: 'unassign' };
      if (manager && next() < 0.3) {
        const other = pick(
          next,
          technicians.filter((t) => t !== known.assigneeId),
        );
        return { op: 'assign', to: 'ASSIGNED', assigneeId: other };
      }
      // A technician starting someone else's work is refused (FORBIDDEN), as it should be.
      return { op: 'transition', to: 'IN_PROGRESS' };
    case 'IN_PROGRESS':
      return { op: 'transition', to: next() < 0.5 ? 'ON_HOLD' : 'COMPLETED' };
    case 'ON_HOLD':
      return { op: 'transition', to: 'IN_PROGRESS' };
    case 'COMPLETED':
      // Only a manager may reject; a technician asking is refused.
      return { op: 'transition', to: 'IN_PROGRESS' };
    default:
      return { op: 'transition', to: 'IN_PROGRESS' };
  }
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}
