import { SeveritySetting, normalizeSeverity } from '../findings';
import { isObj } from '../model/resource';
import { loadYamlValue } from '../parse/yamlFile';
import { dict, dictOf } from '../model/dict';
import { globProblem } from './globs';

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

export interface ConfigProblem {
  message: string;
}

/** Applies one layer of user settings (a parsed object) over a config; unknown keys are kept in `extra`. */
export function mergeConfig(base: EngineConfig, layer: unknown, problems: ConfigProblem[] = []): EngineConfig {
  if (layer === undefined || layer === null) return base;
  if (!isObj(layer)) {
    problems.push({ message: 'configuration must be a mapping' });
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
        else problems.push({ message: 'defaultNamespace must be a non-empty string' });
        break;
      case 'rules':
        if (!isObj(v)) {
          problems.push({ message: 'rules must map rule ids to off|info|warning|error' });
          break;
        }
        for (const [id, sev] of Object.entries(v)) {
          const s = normalizeSeverity(sev);
          if (s) out.rules[id] = s;
          else
            problems.push({ message: `rules.${id}: "${String(sev)}" is not one of off, info, warning, error, hint` });
        }
        break;
      case 'maxFileSize':
        if (typeof v === 'number' && v > 0) out.maxFileSize = v;
        else problems.push({ message: 'maxFileSize must be a positive number of bytes' });
        break;
      case 'nodePortRange': {
        const m = typeof v === 'string' ? /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(v) : null;
        if (m && Number(m[1]) <= Number(m[2])) out.nodePortRange = [Number(m[1]), Number(m[2])];
        else problems.push({ message: 'nodePortRange must look like "30000-32767"' });
        break;
      }
      case 'exclude':
        if (!Array.isArray(v)) {
          problems.push({ message: 'exclude must be a list of path patterns' });
          break;
        }
        v.forEach((x, i) => {
          const why = globProblem(x);
          if (why) problems.push({ message: `exclude[${i}]: ${JSON.stringify(x)} ${why}` });
          else out.exclude.push(x as string);
        });
        break;
      case 'skipDirectories':
        if (Array.isArray(v) && v.every(x => typeof x === 'string' && x && !/[\\/]/.test(x)))
          out.skipDirectories = [...v];
        else problems.push({ message: 'skipDirectories must be a list of directory names' });
        break;
      default:
        out.extra[k] = v;
    }
  }
  return out;
}

export function parseConfigText(
  text: string,
  base: EngineConfig = defaultConfig(),
): { config: EngineConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  // Parsed with the manifests' bounds: an alias bomb here is refused, not expanded.
  const { value: parsed, error } = loadYamlValue(text, { strictKeys: true });
  if (error) {
    problems.push({ message: `cannot parse configuration: ${error}` });
    return { config: base, problems };
  }
  return { config: mergeConfig(base, parsed, problems), problems };
}
