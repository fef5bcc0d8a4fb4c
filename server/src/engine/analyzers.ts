import type { GlobalAnalyzer } from './workspace';
import { planAnalyzer } from './plan';
import { callsAnalyzer } from './calls/analyzer';

/** Whole-workspace analyzers every front end runs (the address plan and required connectivity register here). */
export function defaultAnalyzers(): GlobalAnalyzer[] {
  return [planAnalyzer, callsAnalyzer];
}
