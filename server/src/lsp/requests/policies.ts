import type { RequestContext } from './context';
import { generatePolicies, policiesYaml } from '../../engine/calls/generate';

/** `kubeNetlint/generatePolicies`: NetworkPolicy YAML allowing exactly the discovered calls of one unit. */
export const GENERATE_POLICIES = 'kubeNetlint/generatePolicies';

export interface GeneratePoliciesParams {
  /** The analysis unit: `unit`, else the unit of `uri`, else the largest. */
  uri?: string;
  unit?: string;
}
export type GeneratePoliciesResult = { text: string; connections: number } | { error: string };

export function register(ctx: RequestContext): void {
  ctx.connection.onRequest(GENERATE_POLICIES, (p: GeneratePoliciesParams | undefined): GeneratePoliciesResult => {
    const uri = typeof p?.uri === 'string' && p.uri ? p.uri : undefined;
    const unit = typeof p?.unit === 'string' && p.unit ? p.unit : undefined;
    const ws = ctx.workspace(uri ? ctx.toFileId(uri) : undefined, unit);
    const g = generatePolicies(ws);
    if (!g.edges.length)
      return {
        error: 'No workload of this unit names a Service of the unit in its env, args or config: nothing to allow.',
      };
    return { text: policiesYaml(g), connections: g.edges.length };
  });
}
