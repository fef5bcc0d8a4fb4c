import * as path from 'node:path';
import picomatch from 'picomatch';
import { KUSTOMIZATION_NAMES, KustomizationRefs, isKustomizationFile, readKustomization } from './kustomization';
import type { UnitsConfig } from './config';

export type UnitKind = 'kustomize' | 'helm' | 'group' | 'plain';

/**
 * One analysis unit as discovery describes it: the objects applied to one cluster together.
 * All paths are absolute file-system paths.
 */
export interface UnitSpec {
  name: string;
  kind: UnitKind;
  /** The unit's directory (kustomize root, chart, group match); the workspace root for plain. */
  dir: string;
  /** The kustomization file or Chart.yaml that reports for the unit (render errors, notes). */
  entry?: string;
  /** Files (of the workspace's file set) that belong to the unit. */
  members: string[];
  /** Members analysed as plain manifests while the unit is not rendered. */
  objectFiles: string[];
  /** Every file a render reads (members and generator sources, values files, templates). */
  inputs: string[];
  /** Kustomize: the kustomizations of the build, by directory. */
  kustomizations?: Map<string, KustomizationRefs>;
  /** Kustomize: references that would need the network. */
  remote?: string[];
  /** Helm: the values set's name and files (absolute). */
  valueSet?: { name: string; files: string[] };
}

export interface DiscoveryInput {
  /** The workspace roots (directories). */
  roots: readonly string[];
  /** Every analysable file of the workspace (absolute paths). */
  files: readonly string[];
  read(p: string): string | undefined;
  /** Whether a path is a directory on disk (for kustomize entries naming directories without a known kustomization). */
  isDirectory(p: string): boolean;
  config: UnitsConfig;
}

export const PLAIN_UNIT = 'plain';

/** Splits a workspace into units (DESIGN §3): Kustomize roots, Helm charts per values set, configured groups, the rest. */
export function discoverUnits(input: DiscoveryInput): UnitSpec[] {
  const files = [...input.files].sort();
  const fileSet = new Set(files);
  const claimed = new Set<string>();
  const units: UnitSpec[] = [];
  const nameOf = unitNamer(input.roots);

  // Kustomize: every kustomization, then the roots (used by no other kustomization).
  const kdirs = new Map<string, string>();
  for (const f of files) if (isKustomizationFile(f) && !kdirs.has(path.dirname(f))) kdirs.set(path.dirname(f), f);
  const isDir = (p: string) => kdirs.has(p) || (!fileSet.has(p) && input.isDirectory(p));
  const refs = new Map<string, KustomizationRefs>();
  for (const [dir, f] of kdirs) refs.set(dir, readKustomization(f, input.read(f) ?? '', isDir));
  const used = new Set<string>();
  for (const r of refs.values()) for (const d of r.dirs) used.add(d);
  for (const [dir, entry] of kdirs) {
    if (used.has(dir)) continue;
    const closure = new Map<string, KustomizationRefs>();
    const queue = [dir];
    while (queue.length) {
      const d = queue.shift()!;
      if (closure.has(d)) continue;
      const r = refs.get(d) ?? emptyRefs();
      closure.set(d, r);
      queue.push(...r.dirs);
    }
    const members = new Set<string>();
    const objects = new Set<string>();
    const inputs = new Set<string>();
    const remote: string[] = [];
    for (const [d, r] of closure) {
      const k = kdirs.get(d);
      if (k) {
        members.add(k);
        inputs.add(k);
      }
      for (const p of r.resources) {
        members.add(p);
        objects.add(p);
        inputs.add(p);
      }
      for (const p of r.patches) {
        members.add(p);
        inputs.add(p);
      }
      for (const p of r.inputs) inputs.add(p);
      remote.push(...r.remote);
    }
    const known = (s: Set<string>) => [...s].filter(p => fileSet.has(p)).sort();
    for (const p of known(members)) claimed.add(p);
    units.push({
      name: nameOf(dir),
      kind: 'kustomize',
      dir,
      entry,
      members: known(members),
      objectFiles: known(objects),
      inputs: [...inputs].sort(),
      kustomizations: closure,
      remote,
    });
  }

  // Helm: every Chart.yaml that is not a vendored subchart, one unit per values set.
  const chartDirs = files.filter(f => path.basename(f) === 'Chart.yaml').map(f => path.dirname(f));
  const chartSet = new Set(chartDirs);
  for (const dir of chartDirs) {
    if (isVendored(dir, chartSet)) continue;
    // What helm reads: Chart.yaml, values, templates, vendored charts, CRDs; other files under
    // the chart directory (examples, CI configs) are not part of the release and stay plain.
    const members = files.filter(
      f => f.startsWith(dir + path.sep) && !claimed.has(f) && isChartFile(path.relative(dir, f)),
    );
    const rel = relName(input.roots, dir);
    const configured = input.config.helm.valueSets[rel];
    const sets = configured && Object.keys(configured).length ? configured : { default: ['values.yaml'] };
    const names = Object.keys(sets);
    for (const set of names) {
      const valuesFiles = sets[set].map(v => path.resolve(dir, v));
      units.push({
        name: names.length === 1 ? nameOf(dir) : `${nameOf(dir)}@${set}`,
        kind: 'helm',
        dir,
        entry: path.join(dir, 'Chart.yaml'),
        members,
        objectFiles: members.filter(f => !isHelmMeta(dir, f, valuesFiles)),
        inputs: members,
        valueSet: { name: set, files: valuesFiles.filter(v => fileSet.has(v)) },
      });
    }
    for (const m of members) claimed.add(m);
  }

  // Configured groups: each match of a `units:` glob, for the files no renderer claimed.
  if (input.config.groups.length) {
    const matchers = input.config.groups.map(g => picomatch(g.replace(/\\/g, '/').replace(/\/+$/, ''), { dot: true }));
    const groups = new Map<string, string[]>();
    for (const f of files) {
      if (claimed.has(f)) continue;
      const root = rootOf(input.roots, f);
      if (!root) continue;
      const segs = path.relative(root, f).split(path.sep);
      // The deepest matching ancestor (or the file itself) is the file's group.
      for (let i = segs.length; i >= 1; i--) {
        const rel = segs.slice(0, i).join('/');
        if (!matchers.some(m => m(rel))) continue;
        const dir = path.join(root, ...segs.slice(0, i));
        groups.set(dir, [...(groups.get(dir) ?? []), f]);
        claimed.add(f);
        break;
      }
    }
    for (const [dir, members] of [...groups].sort(([a], [b]) => a.localeCompare(b)))
      units.push({ name: nameOf(dir), kind: 'group', dir, members, objectFiles: members, inputs: members });
  }

  const rest = files.filter(f => !claimed.has(f));
  const taken = new Set(units.map(u => u.name));
  units.push({
    name: taken.has(PLAIN_UNIT) ? `(${PLAIN_UNIT})` : PLAIN_UNIT,
    kind: 'plain',
    dir: input.roots[0] ?? '',
    members: rest,
    objectFiles: rest,
    inputs: rest,
  });
  return dedupeNames(units);
}

