/**
 * AppSync enhanced subscription filters: conversion from the model filter input
 * (`$util.transform.toSubscriptionFilter`), AppSync's published limits, and per-event evaluation
 * on the published payload.
 */

/** The operators AppSync accepts in a subscription filter. */
export const FILTER_OPERATORS = [
  'eq',
  'ne',
  'in',
  'notIn',
  'contains',
  'notContains',
  'containsAny',
  'beginsWith',
  'between',
  'gt',
  'ge',
  'lt',
  'le',
  'attributeExists',
] as const;

export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** One condition on one (possibly dotted) field of the payload. */
export type SubscriptionFilterRule = {
  fieldName: string;
  operator: FilterOperator;
  value: unknown;
};

/** The JSON AppSync takes in `extensions.setSubscriptionFilter`: OR of groups, AND within a group. */
export type SubscriptionFilter = { filterGroup: { filters: SubscriptionFilterRule[] }[] };

/** AppSync's published limits on enhanced filters. */
export const FILTER_LIMITS = {
  maxFieldDepth: 5,
  maxInValues: 5,
  maxContainsAnyValues: 20,
  maxFilterGroups: 10,
} as const;

/** A filter AppSync would refuse when the subscription starts (AppSync answers errorCode 400). */
export class SubscriptionFilterError extends Error {
  readonly errorType = 'BadRequestException';
  readonly errorCode = 400;
  constructor(message: string) {
    super(message);
    this.name = 'SubscriptionFilterError';
  }
}

const OPERATOR_SET: ReadonlySet<string> = new Set(FILTER_OPERATORS);

function isOperator(key: string): key is FilterOperator {
  return OPERATOR_SET.has(key);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Conjunction = SubscriptionFilterRule[];

/** Every rule of `a` combined with every rule of `b` (AND of two ORs, in disjunctive normal form). */
function andDnf(a: Conjunction[], b: Conjunction[]): Conjunction[] {
  const out: Conjunction[] = [];
  for (const left of a) for (const right of b) out.push([...left, ...right]);
  return out;
}

const NEGATION: Partial<Record<FilterOperator, FilterOperator>> = {
  eq: 'ne',
  ne: 'eq',
  in: 'notIn',
  notIn: 'in',
  contains: 'notContains',
  notContains: 'contains',
  gt: 'le',
  le: 'gt',
  lt: 'ge',
  ge: 'lt',
};

function negateRule(rule: SubscriptionFilterRule): SubscriptionFilterRule {
  if (rule.operator === 'attributeExists') return { ...rule, value: !rule.value };
  const negated = NEGATION[rule.operator];
  if (!negated) {
    throw new SubscriptionFilterError(
      `subscription filter cannot negate operator \`${rule.operator}\`.`,
    );
  }
  return { ...rule, operator: negated };
}

/** not(OR of ANDs) = AND of (OR of negated rules), by De Morgan. */
function notDnf(dnf: Conjunction[]): Conjunction[] {
  let result: Conjunction[] = [[]];
  for (const conjunction of dnf) {
    result = andDnf(
      result,
      conjunction.map((rule) => [negateRule(rule)]),
    );
  }
  return result;
}

function toDnf(
  input: Record<string, unknown>,
  prefix: string,
  ignored: ReadonlySet<string>,
): Conjunction[] {
  let result: Conjunction[] = [[]];
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null) continue;
    if (!prefix && (key === 'and' || key === 'or' || key === 'not')) {
      if (key === 'not') {
        if (!isPlainObject(value))
          throw new SubscriptionFilterError('`not` takes one filter object.');
        result = andDnf(result, notDnf(toDnf(value, '', ignored)));
        continue;
      }
      if (!Array.isArray(value))
        throw new SubscriptionFilterError(`\`${key}\` takes a list of filters.`);
      const parts = value.filter(isPlainObject).map((part) => toDnf(part, '', ignored));
      if (key === 'and') {
        for (const part of parts) result = andDnf(result, part);
      } else if (parts.length) {
        result = andDnf(result, parts.flat());
      }
      continue;
    }
    const fieldName = prefix ? `${prefix}.${key}` : key;
    if (!prefix && ignored.has(key)) continue;
    if (!isPlainObject(value)) {
      throw new SubscriptionFilterError(
        `subscription filter for field \`${fieldName}\` must be an object of operators.`,
      );
    }
    const rules: SubscriptionFilterRule[] = [];
    for (const [opKey, opValue] of Object.entries(value)) {
      if (isOperator(opKey)) {
        rules.push({ fieldName, operator: opKey, value: opValue });
      } else if (isPlainObject(opValue)) {
        // A nested object: the key is a field of a nested type, not an operator.
        result = andDnf(result, toDnf({ [opKey]: opValue }, fieldName, ignored));
      } else {
        throw new SubscriptionFilterError(`subscription filter has unknown operator \`${opKey}\`.`);
      }
    }
    if (rules.length) result = andDnf(result, [rules]);
  }
  return result;
}

/**
 * `util.transform.toSubscriptionFilter(filter, ignoredFields?, rules?)`: a model filter input
 * (`{ field: { eq: … }, and: [...], or: [...], not: {...} }`) to AppSync's filterGroup JSON. The
 * optional rules object is AND-ed with the filter.
 */
export function toSubscriptionFilter(
  input: unknown,
  ignoredFields: readonly string[] = [],
  rules?: unknown,
): SubscriptionFilter {
  const ignored = new Set(ignoredFields);
  let dnf = isPlainObject(input) ? toDnf(input, '', ignored) : [[]];
  if (isPlainObject(rules)) dnf = andDnf(dnf, toDnf(rules, '', new Set()));
  const groups = dnf.filter((conjunction) => conjunction.length > 0);
  return { filterGroup: groups.map((filters) => ({ filters })) };
}

