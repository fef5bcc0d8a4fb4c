import type { EngineConfig } from '../config/config';
import { isObj } from '../model/resource';
import { dict } from '../model/dict';

/**
 * The configuration of analysis units and renderers, read from the free-form sections of
 * EngineConfig (`units`, `kustomize`, `helm` in .kube-netlint.yaml, `kubeNetlint.*` settings).
 *
 * The renderer binaries are never taken from the workspace file: a repository could otherwise
 * name a script of its own as "kustomize". They come from machine-scoped editor settings or
 * the CLI options, which the front ends pass as `tools`.
 */
export interface UnitsConfig {
  /** Globs (relative to the workspace root); each matching directory or file is one unit. */
  groups: string[];
  kustomize: { enabled: boolean; timeoutMs: number };
  helm: {
    enabled: boolean;
    timeoutMs: number;
    releaseName: string;
    namespace: string | undefined;
    /** Per chart directory (relative to the root): named values sets, each a list of values files. */
    valueSets: Record<string, Record<string, string[]>>;
  };
  /** Output size limit for one render, in bytes. */
  maxOutputBytes: number;
}

export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_MAX_OUTPUT = 32 * 1024 * 1024;
export const DEFAULT_RELEASE_NAME = 'release-name';

export function unitsConfigOf(config: EngineConfig, problems: { message: string }[] = []): UnitsConfig {
  const x = config.extra;
  const out: UnitsConfig = {
    groups: [],
    kustomize: { enabled: true, timeoutMs: DEFAULT_TIMEOUT_MS },
    helm: {
      enabled: true,
      timeoutMs: DEFAULT_TIMEOUT_MS,
      releaseName: DEFAULT_RELEASE_NAME,
      namespace: undefined,
      valueSets: dict(),
    },
    maxOutputBytes: Math.max(DEFAULT_MAX_OUTPUT, config.maxFileSize),
  };
  if (x.units !== undefined) {
    if (Array.isArray(x.units) && x.units.every(u => typeof u === 'string')) out.groups = x.units as string[];
    else problems.push({ message: 'units must be a list of globs, e.g. ["apps/*"]' });
  }
  const k = x.kustomize;
  if (k !== undefined) {
    if (!isObj(k)) problems.push({ message: 'kustomize must be a mapping' });
    else {
      if (k.enabled !== undefined) out.kustomize.enabled = k.enabled !== false;
      if (k.timeout !== undefined) out.kustomize.timeoutMs = seconds(k.timeout, 'kustomize.timeout', problems);
    }
  }
  const h = x.helm;
  if (h !== undefined) {
    if (!isObj(h)) problems.push({ message: 'helm must be a mapping' });
    else {
      if (h.enabled !== undefined) out.helm.enabled = h.enabled !== false;
      if (h.timeout !== undefined) out.helm.timeoutMs = seconds(h.timeout, 'helm.timeout', problems);
      if (typeof h.releaseName === 'string' && h.releaseName) out.helm.releaseName = h.releaseName;
      if (typeof h.namespace === 'string' && h.namespace) out.helm.namespace = h.namespace;
      if (h.valueSets !== undefined) out.helm.valueSets = valueSets(h.valueSets, problems);
    }
  }
  return out;
}

function seconds(v: unknown, key: string, problems: { message: string }[]): number {
  if (typeof v === 'number' && v > 0 && v <= 600) return Math.round(v * 1000);
  problems.push({ message: `${key} must be a number of seconds between 0 and 600` });
  return DEFAULT_TIMEOUT_MS;
}

function valueSets(v: unknown, problems: { message: string }[]): Record<string, Record<string, string[]>> {
  const out = dict<Record<string, string[]>>();
  if (!isObj(v)) {
    problems.push({ message: 'helm.valueSets must map chart directories to { setName: [values files] }' });
    return out;
  }
  for (const [chart, sets] of Object.entries(v)) {
    if (!isObj(sets)) {
      problems.push({ message: `helm.valueSets.${chart} must map set names to lists of values files` });
      continue;
    }
    const named = dict<string[]>();
    for (const [name, files] of Object.entries(sets)) {
      const list = typeof files === 'string' ? [files] : files;
      if (Array.isArray(list) && list.every(f => typeof f === 'string')) named[name] = list as string[];
      else problems.push({ message: `helm.valueSets.${chart}.${name} must be a list of values files` });
    }
    out[chart.replace(/\\/g, '/').replace(/\/+$/, '') || '.'] = named;
  }
  return out;
}