function emptyRefs(): KustomizationRefs {
  return { dirs: [], components: [], resources: [], patches: [], inputs: [], remote: [], value: {} };
}

/** A chart inside another chart's `charts/` directory is rendered as part of its parent. */
function isVendored(dir: string, charts: Set<string>): boolean {
  for (let d = path.dirname(dir); d !== path.dirname(d); d = path.dirname(d)) {
    if (path.basename(d) === 'charts' && charts.has(path.dirname(d))) return true;
  }
  return false;
}

function isChartFile(rel: string): boolean {
  const first = rel.split(path.sep)[0];
  return (
    first === 'templates' ||
    first === 'charts' ||
    first === 'crds' ||
    rel === 'Chart.yaml' ||
    rel === 'Chart.lock' ||
    /^values[^/\\]*\.ya?ml$/.test(rel) ||
    rel === 'values.schema.json'
  );
}

/** Chart.yaml and values files describe the chart; they hold no objects. */
function isHelmMeta(dir: string, f: string, values: string[]): boolean {
  const rel = path.relative(dir, f);
  return rel === 'Chart.yaml' || rel === 'Chart.lock' || values.includes(f) || /^values[^/\\]*\.ya?ml$/.test(rel);
}

function rootOf(roots: readonly string[], p: string): string | undefined {
  let best: string | undefined;
  for (const r of roots)
    if ((p === r || p.startsWith(r.endsWith(path.sep) ? r : r + path.sep)) && (!best || r.length > best.length))
      best = r;
  return best;
}

function relName(roots: readonly string[], dir: string): string {
  const root = rootOf(roots, dir);
  if (!root) return dir;
  return path.relative(root, dir).split(path.sep).join('/') || '.';
}

/** Unit names are paths relative to their root; with several roots, the root's name comes first. */
function unitNamer(roots: readonly string[]): (dir: string) => string {
  return dir => {
    const rel = relName(roots, dir);
    const root = rootOf(roots, dir);
    if (roots.length > 1 && root) return rel === '.' ? path.basename(root) : `${path.basename(root)}/${rel}`;
    return rel;
  };
}

function dedupeNames(units: UnitSpec[]): UnitSpec[] {
  const seen = new Map<string, number>();
  for (const u of units) {
    const n = seen.get(u.name) ?? 0;
    seen.set(u.name, n + 1);
    if (n) u.name = `${u.name}~${n + 1}`;
  }
  return units;
}

/** Whether a file can change the split into units (kustomizations, charts) rather than only a unit's content. */
export function shapesUnits(p: string): boolean {
  const base = path.basename(p);
  return KUSTOMIZATION_NAMES.includes(base) || base === 'Chart.yaml';
}
