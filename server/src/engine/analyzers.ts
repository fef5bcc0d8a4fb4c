import type { GlobalAnalyzer } from './workspace';

/** Whole-workspace analyzers every front end runs (the address plan registers here). */
export function defaultAnalyzers(): GlobalAnalyzer[] {
  return [];
}
