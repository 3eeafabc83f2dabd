import { describe, expect, it } from 'vitest';
import {
  matchesRule,
  matchesSubscriptionArguments,
  matchesSubscriptionFilter,
  type SubscriptionFilterRule,
  SubscriptionFilterError,
  toSubscriptionFilter,
  validateSubscriptionFilter,
} from './subscription-filter';

const payload = {
  organizationId: 'org-a',
  title: 'Leaking tap in kitchen',
  priority: 3,
  readGroups: ['org-a:OWNER', 'org-a:MANAGER'],
  assignee: { profile: { name: 'Ana' } },
  dueAt: null,
};

describe('matchesRule', () => {
  it.each<[SubscriptionFilterRule, boolean]>([
    [{ fieldName: 'organizationId', operator: 'eq', value: 'org-a' }, true],
    [{ fieldName: 'organizationId', operator: 'eq', value: 'org-b' }, false],
    [{ fieldName: 'organizationId', operator: 'ne', value: 'org-b' }, true],
    [{ fieldName: 'organizationId', operator: 'in', value: ['org-b', 'org-a'] }, true],
    [{ fieldName: 'organizationId', operator: 'notIn', value: ['org-a'] }, false],
    [{ fieldName: 'title', operator: 'contains', value: 'tap' }, true],
    [{ fieldName: 'readGroups', operator: 'contains', value: 'org-a:OWNER' }, true],
    [{ fieldName: 'readGroups', operator: 'notContains', value: 'org-b:OWNER' }, true],
    [
      { fieldName: 'readGroups', operator: 'containsAny', value: ['org-b:OWNER', 'org-a:MANAGER'] },
      true,
    ],
    [{ fieldName: 'readGroups', operator: 'containsAny', value: ['org-b:OWNER'] }, false],
    [{ fieldName: 'title', operator: 'beginsWith', value: 'Leak' }, true],
    [{ fieldName: 'title', operator: 'beginsWith', value: 'tap' }, false],
    [{ fieldName: 'priority', operator: 'between', value: [1, 3] }, true],
    [{ fieldName: 'priority', operator: 'between', value: [4, 5] }, false],
    [{ fieldName: 'priority', operator: 'gt', value: 2 }, true],
    [{ fieldName: 'priority', operator: 'ge', value: 3 }, true],
    [{ fieldName: 'priority', operator: 'lt', value: 3 }, false],
    [{ fieldName: 'priority', operator: 'le', value: 3 }, true],
    [{ fieldName: 'priority', operator: 'gt', value: '2' }, false],
    [{ fieldName: 'assignee.profile.name', operator: 'eq', value: 'Ana' }, true],
    [{ fieldName: 'dueAt', operator: 'attributeExists', value: true }, true],
    [{ fieldName: 'closedAt', operator: 'attributeExists', value: true }, false],
    [{ fieldName: 'closedAt', operator: 'attributeExists', value: false }, true],
  ])('%j → %s', (rule, expected) => {
    expect(matchesRule(rule, payload)).toBe(expected);
  });
});

describe('matchesSubscriptionFilter', () => {
  it('ORs filter groups and ANDs the filters of a group', () => {
    const filter = {
      filterGroup: [
        { filters: [{ fieldName: 'organizationId', operator: 'eq' as const, value: 'org-b' }] },
        {
          filters: [
            { fieldName: 'organizationId', operator: 'eq' as const, value: 'org-a' },
            { fieldName: 'priority', operator: 'gt' as const, value: 1 },
          ],
        },
      ],
    };
    expect(matchesSubscriptionFilter(filter, payload)).toBe(true);
    expect(matchesSubscriptionFilter(filter, { ...payload, priority: 1 })).toBe(false);
    expect(
      matchesSubscriptionFilter(filter, { ...payload, organizationId: 'org-b', priority: 0 }),
    ).toBe(true);
  });

  it('passes everything with no filter groups', () => {
    expect(matchesSubscriptionFilter({ filterGroup: [] }, payload)).toBe(true);
  });
});

