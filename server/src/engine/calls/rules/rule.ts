import type { Finding, Severity } from '../../findings';
import type { Workspace } from '../../workspace';
import type { Call } from '../discover';

export interface CallRuleContext {
  ws: Workspace;
  calls: readonly Call[];
  /** Adds a finding; rule, severity default and file come from the rule and the anchor's owner. */
  report(f: Omit<Finding, 'rule' | 'severity'> & { severity?: Severity }): void;
}

/** A rule over the unit's discovered calls; one file per rule, listed in rules/index.ts, documented in docs/rules/<id>.md. */
export interface CallRule {
  id: string;
  defaultSeverity: Severity;
  summary: string;
  check(ctx: CallRuleContext): void;
}

/** `"cart:7070" (env CART_ADDR)` — the address as the workload writes it and where. */
export function describeCall(c: Call): string {
  const port = c.port !== undefined && !c.portImplicit ? `:${c.port}` : '';
  const scheme = c.scheme ? `${c.scheme}://` : '';
  return `"${scheme}${c.host}${port}" (${c.source.via})`;
}

export function workloadLabel(c: Call): string {
  const r = c.from.owner;
  return `${r.kind} ${r.namespace}/${r.name}`;
}
