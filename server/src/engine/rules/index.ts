import type { Rule } from './rule';
import { serviceSelectorNoMatch } from './serviceSelectorNoMatch';

/** Every per-resource rule, in the order their findings are listed. */
export const ALL_RULES: Rule[] = [
  serviceSelectorNoMatch,
];
