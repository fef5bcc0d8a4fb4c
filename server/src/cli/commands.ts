import { runLint, LINT_USAGE } from './lint';
import { runTrace, TRACE_USAGE } from './trace';
import { runIptables, IPTABLES_USAGE } from './iptables';
import { runPlan, PLAN_USAGE } from './plan';
import { runUnits, UNITS_USAGE } from './unitsCommand';
import { runConnectivity, CONNECTIVITY_USAGE } from './connectivity';
import { runPolicies, POLICIES_USAGE } from './policies';

export type Command = (argv: string[], out: (s: string) => void, err: (s: string) => void) => number | Promise<number>;

/** Sub-commands by name; the default (no sub-command) is lint. */
export const COMMANDS: Record<string, { run: Command; usage: string }> = {
  lint: { run: runLint, usage: LINT_USAGE },
  trace: { run: runTrace, usage: TRACE_USAGE },
  iptables: { run: runIptables, usage: IPTABLES_USAGE },
  plan: { run: runPlan, usage: PLAN_USAGE },
  units: { run: runUnits, usage: UNITS_USAGE },
  connectivity: { run: runConnectivity, usage: CONNECTIVITY_USAGE },
  policies: { run: runPolicies, usage: POLICIES_USAGE },
};
