/** A mistake in how the command was called: exit 2, and the sub-command's usage is printed. */
export class UsageError extends Error {}

/**
 * The input cannot be analysed as asked (a missing path, nothing to analyse, an invalid
 * configuration, an unknown Service or unit): exit 2 with the message, without the usage text.
 */
export class InputError extends Error {}

export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | undefined>;
  flags: Set<string>;
}

/**
 * One option of a sub-command. The same list parses the arguments and writes `--help`, so the
 * two cannot drift apart.
 */
export interface OptionSpec {
  /** The long name, without `--`. */
  name: string;
  /** A one-letter alias, without `-`. */
  short?: string;
  /** The placeholder shown in --help (`FILE`); options without one are boolean flags. */
  value?: string;
  /** Allowed values; anything else is a usage error naming them. */
  choices?: readonly string[];
  help: string;
}

/** The legacy spec shape (name → kind) is still accepted, so older sub-commands keep working. */
export type ArgSpec = readonly OptionSpec[] | Record<string, 'string' | 'boolean'>;

function normalise(spec: ArgSpec): OptionSpec[] {
  if (Array.isArray(spec)) return [...spec];
  return Object.entries(spec as Record<string, 'string' | 'boolean'>).map(([name, kind]) => ({
    name,
    value: kind === 'string' ? 'VALUE' : undefined,
    help: '',
  }));
}

/**
 * `--name value`, `--name=value`, `-n value`, boolean `--flag`; `--` ends the options. Anything
 * starting with `-` that is not an option is a usage error (never a path: `-f json` once linted a
 * file named `-f`). Help and version flags are handled before a sub-command parses (main.ts).
 */
export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const options = normalise(spec);
  const byName = new Map(options.map(o => [o.name, o]));
  const byShort = new Map(options.filter(o => o.short).map(o => [o.short!, o]));
  const out: ParsedArgs = { positionals: [], options: {}, flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      out.positionals.push(a);
      continue;
    }
    let opt: OptionSpec | undefined;
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq === -1 ? undefined : eq);
      opt = byName.get(name);
      if (!opt) throw new UsageError(`unknown option --${name}${suggestion(name, [...byName.keys()])}`);
      if (eq !== -1) inline = a.slice(eq + 1);
    } else {
      opt = byShort.get(a[1]);
      if (!opt) throw new UsageError(`unknown option ${a}`);
      if (a.length > 2) inline = a.slice(2);
    }
    if (opt.value === undefined) {
      if (inline !== undefined) throw new UsageError(`--${opt.name} takes no value`);
      out.flags.add(opt.name);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${opt.name} needs a value (${opt.value})`);
    if (opt.choices && !opt.choices.includes(value))
      throw new UsageError(`--${opt.name} must be ${orList(opt.choices)}, not ${value}`);
    out.options[opt.name] = value;
  }
  return out;
}

function orList(xs: readonly string[]): string {
  return xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`;
}

function suggestion(name: string, known: string[]): string {
  const near = known.find(k => k.startsWith(name) || name.startsWith(k));
  return near ? ` (did you mean --${near}?)` : '';
}
