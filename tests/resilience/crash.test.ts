import { describe, expect, it } from 'vitest';
import { type Document, SUBMIT, TRANSITION, type WorkOrder } from '../support/operations';
import { useWorld } from '../support/world';

const WRITERS = 8;
/** How long the load runs at least before the kill. */
const LOAD_MS = 8_000;

type Outcome = 'acknowledged' | 'refused' | 'unknown';
type Write =
  | { kind: 'submit'; title: string; outcome: Outcome; result?: WorkOrder; errorType?: string }
  | {
      kind: 'transition';
      workOrderId: string;
      note: string;
      stale: boolean;
      outcome: Outcome;
      result?: WorkOrder;
      errorType?: string;
    };

describe('crash: kill -9 of the runtime and DynamoDB Local under load', () => {
  const world = useWorld({
    name: 'crash',
    ownProcess: true,
    people: { owner: { email: 'owner@crash.example' } },
    // The load submits more work orders than the free plan's month allows.
    organizations: { chapel: { owner: 'owner', name: 'Crash Test Chapel', plan: 'ENTERPRISE' } },
  });
  const writes: Write[] = [];

  it('every acknowledged write is there after the restart, and no refused one', async () => {
    let killed = false;
    /** Sends one write and records what the caller was told; a write in flight at the kill is unknown. */
    const send = async <T, V>(query: Document<T, V>, variables: V) => {
      try {
        const response = await world.gql('owner', query, variables);
        if (killed) return { outcome: 'unknown' as const };
        const error = response.errors?.[0];
        if (error) return { outcome: 'refused' as const, errorType: error.errorType ?? 'untyped' };
        return { outcome: 'acknowledged' as const, data: response.data };
      } catch {
        return { outcome: 'unknown' as const };
      }
    };
    const submit = async (title: string) => {
      const answer = await send(SUBMIT, { organizationId: world.organizationId, title });
      const result = answer.data?.submitWorkOrder;
      writes.push({
        kind: 'submit',
        title,
        outcome: answer.outcome,
        result,
        errorType: answer.errorType,
      });
      return result;
    };
    // Each writer works on its own work orders, so the only refusals are the deliberate ones.
    const owned = await Promise.all(
      Array.from({ length: WRITERS }, async (_, index) => {
        const mine: WorkOrder[] = [];
        for (const n of [1, 2]) {
          const result = await submit(`crash w${index} setup ${n}`);
          if (result) mine.push(result);
        }
        return mine;
      }),
    );
    const writer = async (index: number) => {
      const mine = owned[index] ?? [];
      for (let i = 1; !killed; i += 1) {
        if (i % 6 === 0) {
          const result = await submit(`crash w${index} #${i}`);
          if (result) mine.push(result);
          continue;
        }
        const slot = i % mine.length;
        const current = mine[slot] as WorkOrder;
        // Every other change is sent with a stale version on purpose: it must be refused.
        const stale = i % 2 === 0 && current.version > 1;
        const note = `w${index} #${i}${stale ? ' stale' : ''}`;
        const to =
          current.status === 'NEW'
            ? 'ASSIGNED'
            : current.status === 'IN_PROGRESS'
              ? 'ON_HOLD'
              : 'IN_PROGRESS';
        const answer = await send(TRANSITION, {
          id: current.id,
          to,
          v: stale ? current.version - 1 : current.version,
          note,
        });
        const result = answer.data?.transitionWorkOrder;
        writes.push({
          kind: 'transition',
          workOrderId: current.id,
          note,
          stale,
          outcome: answer.outcome,
          result,
          errorType: answer.errorType,
        });
        if (result) mine[slot] = result;
      }
    };
    const load = Promise.all(Array.from({ length: WRITERS }, (_, i) => writer(i)));
    // At least LOAD_MS, and until enough has been acknowledged and refused to judge (≤ 40 s).
    const loadStarted = Date.now();
    const tally = (outcome: Outcome) => writes.filter((w) => w.outcome === outcome).length;
    while (
      Date.now() - loadStarted < LOAD_MS ||
      ((tally('acknowledged') < 40 || tally('refused') < 10) && Date.now() - loadStarted < 40_000)
    ) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const loadMs = Date.now() - loadStarted;
    killed = true;
    expect(await world.crash()).toEqual({ dynamoDbKilled: true });
    await load;

    const count = tally;
    console.log(
      `crash: ${writes.length} writes by ${WRITERS} writers in ${(loadMs / 1000).toFixed(1)} s, then kill -9: ` +
        `${count('acknowledged')} acknowledged, ${count('refused')} refused, ${count('unknown')} in flight`,
    );
    expect(count('acknowledged')).toBeGreaterThanOrEqual(40);
    expect(count('refused')).toBeGreaterThanOrEqual(10);
    // Refusals are the deliberate stale versions, nothing else.
    for (const write of writes.filter((w) => w.outcome === 'refused')) {
      expect(write).toMatchObject({ kind: 'transition', stale: true, errorType: 'CONFLICT' });
    }

    const restarted = Date.now();
    await world.restart();
    console.log(
      `crash: restarted on the same data in ${((Date.now() - restarted) / 1000).toFixed(1)} s`,
    );
    const workOrders = await world.scan('WorkOrder');
    const notes = new Set((await world.scan('WorkOrderEvent')).map((e) => e.note));

    for (const write of writes) {
      if (write.outcome === 'unknown') continue;
      if (write.kind === 'submit') {
        const result = write.result as WorkOrder;
        expect(await world.item('WorkOrder', result.id), write.title).toMatchObject({
          title: write.title,
          number: result.number,
        });
      } else if (write.outcome === 'acknowledged') {
        expect(notes.has(write.note), write.note).toBe(true);
        const stored = workOrders.find((w) => w.id === write.workOrderId);
        expect(Number(stored?.version)).toBeGreaterThanOrEqual(write.result?.version ?? Infinity);
      } else {
        expect(notes.has(write.note), write.note).toBe(false);
      }
    }
    // Numbers stay unique through the crash.
    const numbers = workOrders.map((w) => w.number);
    expect(new Set(numbers).size).toBe(numbers.length);

    // And the person carries on: signs in, reads, writes.
    await world.signIn('owner');
    const next = await world.ok('owner', SUBMIT, {
      organizationId: world.organizationId,
      title: 'after the crash',
    });
    // The next number follows the highest stored one; only a submission that died with the
    // runtime, after taking its number, can have left a gap.
    const diedInFlight = writes.filter((w) => w.kind === 'submit' && w.outcome === 'unknown');
    const highest = Math.max(...numbers.map(Number));
    expect(next.submitWorkOrder.number).toBeGreaterThan(highest);
    expect(next.submitWorkOrder.number).toBeLessThanOrEqual(highest + 1 + diedInFlight.length);
  }, 420_000);
});
