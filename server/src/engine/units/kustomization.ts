import * as path from 'node:path';
import * as jsyaml from 'js-yaml';
import { asArray, isObj } from '../model/resource';

export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function isKustomizationFile(p: string): boolean {
  return KUSTOMIZATION_NAMES.includes(path.basename(p));
}

/** What one kustomization file refers to, as absolute paths (see readKustomization). */
export interface KustomizationRefs {
  /** Directories used as resources, bases or components: each holds a kustomization. */
  dirs: string[];
  /** Directories listed as components (a subset of `dirs`). */
  components: string[];
  /** Files of objects (resources, crds). */
  resources: string[];
  /** Strategic-merge and JSON 6902 patch files. */
  patches: string[];
  /** Every other file the build reads: generator sources, replacements, configurations, openapi. */
  inputs: string[];
  /** Remote resources (git, http): never fetched, the unit is reported instead. */
  remote: string[];
  /** Why the file could not be read, if it could not. */
  error?: string;
  /** The parsed kustomization, for patch mapping. */
  value: Record<string, unknown>;
}

/** A resource that kustomize would fetch over the network (git repositories, URLs). */
export function isRemote(ref: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) ||
    /^git@|^git::|^(github|gitlab|bitbucket)\.(com|org)\//i.test(ref) ||
    /\?(ref|version|timeout|submodules)=/.test(ref)
  );
}

/**
 * Reads the references of a kustomization. `isDir` tells whether a local resource entry is a
 * directory (a kustomization of its own) rather than a file; the caller answers from the
 * files it knows, so this stays a pure function of the text.
 */
export function readKustomization(file: string, text: string, isDir: (p: string) => boolean): KustomizationRefs {
  const dir = path.dirname(file);
  const out: KustomizationRefs = {
    dirs: [],
    components: [],
    resources: [],
    patches: [],
    inputs: [],
    remote: [],
    value: {},
  };
  let v: unknown;
  try {
    v = jsyaml.load(text, { json: true });
  } catch (e) {
    out.error = (e as Error).message.split('\n')[0];
    return out;
  }
  if (v === undefined || v === null) return out;
  if (!isObj(v)) {
    out.error = 'a kustomization must be a mapping';
    return out;
  }
  out.value = v;
  const local = (ref: unknown): string | undefined => {
    if (typeof ref !== 'string' || !ref.trim()) return undefined;
    if (isRemote(ref)) {
      out.remote.push(ref);
      return undefined;
    }
    return path.resolve(dir, ref);
  };
  for (const key of ['resources', 'bases']) {
    for (const r of asArray(v[key])) {
      const p = local(r);
      if (!p) continue;
      if (key === 'bases' || isDir(p)) out.dirs.push(p);
      else out.resources.push(p);
    }
  }
  for (const r of asArray(v.components)) {
    const p = local(r);
    if (!p) continue;
    out.dirs.push(p);
    out.components.push(p);
  }
  for (const r of asArray(v.crds)) {
    const p = local(r);
    if (p) out.resources.push(p);
  }
  for (const p of asArray(v.patches))
    if (isObj(p) && typeof p.path === 'string') out.patches.push(path.resolve(dir, p.path));
  for (const p of asArray(v.patchesJson6902))
    if (isObj(p) && typeof p.path === 'string') out.patches.push(path.resolve(dir, p.path));
  for (const p of asArray(v.patchesStrategicMerge))
    if (typeof p === 'string' && !p.includes('\n') && !/^\s*[\w.-]+:\s/.test(p)) out.patches.push(path.resolve(dir, p));
  for (const key of ['configMapGenerator', 'secretGenerator']) {
    for (const g of asArray(v[key])) {
      if (!isObj(g)) continue;
      for (const f of asArray(g.files)) {
        if (typeof f !== 'string') continue;
        const eq = f.indexOf('=');
        out.inputs.push(path.resolve(dir, eq >= 0 ? f.slice(eq + 1) : f));
      }
      for (const f of [...asArray(g.envs), g.env]) if (typeof f === 'string') out.inputs.push(path.resolve(dir, f));
    }
  }
  for (const r of asArray(v.replacements))
    if (isObj(r) && typeof r.path === 'string') out.inputs.push(path.resolve(dir, r.path));
  for (const key of ['configurations', 'transformers', 'generators', 'validators']) {
    for (const f of asArray(v[key])) {
      if (typeof f !== 'string' || f.includes('\n')) continue;
      const p = local(f);
      if (!p) continue;
      if (isDir(p)) out.dirs.push(p);
      else out.inputs.push(p);
    }
  }
  if (isObj(v.openapi) && typeof v.openapi.path === 'string') out.inputs.push(path.resolve(dir, v.openapi.path));
  return out;
}
