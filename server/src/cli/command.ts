import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SKIP_DIRECTORIES } from '../engine/config/config';
import { InputError, OptionSpec, ParsedArgs, parseArgs } from './args';

/**
 * The shape every sub-command shares, so adding one (`units`, `connectivity`, `policies
 * generate`) is: write a CommandSpec, list it in commands.ts. main.ts gives every sub-command
 * -h/--help (from this spec), --version, the exit-code policy and a quiet end on a closed stdout.
 */
export interface CommandSpec {
  /** Words after `kube-netlint` (`plan`, `policies generate`); `lint` is also the default. */
  name: string;
  /** One line for the command list of `kube-netlint --help`. */
  summary: string;
  /** What follows `kube-netlint <name>` in the usage line, e.g. `[paths...] --from ENTRY`. */
  synopsis: string;
  /** Paragraphs after the usage line (already wrapped at ~100 columns). */
  description: string;
  options: readonly OptionSpec[];
  /** What exit code 1 means for this command; omitted: it never exits with 1. */
  exit1?: string;
  run(args: ParsedArgs, io: CliIo): number | Promise<number>;
  /**
   * For commands whose arguments parseArgs cannot express (`--explain SRC DST [PORT]`): gets the
   * raw arguments instead of `run`; `options` then only documents them in --help.
   */
  runArgv?(argv: readonly string[], io: CliIo): number | Promise<number>;
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** Exit codes, the same for every sub-command. */
export const EXIT = { ok: 0, findings: 1, input: 2 } as const;

// Options several sub-commands take; reuse them so names, letters and help stay the same.
export const CONFIG_OPTION: OptionSpec = {
  name: 'config',
  short: 'c',
  value: 'FILE',
  help: 'configuration file (default: .kube-netlint.yaml in the first folder argument, else in the working directory)',
};

export function formatOption(choices: readonly string[], help?: string): OptionSpec {
  return {
    name: 'format',
    short: 'f',
    value: choices.join('|'),
    choices,
    help: help ?? `output format (default ${choices[0]})`,
  };
}

export const HELP_OPTIONS: readonly OptionSpec[] = [
  { name: 'help', short: 'h', help: 'print this help and exit' },
  { name: 'version', help: 'print the version and exit' },
];

/** The folders and file kinds a walk reads, for --help (kept next to the walk's defaults). */
export const WALK_HELP = [
  'Folders are walked for *.yaml, *.yml, *.json (Kubernetes objects and Lists; CNI configs), *.conf and',
  `*.conflist; files named explicitly are read whatever their extension. Never walked unless named:`,
  `${DEFAULT_SKIP_DIRECTORIES.join(', ')} (skipDirectories: in .kube-netlint.yaml replaces the list).`,
].join('\n');

export const EXIT_HELP = (exit1?: string) =>
  [
    'Exit codes: 0 done, nothing to report',
    exit1 ? `            1 ${exit1}` : undefined,
    '            2 usage or input error: unknown option, missing path, nothing to analyse, invalid',
    '              configuration, unknown Service or unit',
  ]
    .filter(Boolean)
    .join('\n');

function optionLines(options: readonly OptionSpec[]): string[] {
  const heads = options.map(o => `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.value ? ` ${o.value}` : ''}`);
  const width = Math.min(32, Math.max(...heads.map(h => h.length)));
  const lines: string[] = [];
  options.forEach((o, i) => {
    const head = heads[i];
    if (head.length > width) lines.push(`  ${head}`, `  ${' '.repeat(width)}  ${o.help}`);
    else lines.push(`  ${head.padEnd(width)}  ${o.help}`);
  });
  return lines;
}

/** The full --help text of one sub-command. */
export function usageOf(c: CommandSpec, walks = true): string {
  return [
    `Usage: kube-netlint ${c.name} ${c.synopsis}`,
    '',
    c.description,
    '',
    'Options:',
    ...optionLines([...c.options, ...HELP_OPTIONS]),
    '',
    ...(walks ? [WALK_HELP, ''] : []),
    EXIT_HELP(c.exit1),
  ].join('\n');
}

export function parseCommandArgs(c: CommandSpec, argv: readonly string[]): ParsedArgs {
  return parseArgs(argv, c.options);
}

/**
 * The paths a sub-command analyses (the working directory when none is given). A path that does
 * not exist is an input error, not an empty workspace ("no findings" on a typo passed CI once).
 */
export function pathArguments(positionals: readonly string[]): string[] {
  const paths = positionals.length ? [...positionals] : ['.'];
  const missing = paths.filter(p => !fs.existsSync(p));
  if (missing.length) throw new InputError(missing.map(p => `${p}: no such file or directory`).join('\n'));
  return paths;
}

/** A path as every sub-command prints it: relative to the working directory. */
export function displayPath(p: string, cwd = process.cwd()): string {
  return path.relative(cwd, path.resolve(cwd, p)) || '.';
}
