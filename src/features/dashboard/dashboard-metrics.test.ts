import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  openByPriority,
  openByStatus,
  overdueCount,
  weekOverWeek,
  type WorkOrderFacts,
} from './dashboard-metrics';

const NOW = new Date('2026-11-25T12:00:00Z');
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const ago = (ms: number): string => new Date(NOW.getTime() - ms).toISOString();

const wo = (overrides: Partial<WorkOrderFacts>): WorkOrderFacts => ({
  status: 'NEW',
  priority: 'MEDIUM',
  createdAt: ago(DAY),
  ...overrides,
});

describe('openByStatus', () => {
  it('counts open work per status, zeros included, and leaves out drafts and finished work', () => {
    const tallies = openByStatus([
      wo({ status: 'NEW' }),
      wo({ status: 'NEW' }),
      wo({ status: 'IN_PROGRESS' }),
      wo({ status: 'DRAFT' }),
      wo({ status: 'CLOSED' }),
      wo({ status: 'CANCELLED' }),
    ]);
    expect(tallies).toEqual([
      { key: 'NEW', value: 2 },
      { key: 'ASSIGNED', value: 0 },
      { key: 'IN_PROGRESS', value: 1 },
      { key: 'ON_HOLD', value: 0 },
    ]);
  });
});

describe('openByPriority', () => {
  it('counts open work from URGENT down', () => {
    const tallies = openByPriority([
      wo({ priority: 'URGENT' }),
      wo({ priority: 'LOW' }),
      wo({ priority: 'LOW', status: 'COMPLETED' }),
    ]);
    expect(tallies).toEqual([
      { key: 'URGENT', value: 1 },
      { key: 'HIGH', value: 0 },
      { key: 'MEDIUM', value: 0 },
      { key: 'LOW', value: 1 },
    ]);
  });
});

describe('weekOverWeek', () => {
  it('averages assignment times in the last seven days and in the seven before', () => {
    const result = weekOverWeek(
      [
        wo({ createdAt: ago(DAY + 2 * HOUR), assignedAt: ago(DAY) }), // 2 h, this week
        wo({ createdAt: ago(2 * DAY + 4 * HOUR), assignedAt: ago(2 * DAY) }), // 4 h, this week
        wo({ createdAt: ago(9 * DAY + 10 * HOUR), assignedAt: ago(9 * DAY) }), // 10 h, last week
        wo({ createdAt: ago(20 * DAY), assignedAt: ago(19 * DAY) }), // older: ignored
        wo({ createdAt: ago(HOUR) }), // not assigned
      ],
      'assignedAt',
      NOW,
    );
    expect(result.thisWeek).toEqual({ averageMs: 3 * HOUR, count: 2 });
    expect(result.lastWeek).toEqual({ averageMs: 10 * HOUR, count: 1 });
  });

  it('has no average for a week without completions', () => {
    const result = weekOverWeek([wo({ completedAt: ago(DAY) })], 'completedAt', NOW);
    expect(result.thisWeek.count).toBe(1);
    expect(result.lastWeek).toEqual({ averageMs: undefined, count: 0 });
  });
});

describe('overdueCount', () => {
  it('counts open work due before now', () => {
    expect(
      overdueCount(
        [
          { status: 'ASSIGNED', openDueAt: ago(HOUR) },
          { status: 'NEW', openDueAt: new Date(NOW.getTime() + DAY).toISOString() },
          { status: 'NEW', openDueAt: null },
          { status: 'COMPLETED', openDueAt: ago(DAY) },
        ],
        NOW,
      ),
    ).toBe(1);
  });
});

describe('formatDuration', () => {
  it.each([
    [undefined, '–'],
    [45 * 60_000, '45 min'],
    [2 * HOUR, '2 h'],
    [3 * HOUR + 20 * 60_000, '3 h 20 min'],
    [2 * DAY + 4 * HOUR, '2 d 4 h'],
  ])('formats %s as %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
