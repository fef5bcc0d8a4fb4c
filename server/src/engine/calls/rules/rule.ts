import type { Finding, Severity } from '../../findings';
import type { Workspace } from '../../workspace';
import type { Call } from '../discover';
import type { ConnectivityModel } from '../../connectivity';

export interface CallRuleContext {
  ws: Workspace;
  /** The calls to check (one workload's, for `scope: 'call'` rules). */
  calls: readonly Call[];
  /** A connectivity model of the unit that answers like the current one (the analyzer keeps it across edits policies do not see). */
  model?: ConnectivityModel;
  /** Adds a finding; rule, severity default and file come from the rule and the anchor's owner. */
  report(f: Omit<Finding, 'rule' | 'severity'> & { severity?: Severity }): void;
}

/** A rule over the unit's discovered calls; one file per rule, listed in rules/index.ts, documented in docs/rules/<id>.md. */
export interface CallRule {
  id: string;
  defaultSeverity: Severity;
  summary: string;
  /** call: checks the calls it is given, one workload at a time; unit: looks at the whole unit. */
  scope: 'call' | 'unit';
  /** Whether its findings depend on what the policies allow (then they are redone when the model changes). */
  usesModel?: boolean;
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
