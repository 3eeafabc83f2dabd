import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import {
  parseAddWorkOrderComment,
  parseAssignWorkOrder,
  parseSubmitWorkOrder,
  parseTransitionWorkOrder,
} from './validation';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const valid = { organizationId: 'org-1', title: 'Leaking tap in kitchen' };

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (err) {
    if (err instanceof DomainError && err.code === 'VALIDATION') return err.field;
    throw err;
  }
  return undefined;
}

describe('parseSubmitWorkOrder', () => {
  it('applies defaults and trims', () => {
    expect(parseSubmitWorkOrder({ ...valid, title: '  Tap  ', description: '' }, NOW)).toEqual({
      organizationId: 'org-1',
      title: 'Tap',
      description: undefined,
      category: 'OTHER',
      priority: 'MEDIUM',
      type: 'CORRECTIVE',
      locationText: undefined,
      dueAt: undefined,
      draft: false,
    });
  });

  it('normalises dueAt to UTC', () => {
    const parsed = parseSubmitWorkOrder({ ...valid, dueAt: '2026-03-02T09:00:00+01:00' }, NOW);
    expect(parsed.dueAt).toBe('2026-03-02T08:00:00.000Z');
  });

  it.each([
    ['title', { title: '' }],
    ['title', { title: '   ' }],
    ['title', { title: 'x'.repeat(201) }],
    ['title', { title: undefined }],
    ['description', { description: 'x'.repeat(5001) }],
    ['category', { category: 'GARDEN' }],
    ['priority', { priority: 'CRITICAL' }],
    ['type', { type: 'REACTIVE' }],
    ['dueAt', { dueAt: 'tomorrow' }],
    ['dueAt', { dueAt: '1999-01-01T00:00:00Z' }],
    ['dueAt', { dueAt: '2099-01-01T00:00:00Z' }],
    ['organizationId', { organizationId: '' }],
    ['locationText', { locationText: 'x'.repeat(501) }],
  ])('rejects a bad %s', (field, patch) => {
    expect(fieldOf(() => parseSubmitWorkOrder({ ...valid, ...patch }, NOW))).toBe(field);
  });

  it('accepts the longest title and description', () => {
    const input = { ...valid, title: 'x'.repeat(200), description: 'y'.repeat(5000) };
    expect(fieldOf(() => parseSubmitWorkOrder(input, NOW))).toBeUndefined();
  });
});

describe('parseAssignWorkOrder', () => {
  it('treats a missing or empty assignee as unassign', () => {
    expect(parseAssignWorkOrder({ id: 'wo-1', assigneeId: null })).toEqual({
      id: 'wo-1',
      assigneeId: undefined,
      expectedVersion: undefined,
    });
    expect(parseAssignWorkOrder({ id: 'wo-1', assigneeId: '' }).assigneeId).toBeUndefined();
  });

  it.each([
    ['id', { id: '' }],
    ['expectedVersion', { id: 'wo-1', expectedVersion: 0 }],
    ['expectedVersion', { id: 'wo-1', expectedVersion: 1.5 }],
  ])('rejects a bad %s', (field, input) => {
    expect(fieldOf(() => parseAssignWorkOrder(input))).toBe(field);
  });
});

describe('ids of every work-order operation', () => {
  const huge = 'x'.repeat(100_000);
  it.each([
    [
      'submitWorkOrder',
      'organizationId',
      () => parseSubmitWorkOrder({ ...valid, organizationId: huge }, NOW),
    ],
    ['assignWorkOrder', 'id', () => parseAssignWorkOrder({ id: huge })],
    ['assignWorkOrder', 'assigneeId', () => parseAssignWorkOrder({ id: 'wo-1', assigneeId: huge })],
    [
      'transitionWorkOrder',
      'id',
      () => parseTransitionWorkOrder({ id: huge, to: 'CANCELLED', expectedVersion: 1 }),
    ],
    [
      'addWorkOrderComment',
      'workOrderId',
      () => parseAddWorkOrderComment({ workOrderId: huge, body: 'hi' }),
    ],
  ])('%s refuses a 100 KB %s as VALIDATION naming it', (_operation, field, run) => {
    expect(fieldOf(run)).toBe(field);
  });

  it('accepts a uuid-sized id', () => {
    expect(parseAssignWorkOrder({ id: '36fa8a4e-f3c6-41da-8097-93705a385efe' }).id).toBe(
      '36fa8a4e-f3c6-41da-8097-93705a385efe',
    );
  });
});
