import { LINT } from './lint';
import { TRACE } from './trace';
import { IPTABLES } from './iptables';
import { PLAN } from './plan';
import { UNITS } from './unitsCommand';
import { POLICIES_GENERATE } from './policies';
import { CONNECTIVITY } from './connectivity';
import { EXIT_HELP, WALK_HELP } from './command';
import type { CommandSpec } from './command';

/**
 * Every sub-command, in --help order. To add one, write a CommandSpec (see command.ts: options
 * from a list that also writes --help; CONFIG_OPTION, formatOption, UNIT_OPTIONS to reuse) and
 * list it here; multi-word names (`policies generate`) work as they are.
 */
export const COMMANDS: CommandSpec[] = [LINT, PLAN, IPTABLES, TRACE, UNITS, CONNECTIVITY, POLICIES_GENERATE];

/** The sub-command named by the first words of argv (the longest name that matches). */
export function findCommand(argv: readonly string[]): { command: CommandSpec; words: number } | undefined {
  let best: { command: CommandSpec; words: number } | undefined;
  for (const command of COMMANDS) {
    const words = command.name.split(' ');
    if (words.every((w, i) => argv[i] === w) && (!best || words.length > best.words))
      best = { command, words: words.length };
  }
  return best;
}

/**
 * The first word of multi-word commands (`policies` of `policies generate`) with the commands
 * under it, so `kube-netlint policies` says what it needs instead of linting a path "policies".
 */
export function commandGroup(word: string | undefined): CommandSpec[] {
  return word === undefined ? [] : COMMANDS.filter(c => c.name.includes(' ') && c.name.split(' ')[0] === word);
}

/** `kube-netlint --help`: the sub-commands, then how the default (lint) is called. */
export function topUsage(): string {
  const width = Math.max(...COMMANDS.map(c => c.name.length));
  return [
    'Usage: kube-netlint [lint] [paths...] [options]',
    '       kube-netlint <command> [paths...] [options]',
    '',
    'Kubernetes networking from the manifests: lints selectors, ports, Ingress backends, NetworkPolicies',
    'and the cluster address plan across all files of the given paths.',
    '',
    'Commands:',
    ...COMMANDS.map(c => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes -h/--help (its options) and --version.',
    '',
    WALK_HELP,
    '',
    EXIT_HELP('findings at or above --fail-on (lint), a broken path (trace)'),
  ].join('\n');
}
