import type { GlobalAnalyzer } from './workspace';
import { planAnalyzer } from './plan';

/** Whole-workspace analyzers every front end runs (the address plan registers here). */
export function defaultAnalyzers(): GlobalAnalyzer[] {
  return [planAnalyzer];
}
