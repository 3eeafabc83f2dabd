import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { assertWithinPlan, PLAN_LIMITS, planAllowing } from './plans';
import { PLANS } from './roles';

describe('plans', () => {
  it.each(PLANS)('allows exactly the %s member limit', (plan) => {
    const limit = PLAN_LIMITS[plan].members;
    if (Number.isFinite(limit)) {
      expect(() => assertWithinPlan(plan, 'members', limit)).not.toThrow();
      expect(() => assertWithinPlan(plan, 'members', limit + 1)).toThrow(DomainError);
    } else {
      expect(() => assertWithinPlan(plan, 'members', 1_000_000)).not.toThrow();
    }
  });

  it('never lowers a limit on a higher plan', () => {
    for (let i = 1; i < PLANS.length; i += 1) {
      const [lower, higher] = [
        PLAN_LIMITS[PLANS[i - 1] ?? 'FREE'],
        PLAN_LIMITS[PLANS[i] ?? 'FREE'],
      ];
      expect(higher.members).toBeGreaterThan(lower.members);
      expect(higher.workOrdersPerMonth).toBeGreaterThan(lower.workOrdersPerMonth);
      expect(higher.storageMb).toBeGreaterThan(lower.storageMb);
    }
  });

  it('names the limit and the plan that raises it', () => {
    try {
      assertWithinPlan('FREE', 'workOrdersPerMonth', 51);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      const error = err as DomainError;
      expect(error.code).toBe('LIMIT_EXCEEDED');
      expect(error.name).toBe('LIMIT_EXCEEDED');
      expect(error.message).toContain('50 work orders a month');
      expect(error.resolution).toContain('STARTER');
    }
  });

  it('skips plans that would still be too small', () => {
    expect(planAllowing('FREE', 'members', 40)).toBe('PROFESSIONAL');
    expect(planAllowing('ENTERPRISE', 'members', 40)).toBeUndefined();
  });
});
