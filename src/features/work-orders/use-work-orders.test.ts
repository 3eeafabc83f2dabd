import { describe, expect, it } from 'vitest';
import { readMatching, WORK_ORDER_PAGE_SIZE, type WorkOrder } from './use-work-orders';

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
