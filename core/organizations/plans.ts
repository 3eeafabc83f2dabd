import { DomainError } from '../errors';
import { PLANS, type Plan } from './roles';

/** The quantities a plan limits. */
export type PlanLimits = {
  members: number;
  workOrdersPerMonth: number;
  storageMb: number;
};
export type LimitName = keyof PlanLimits;

/** Limits per plan; Infinity means unlimited. */
export const PLAN_LIMITS: Readonly<Record<Plan, PlanLimits>> = {
  FREE: { members: 5, workOrdersPerMonth: 50, storageMb: 100 },
  STARTER: { members: 15, workOrdersPerMonth: 500, storageMb: 1_024 },
  PROFESSIONAL: { members: 50, workOrdersPerMonth: 5_000, storageMb: 10_240 },
  ENTERPRISE: { members: Infinity, workOrdersPerMonth: Infinity, storageMb: Infinity },
};

/** Each plan's monthly work-order limit, as the work-order store conditions its counter on it. */
export const WORK_ORDERS_PER_MONTH: Readonly<Record<Plan, number>> = Object.fromEntries(
  PLANS.map((plan) => [plan, PLAN_LIMITS[plan].workOrdersPerMonth]),
) as Record<Plan, number>;

const LIMIT_WORDS: Readonly<Record<LimitName, string>> = {
  members: 'members',
  workOrdersPerMonth: 'work orders a month',
  storageMb: 'MB of storage',
};

/** The cheapest plan above `plan` that allows `wanted`, if any. */
export function planAllowing(plan: Plan, limit: LimitName, wanted: number): Plan | undefined {
  return PLANS.slice(PLANS.indexOf(plan) + 1).find((p) => PLAN_LIMITS[p][limit] >= wanted);
}

/**
 * Throws LIMIT_EXCEEDED when `wanted` (the quantity after the operation) is above the plan's
 * limit, naming the limit and the plan that would allow it.
 */
export function assertWithinPlan(plan: Plan, limit: LimitName, wanted: number): void {
  if (wanted > PLAN_LIMITS[plan][limit]) throw limitExceeded(plan, limit, wanted);
}

/** The LIMIT_EXCEEDED error for `wanted` over the plan's limit. */
export function limitExceeded(plan: Plan, limit: LimitName, wanted: number): DomainError {
  const allowed = PLAN_LIMITS[plan][limit];
  const words = LIMIT_WORDS[limit];
  const upgrade = planAllowing(plan, limit, wanted);
  return new DomainError(
    'LIMIT_EXCEEDED',
    `The ${plan} plan allows ${allowed} ${words}; this would make ${wanted}.`,
    {
      field: limit,
      resolution:
        upgrade === undefined
          ? `Reduce the ${words} or contact the Steward operator.`
          : `Upgrade the organization to the ${upgrade} plan (${PLAN_LIMITS[upgrade][limit]} ${words}) or reduce the ${words}.`,
    },
  );
}
