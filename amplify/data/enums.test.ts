import { Kind } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  MEMBERSHIP_STATUSES,
  ORGANIZATION_STATUSES,
  PLANS,
  ROLES,
} from '../../core/organizations/roles';
import { ADJUSTMENT_REASONS } from '../../core/records';
import {
  CATEGORIES,
  PRIORITIES,
  WORK_ORDER_STATUSES,
  WORK_ORDER_TYPES,
} from '../../core/work-orders/vocabulary';
import { builtSchema } from './built-schema';

/** Each GraphQL enum of the schema and the `core` constant it must equal. */
const CORE_ENUMS: Record<string, readonly string[]> = {
  Role: ROLES,
  MembershipStatus: MEMBERSHIP_STATUSES,
  Plan: PLANS,
  OrganizationStatus: ORGANIZATION_STATUSES,
  WorkOrderStatus: WORK_ORDER_STATUSES,
  Priority: PRIORITIES,
  Category: CATEGORIES,
  WorkOrderType: WORK_ORDER_TYPES,
  AdjustmentReason: ADJUSTMENT_REASONS,
};

/** The schema's enums with their values, in declaration order. */
function schemaEnums(): Record<string, string[]> {
  const enums: Record<string, string[]> = {};
  for (const definition of builtSchema().document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION) continue;
    enums[definition.name.value] = (definition.values ?? []).map((v) => v.name.value);
  }
  return enums;
}

describe('the schema’s enums', () => {
  const enums = schemaEnums();

  it('are each tied to a constant in core', () => {
    expect(Object.keys(enums).sort()).toEqual(Object.keys(CORE_ENUMS).sort());
  });

  it.each(Object.entries(CORE_ENUMS))('declare %s exactly as core does', (name, values) => {
    expect(enums[name]).toEqual([...values]);
  });
});
