import type { PlanRule } from './rule';

/** Every address-plan rule, in reporting order. */
export const PLAN_RULES: PlanRule[] = [];
