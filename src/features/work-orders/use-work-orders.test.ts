import { describe, expect, it } from 'vitest';
import {
  applyChange,
  readMatching,
  reconcileWorkOrders,
  WORK_ORDER_PAGE_SIZE,
  type WorkOrder,
} from './use-work-orders';

const workOrder = (n: number, priority: 'LOW' | 'URGENT'): WorkOrder =>
  ({ id: `wo-${n}`, number: n, priority }) as unknown as WorkOrder;

/** An index of `total` work orders, newest first, read `WORK_ORDER_PAGE_SIZE` at a time. */
function index(total: number, urgentEvery: number) {
  const rows = Array.from({ length: total }, (_, i) =>
    workOrder(total - i, (total - i) % urgentEvery === 0 ? 'URGENT' : 'LOW'),
  );
  const reads: (string | null)[] = [];
  const read = async (token: string | null) => {
    reads.push(token);
    const start = token === null ? 0 : Number(token);
    const end = start + WORK_ORDER_PAGE_SIZE;
    return { data: rows.slice(start, end), nextToken: end < rows.length ? String(end) : null };
  };
  return { read, reads };
}
const urgent = (w: WorkOrder) => w.priority === 'URGENT';

describe('readMatching', () => {
  it('reads one page when nothing is filtered out', async () => {
    const { read, reads } = index(500, 1);
    const page = await readMatching(read, () => true, null);
    expect(page.rows).toHaveLength(WORK_ORDER_PAGE_SIZE);
    expect(page.nextToken).toBe('50');
    expect(reads).toEqual([null]);
  });

  it('follows the token until a page of matches is filled', async () => {
    const { read, reads } = index(1_000, 4);
    const page = await readMatching(read, urgent, null);
    expect(page.rows).toHaveLength(WORK_ORDER_PAGE_SIZE);
    expect(page.rows.every(urgent)).toBe(true);
    expect(reads).toEqual([null, '50', '100', '150']);
    expect(page.nextToken).toBe('200');
  });

  it('stops after a bounded number of pages, keeping the token to continue from', async () => {
    const { read, reads } = index(5_000, 300);
    const page = await readMatching(read, urgent, null);
    expect(reads).toHaveLength(8);
    expect(page.rows.map((w) => w.number)).toEqual([4_800]);
    expect(page.nextToken).toBe('400');
    const more = await readMatching(read, urgent, page.nextToken);
    expect(more.rows.map((w) => w.number)).toEqual([4_500]);
    expect(more.nextToken).toBe('800');
  });

  it('ends with no token when the index is exhausted', async () => {
    const { read } = index(120, 7);
    const page = await readMatching(read, urgent, null);
    expect(page.nextToken).toBeNull();
    expect(page.rows).toHaveLength(17);
  });

  it('stops at a page the server answered with errors, and reports them', async () => {
    let calls = 0;
    const page = await readMatching(
      async () => {
        calls += 1;
        return { data: [], nextToken: 'more', errors: [{ message: 'Not Authorized' }] };
      },
      () => true,
      null,
    );
    expect(calls).toBe(1);
    expect(page.errors).toHaveLength(1);
  });
});

/** A work order numbered `n`, created at minute `n` (so higher numbers are newer). */
const at = (n: number, version = 1, status: WorkOrder['status'] = 'NEW'): WorkOrder =>
  ({
    id: `wo-${n}`,
    number: n,
    version,
    status,
    createdAt: `2026-11-25T${String(Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}:00.000Z`,
  }) as unknown as WorkOrder;
const numbers = (items: readonly WorkOrder[]) => items.map((w) => w.number);

describe('applyChange', () => {
  const open = (w: WorkOrder) => w.status === 'NEW';

  it('inserts a matching change newest first and ignores an older copy', () => {
    const items = applyChange([at(3), at(1)], at(2), open);
    expect(numbers(items)).toEqual([3, 2, 1]);
    expect(applyChange([at(2, 5)], at(2, 4, 'CLOSED'), open)).toEqual([at(2, 5)]);
  });

  it('removes a row whose newer version no longer matches', () => {
    expect(numbers(applyChange([at(3), at(2)], at(2, 2, 'CLOSED'), open))).toEqual([3]);
  });
});

describe('reconcileWorkOrders', () => {
  it('takes a complete fresh read, dropping rows it no longer has and keeping higher versions', () => {
    const shown = { items: [at(5, 3), at(4), at(3)], nextToken: null };
    const fresh = { items: [at(6), at(5, 2), at(3)], nextToken: null };
    const result = reconcileWorkOrders(shown, fresh);
    expect(numbers(result.items)).toEqual([6, 5, 3]);
    expect(result.items[1]?.version).toBe(3);
    expect(result.nextToken).toBeNull();
  });

  it('keeps the older pages already loaded and the token that continues after them', () => {
    const shown = { items: [at(9), at(8), at(7), at(6), at(5)], nextToken: 'after-5' };
    const fresh = { items: [at(10), at(9, 2), at(8)], nextToken: 'after-8' };
    const result = reconcileWorkOrders(shown, fresh);
    expect(numbers(result.items)).toEqual([10, 9, 8, 7, 6, 5]);
    expect(result.items[1]?.version).toBe(2);
    expect(result.nextToken).toBe('after-5');
  });

  it('takes the fresh token when nothing older than the fresh page was loaded', () => {
    const shown = { items: [at(9), at(8)], nextToken: 'after-8' };
    const fresh = { items: [at(10), at(9), at(8)], nextToken: 'after-8-fresh' };
    const result = reconcileWorkOrders(shown, fresh);
    expect(numbers(result.items)).toEqual([10, 9, 8]);
    expect(result.nextToken).toBe('after-8-fresh');
  });

  it('keeps a loaded row that a newer arrival pushed past the fresh page, and its token', () => {
    const shown = { items: [at(9), at(8)], nextToken: 'after-8' };
    const fresh = { items: [at(10), at(9)], nextToken: 'after-9' };
    const result = reconcileWorkOrders(shown, fresh);
    expect(numbers(result.items)).toEqual([10, 9, 8]);
    expect(result.nextToken).toBe('after-8');
  });
});
