import type { PlanRule } from './rule';
import { cidrInvalid } from './cidrInvalid';
import { cidrOverlap } from './cidrOverlap';
import { cniConfigInvalid } from './cniConfigInvalid';
import { ipamRangeInvalid } from './ipamRangeInvalid';
import { podCidrMismatch } from './podCidrMismatch';
import { nodeCidrMaskInvalid } from './nodeCidrMaskInvalid';
import { serviceClusterIpOutsideRange } from './serviceClusterIpOutsideRange';
import { multusAnnotationInvalid } from './multusAnnotationInvalid';

/** Every address-plan rule, in reporting order. */
export const PLAN_RULES: PlanRule[] = [
  cidrInvalid,
  cidrOverlap,
  cniConfigInvalid,
  ipamRangeInvalid,
  podCidrMismatch,
  nodeCidrMaskInvalid,
  serviceClusterIpOutsideRange,
  multusAnnotationInvalid,
];

/** Ids reported by the plan analyzer outside PLAN_RULES (extraction notes). */
export const PLAN_NOTE_IDS = ['value-not-evaluated'];