describe('toSubscriptionFilter', () => {
  it('turns fields and operators into one AND group', () => {
    expect(
      toSubscriptionFilter({ organizationId: { eq: 'a' }, priority: { gt: 1, lt: 5 } }),
    ).toEqual({
      filterGroup: [
        {
          filters: [
            { fieldName: 'organizationId', operator: 'eq', value: 'a' },
            { fieldName: 'priority', operator: 'gt', value: 1 },
            { fieldName: 'priority', operator: 'lt', value: 5 },
          ],
        },
      ],
    });
  });

  it('expands the generated auth filter (and of or) into filter groups', () => {
    const filter = toSubscriptionFilter({
      and: [
        { or: [{ requester: { eq: 'sub::user' } }, { readGroups: { containsAny: ['g1', 'g2'] } }] },
        { status: { eq: 'OPEN' } },
      ],
    });
    expect(filter.filterGroup).toHaveLength(2);
    expect(filter.filterGroup.map((g) => g.filters.map((f) => f.fieldName))).toEqual([
      ['requester', 'status'],
      ['readGroups', 'status'],
    ]);
    expect(matchesSubscriptionFilter(filter, { requester: 'sub::user', status: 'OPEN' })).toBe(
      true,
    );
    expect(
      matchesSubscriptionFilter(filter, { requester: 'x', readGroups: ['g2'], status: 'OPEN' }),
    ).toBe(true);
    expect(
      matchesSubscriptionFilter(filter, { requester: 'x', readGroups: ['g3'], status: 'OPEN' }),
    ).toBe(false);
  });

  it('negates `not` with De Morgan', () => {
    const filter = toSubscriptionFilter({ not: { status: { eq: 'CLOSED' }, priority: { gt: 3 } } });
    expect(matchesSubscriptionFilter(filter, { status: 'CLOSED', priority: 5 })).toBe(false);
    expect(matchesSubscriptionFilter(filter, { status: 'CLOSED', priority: 1 })).toBe(true);
  });

  it('names nested fields with dots, drops ignored fields and ANDs the rules argument', () => {
    const filter = toSubscriptionFilter(
      { assignee: { profile: { name: { eq: 'Ana' } } }, filter: { eq: 1 } },
      ['filter'],
      {
        organizationId: { eq: 'org-a' },
      },
    );
    expect(filter.filterGroup[0]?.filters).toEqual([
      { fieldName: 'assignee.profile.name', operator: 'eq', value: 'Ana' },
      { fieldName: 'organizationId', operator: 'eq', value: 'org-a' },
    ]);
  });
});

describe('validateSubscriptionFilter', () => {
  const one = (fieldName: string, operator: string, value: unknown) => ({
    filterGroup: [{ filters: [{ fieldName, operator, value }] }],
  });

  it('accepts filters within every limit', () => {
    expect(() => validateSubscriptionFilter(one('a.b.c.d.e', 'in', [1, 2, 3, 4, 5]))).not.toThrow();
    expect(() =>
      validateSubscriptionFilter(
        one(
          'g',
          'containsAny',
          Array.from({ length: 20 }, (_, i) => i),
        ),
      ),
    ).not.toThrow();
  });

  it.each([
    [
      'in with 6 values',
      one('organizationId', 'in', [1, 2, 3, 4, 5, 6]),
      'maximum value limit 5 for operator `in`',
    ],
    [
      'notIn with 6 values',
      one('organizationId', 'notIn', [1, 2, 3, 4, 5, 6]),
      'maximum value limit 5 for operator `notIn`',
    ],
    [
      'containsAny with 21 values',
      one(
        'g',
        'containsAny',
        Array.from({ length: 21 }, (_, i) => i),
      ),
      'maximum value limit 20',
    ],
    ['a field 6 deep', one('a.b.c.d.e.f', 'eq', 1), 'maximum field depth 5'],
    ['an unknown operator', one('a', 'like', 'x'), 'unsupported operator'],
    ['between without two values', one('a', 'between', [1]), 'operator `between`'],
    [
      '11 filter groups',
      {
        filterGroup: Array.from({ length: 11 }, () => ({
          filters: [{ fieldName: 'a', operator: 'eq', value: 1 }],
        })),
      },
      'maximum filter group limit 10',
    ],
  ])('rejects %s', (_name, filter, message) => {
    expect(() => validateSubscriptionFilter(filter)).toThrow(SubscriptionFilterError);
    expect(() => validateSubscriptionFilter(filter)).toThrow(message);
  });
});

describe('matchesSubscriptionArguments', () => {
  it('compares scalar arguments with the payload and ignores input objects', () => {
    expect(
      matchesSubscriptionArguments({ organizationId: 'org-a', filter: { x: 1 } }, payload),
    ).toBe(true);
    expect(matchesSubscriptionArguments({ organizationId: 'org-b' }, payload)).toBe(false);
    expect(matchesSubscriptionArguments({ organizationId: null }, payload)).toBe(true);
  });
});
