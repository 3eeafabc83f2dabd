import { describe, expect, it } from 'vitest';
import type { WorkOrderRecord } from '../records';
import { withDerivedFields } from './derived-fields';
import { WORK_ORDER_STATUSES } from './vocabulary';

const workOrder: WorkOrderRecord = {
  id: 'wo-1',
  organizationId: 'org-1',
  number: 1,
  title: 'Boiler NOISY',
  status: 'NEW',
  priority: 'HIGH',
  category: 'HVAC',
  type: 'CORRECTIVE',
  dueAt: '2026-03-05T00:00:00.000Z',
  requester: 'r::r',
  requesterId: 'r',
  readGroups: [],
  version: 1,
  createdAt: '2026-03-01T00:00:00.000Z',
  updatedAt: '2026-03-01T00:00:00.000Z',
};

describe('withDerivedFields', () => {
  it.each(
    WORK_ORDER_STATUSES.map((status) => [
      status,
      !['COMPLETED', 'CLOSED', 'CANCELLED'].includes(status),
    ]),
  )('keeps openDueAt for %s: %s', (status, open) => {
    const derived = withDerivedFields({ ...workOrder, status, openDueAt: 'stale' });
    if (open) expect(derived.openDueAt).toBe(workOrder.dueAt);
    else expect(derived).not.toHaveProperty('openDueAt');
  });

  it('has no openDueAt without a due date', () => {
    const { dueAt: _dueAt, ...undated } = workOrder;
    expect(withDerivedFields({ ...undated, openDueAt: 'stale' })).not.toHaveProperty('openDueAt');
  });

  it('lower-cases the title', () => {
    expect(withDerivedFields(workOrder).titleLower).toBe('boiler noisy');
  });
});
