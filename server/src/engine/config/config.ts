import { SeveritySetting, normalizeSeverity } from '../findings';
import { isObj } from '../model/resource';
import { loadYamlValue } from '../parse/yamlFile';
import { dict, dictOf } from '../model/dict';
import { globProblem } from './globs';
import { parseCidr } from '../plan/cidr';
import { ConfigProblem, configProblemLocator, pathText, schemaProblems } from './schema';

export { isExcluded } from './globs';

/** Settings shared by the CLI (from .kube-netlint.yaml) and the editor (VS Code settings + the same file). */
export interface EngineConfig {
  defaultNamespace: string;
  /** Per-rule severity overrides. */
  rules: Record<string, SeveritySetting>;
  maxFileSize: number;
  nodePortRange: [number, number];
  /** Globs (minimatch) of paths not to analyse, relative to the workspace folder; see globs.ts. */
  exclude: string[];
  /** Directory names the walk never enters unless named explicitly (replaces DEFAULT_SKIP_DIRECTORIES). */
  skipDirectories: string[];
  /** Free-form sections other analyzers read (address plan, kube-proxy mode, …). */
  extra: Record<string, unknown>;
}

export const CONFIG_FILE_NAME = '.kube-netlint.yaml';

/** Build output, dependencies and VCS metadata: generated or vendored, not the user's manifests. */
export const DEFAULT_SKIP_DIRECTORIES: readonly string[] = ['node_modules', '.git', '.hg', '.svn', 'dist', 'out'];

export function defaultConfig(): EngineConfig {
  return {
    defaultNamespace: 'default',
    rules: dict(),
    maxFileSize: 16 * 1024 * 1024,
    nodePortRange: [30000, 32767],
    exclude: [],
    skipDirectories: [...DEFAULT_SKIP_DIRECTORIES],
    extra: dict(),
  };
}

export type { ConfigProblem } from './schema';

/** Applies one layer of user settings (a parsed object) over a config; unknown keys are kept in `extra`. */
export function mergeConfig(base: EngineConfig, layer: unknown, problems: ConfigProblem[] = []): EngineConfig {
  if (layer === undefined || layer === null) return base;
  if (!isObj(layer)) {
    problems.push({ message: 'the configuration must be a mapping of settings', path: [] });
    return base;
  }
  // Rule ids and section names are user keys: prototype-free maps (see model/dict.ts).
  const out: EngineConfig = {
    ...base,
    rules: dictOf(base.rules),
    extra: dictOf(base.extra),
    exclude: [...base.exclude],
    skipDirectories: [...base.skipDirectories],
  };
  for (const [k, v] of Object.entries(layer)) {
    switch (k) {
      case 'defaultNamespace':
        if (typeof v === 'string' && v) out.defaultNamespace = v;
        else problems.push({ message: 'defaultNamespace: must be a non-empty string', path: [k] });
        break;
      case 'rules':
        if (!isObj(v)) {
          problems.push({ message: 'rules: must map rule ids to off, info, warning or error', path: [k] });
          break;
        }
        for (const [id, sev] of Object.entries(v)) {
          const s = normalizeSeverity(sev);
          if (s) out.rules[id] = s;
          else
            problems.push({
              message: `rules.${id}: ${JSON.stringify(sev)} is not one of off, info, warning, error, hint`,
              path: [k, id],
            });
        }
        break;
      case 'maxFileSize':
        if (typeof v === 'number' && v > 0) out.maxFileSize = v;
        else problems.push({ message: 'maxFileSize: must be a positive number of bytes', path: [k] });
        break;
      case 'nodePortRange': {
        const m = typeof v === 'string' ? /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(v) : null;
        const [lo, hi] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
        if (!m) problems.push({ message: 'nodePortRange: must look like 30000-32767', path: [k] });
        else if (lo < 1 || hi > 65535)
          problems.push({ message: `nodePortRange: ${v} is not within the ports 1-65535`, path: [k] });
        else if (lo > hi) problems.push({ message: `nodePortRange: ${v} starts above its end`, path: [k] });
        else out.nodePortRange = [lo, hi];
        break;
      }
      case 'exclude':
        if (!Array.isArray(v)) {
          problems.push({ message: 'exclude: must be a list of path patterns', path: [k] });
          break;
        }
        v.forEach((x, i) => {
          const why = globProblem(x);
          if (why) problems.push({ message: `exclude[${i}]: ${JSON.stringify(x)} ${why}`, path: [k, i] });
          else out.exclude.push(x as string);
        });
        break;
      case 'skipDirectories':
        if (Array.isArray(v) && v.every(x => typeof x === 'string' && x && !/[\\/]/.test(x)))
          out.skipDirectories = [...v];
        else problems.push({ message: 'skipDirectories: must be a list of folder names', path: [k] });
        break;
      default:
        out.extra[k] = v;
    }
  }
  return out;
}

