import type { CallRule } from './rule';
import { callServiceMissing } from './callServiceMissing';
import { callPortMissing } from './callPortMissing';
import { callDeniedByPolicy } from './callDeniedByPolicy';

/** Every required-connectivity rule, in reporting order. */
export const CALL_RULES: CallRule[] = [callServiceMissing, callPortMissing, callDeniedByPolicy];