/** Throws the AppSync error for a filter AppSync would refuse at subscribe time. */
export function validateSubscriptionFilter(filter: unknown): SubscriptionFilter {
  if (!isPlainObject(filter) || !Array.isArray(filter.filterGroup)) {
    throw new SubscriptionFilterError(
      'subscription filter must be an object with a `filterGroup` list.',
    );
  }
  if (filter.filterGroup.length > FILTER_LIMITS.maxFilterGroups) {
    throw new SubscriptionFilterError(
      `subscription filter exceeds maximum filter group limit ${FILTER_LIMITS.maxFilterGroups} (has ${filter.filterGroup.length}).`,
    );
  }
  for (const group of filter.filterGroup) {
    if (!isPlainObject(group) || !Array.isArray(group.filters)) {
      throw new SubscriptionFilterError(
        'each subscription filter group must have a `filters` list.',
      );
    }
    for (const rule of group.filters) {
      if (
        !isPlainObject(rule) ||
        typeof rule.fieldName !== 'string' ||
        typeof rule.operator !== 'string'
      ) {
        throw new SubscriptionFilterError(
          'each subscription filter needs `fieldName`, `operator` and `value`.',
        );
      }
      validateRule(rule.fieldName, rule.operator, rule.value);
    }
  }
  return filter as SubscriptionFilter;
}

function validateRule(fieldName: string, operator: string, value: unknown): void {
  if (!isOperator(operator)) {
    throw new SubscriptionFilterError(
      `subscription filter has unsupported operator \`${operator}\`.`,
    );
  }
  const depth = fieldName.split('.').length;
  if (depth > FILTER_LIMITS.maxFieldDepth) {
    throw new SubscriptionFilterError(
      `subscription filter field \`${fieldName}\` exceeds maximum field depth ${FILTER_LIMITS.maxFieldDepth}.`,
    );
  }
  const listLimit =
    operator === 'in' || operator === 'notIn'
      ? FILTER_LIMITS.maxInValues
      : operator === 'containsAny'
        ? FILTER_LIMITS.maxContainsAnyValues
        : undefined;
  if (listLimit !== undefined) {
    if (!Array.isArray(value) || value.length === 0) {
      throw new SubscriptionFilterError(
        `subscription filter has invalid filter value for operator \`${operator}\`.`,
      );
    }
    if (value.length > listLimit) {
      throw new SubscriptionFilterError(
        `subscription exceeds maximum value limit ${listLimit} for operator \`${operator}\`.`,
      );
    }
  }
  if (operator === 'between' && (!Array.isArray(value) || value.length !== 2)) {
    throw new SubscriptionFilterError(
      'subscription filter has invalid filter value for operator `between`.',
    );
  }
  if (operator === 'attributeExists' && typeof value !== 'boolean') {
    throw new SubscriptionFilterError(
      'subscription filter has invalid filter value for operator `attributeExists`.',
    );
  }
}

function valueAt(payload: unknown, fieldName: string): unknown {
  let current: unknown = payload;
  for (const part of fieldName.split('.')) {
    if (!isPlainObject(current)) return undefined;
    current = current[part];
  }
  return current;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => same(x, b[i]));
  return false;
}

function compare(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

function contains(field: unknown, value: unknown): boolean {
  if (typeof field === 'string' && typeof value === 'string') return field.includes(value);
  if (Array.isArray(field)) return field.some((item) => same(item, value));
  return false;
}

/** Whether one rule holds for the payload. */
export function matchesRule(rule: SubscriptionFilterRule, payload: unknown): boolean {
  const field = valueAt(payload, rule.fieldName);
  const { value } = rule;
  const list = Array.isArray(value) ? value : [];
  switch (rule.operator) {
    case 'eq':
      return same(field, value);
    case 'ne':
      return !same(field, value);
    case 'in':
      return list.some((item) => same(field, item));
    case 'notIn':
      return !list.some((item) => same(field, item));
    case 'contains':
      return contains(field, value);
    case 'notContains':
      return !contains(field, value);
    case 'containsAny':
      return list.some((item) => contains(field, item));
    case 'beginsWith':
      return typeof field === 'string' && typeof value === 'string' && field.startsWith(value);
    case 'between': {
      const low = compare(field, list[0]);
      const high = compare(field, list[1]);
      return low !== undefined && high !== undefined && low >= 0 && high <= 0;
    }
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le': {
      const c = compare(field, value);
      if (c === undefined) return false;
      return rule.operator === 'gt'
        ? c > 0
        : rule.operator === 'ge'
          ? c >= 0
          : rule.operator === 'lt'
            ? c < 0
            : c <= 0;
    }
    case 'attributeExists':
      return (field !== undefined) === Boolean(value);
  }
}

/** Whether an event is delivered: some group whose rules all hold (an empty filter passes all). */
export function matchesSubscriptionFilter(filter: SubscriptionFilter, payload: unknown): boolean {
  if (filter.filterGroup.length === 0) return true;
  return filter.filterGroup.some((group) =>
    group.filters.every((rule) => matchesRule(rule, payload)),
  );
}

/**
 * AppSync's argument-based filtering: every scalar argument given to the subscription must equal
 * the payload field of the same name (input-object arguments such as `filter` are not compared).
 */
export function matchesSubscriptionArguments(
  args: Record<string, unknown>,
  payload: unknown,
): boolean {
  return Object.entries(args).every(([name, value]) => {
    if (value === null || value === undefined || typeof value === 'object') return true;
    return same(valueAt(payload, name), value);
  });
}