/**
 * Reads a `.kube-netlint.yaml`: every problem (syntax, unknown keys with a near-miss, unknown rule
 * ids, bad severities, ranges and globs) comes back with a path into the file (locate it with
 * locateConfigProblem or use configFileProblems); valid settings still apply.
 */
export function parseConfigText(
  text: string,
  base: EngineConfig = defaultConfig(),
): { config: EngineConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  // Parsed with the manifests' bounds: an alias bomb here is refused, not expanded.
  const { value: parsed, error, errorAt } = loadYamlValue(text, { strictKeys: true });
  if (error) {
    problems.push({ message: `cannot parse configuration: ${error}`, path: [], at: errorAt });
    return { config: base, problems };
  }
  problems.push(...schemaProblems(parsed));
  const merged: ConfigProblem[] = [];
  const config = mergeConfig(base, parsed, merged);
  merged.push(...networkProblems(parsed));
  // The schema already said it for types and shapes (at the same value or more precisely below
  // it); keep the semantic checks (range order, globs, CIDRs) for the values it let through.
  // Indexed by path (every prefix of every path said): one scan per problem made 44,000 unknown
  // rule ids a billion comparisons.
  const key = (path: readonly (string | number)[]) => JSON.stringify(path);
  const said = new Set<string>();
  const saidBelow = new Set<string>();
  for (const p of problems) {
    const path = p.path ?? [];
    if (path.length) said.add(key(path));
    for (let i = 0; i <= path.length; i++) saidBelow.add(key(path.slice(0, i)));
  }
  const covered = (q: ConfigProblem) => {
    const path = q.path ?? [];
    if (saidBelow.has(key(path))) return true;
    for (let i = 1; i <= path.length; i++) if (said.has(key(path.slice(0, i)))) return true;
    return false;
  };
  problems.push(...merged.filter(q => !covered(q)));
  return { config, problems };
}

/** CIDR settings the schema can only shape-check: parsed as the address plan parses them. */
function networkProblems(value: unknown): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  if (!isObj(value)) return out;
  const check = (section: string, key: string, hostBitsMatter: boolean) => {
    const sec = value[section];
    const v = isObj(sec) ? sec[key] : undefined;
    const list = typeof v === 'string' ? v.split(',').map(x => x.trim()) : Array.isArray(v) ? v : [];
    list.forEach((t, i) => {
      if (typeof t !== 'string' || (key === 'dockerBridge' && t === 'none')) return;
      const at = Array.isArray(v) ? [section, key, i] : [section, key];
      const c = parseCidr(t);
      if (!c) out.push({ message: `${pathText(at)}: "${t}" is not a CIDR`, path: at });
      else if (hostBitsMatter && c.hostBitsSet)
        out.push({ message: `${pathText(at)}: "${t}" has host bits set; the network is ${c.network}`, path: at });
    });
  };
  for (const k of ['podCIDR', 'serviceCIDR']) check('plan', k, true);
  check('plan', 'nodeNetworks', false);
  check('plan', 'dockerBridge', false);
  for (const k of ['clusterCIDR', 'serviceCIDR']) check('proxy', k, false);
  return out;
}

/** A problem of a configuration file with 0-based offsets, for diagnostics and file:line output. */
export interface LocatedConfigProblem extends ConfigProblem {
  start: number;
  end: number;
}

export function configFileProblems(text: string): LocatedConfigProblem[] {
  const locate = configProblemLocator(text);
  return parseConfigText(text)
    .problems.map(p => {
      const [start, end] = locate(p);
      return { ...p, start, end };
    })
    .sort((a, b) => a.start - b.start);
}
