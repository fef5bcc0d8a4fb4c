export class UsageError extends Error {}

export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | undefined>;
  flags: Set<string>;
}

/** `--name value`, `--name=value` and boolean `--flag`; anything unknown is a usage error. */
export function parseArgs(argv: string[], spec: Record<string, 'string' | 'boolean'>): ParsedArgs {
  const out: ParsedArgs = { positionals: [], options: {}, flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--')) {
      out.positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq === -1 ? undefined : eq);
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown option --${name}`);
    if (kind === 'boolean') {
      out.flags.add(name);
      continue;
    }
    const value = eq === -1 ? argv[++i] : a.slice(eq + 1);
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    out.options[name] = value;
  }
  return out;
}
