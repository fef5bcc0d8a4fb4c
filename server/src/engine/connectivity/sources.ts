/**
 * The objects one analysis unit holds, as the connectivity model reads them: every resource of
 * the workspace's cluster, plus Kubernetes objects written as JSON. The lint rules only read
 * YAML manifests (a `.json` file is a CNI config to them), but pod and namespace lists exported
 * with `kubectl get -o json` are the usual way to capture a live cluster, so connectivity parses
 * JSON files that hold Kubernetes objects itself. Parses are cached per file version.
 */
import type { Workspace, FileState } from '../workspace';
import type { Resource } from '../model/resource';
import { extractResources } from '../model/extract';

const jsonCache = new WeakMap<FileState, Resource[]>();

/** Kubernetes objects of a JSON file (an object with `kind`, or a `*List` of them). */
export function jsonResources(file: FileState, defaultNamespace: string): Resource[] {
  if (file.kind !== 'json') return [];
  const cached = jsonCache.get(file);
  if (cached) return cached;
  let out: Resource[] = [];
  // A cheap look before parsing: CNI configs and other JSON carry no "kind".
  if (/"kind"\s*:/.test(file.text) && /"apiVersion"\s*:/.test(file.text)) {
    try {
      const doc: unknown = JSON.parse(file.text);
      if (doc && typeof doc === 'object' && !Array.isArray(doc))
        out = extractResources(file.fileId, [doc], defaultNamespace);
    } catch {
      out = [];
    }
  }
  jsonCache.set(file, out);
  return out;
}

/**
 * Every resource the connectivity model considers: the cluster's (whatever put them there: files,
 * rendered charts) and the JSON manifests beside them.
 */
export function connectivityResources(ws: Workspace): Resource[] {
  const out: Resource[] = [];
  for (const f of ws.cluster.allFacts()) out.push(f.resource);
  const ns = ws.configuration.defaultNamespace;
  for (const f of ws.allFiles()) if (f.kind === 'json') out.push(...jsonResources(f, ns));
  return out;
}
