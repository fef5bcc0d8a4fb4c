import type { GlobalAnalyzer } from './workspace';
import { planAnalyzer } from './plan';
import { callsAnalyzer } from './calls/analyzer';
import { configAnalyzer } from './config/analyzer';

/** Whole-workspace analyzers every front end runs (the address plan, required connectivity and the configuration file register here). */
export function defaultAnalyzers(): GlobalAnalyzer[] {
  return [planAnalyzer, callsAnalyzer, configAnalyzer];
}
