import type { ClusterView } from '../../cluster/view';
import type { Resource } from '../../model/resource';

const BUILTIN_GROUPS = /^(v1|apps\/|batch\/|extensions\/|networking\.k8s\.io\/|policy\/|rbac\.authorization\.k8s\.io\/|storage\.k8s\.io\/|apiextensions\.k8s\.io\/|admissionregistration\.k8s\.io\/|autoscaling\/|coordination\.k8s\.io\/|discovery\.k8s\.io\/|scheduling\.k8s\.io\/|node\.k8s\.io\/|certificates\.k8s\.io\/|apiregistration\.k8s\.io\/|events\.k8s\.io\/|flowcontrol\.apiserver\.k8s\.io\/)/;

/**
 * Operators (Prometheus, Alertmanager, database operators, …) create pods from custom
 * resources, and their Services select those pods with labels carrying the custom resource's
 * name. A custom resource in the namespace named like a selector value is the likely owner.
 */
export function operatorOwnerHint(cluster: ClusterView, ns: string, selector: Record<string, string>): Resource | undefined {
  const values = new Set(Object.values(selector));
  const words = Object.entries(selector).flatMap(([k, v]) => [k.toLowerCase(), v.toLowerCase()]).join(' ');
  let best: Resource | undefined, bestScore = 0;
  for (const r of cluster.customResourcesInNamespace(ns)) {
    if (BUILTIN_GROUPS.test(r.apiVersion)) continue;
    const named = values.has(r.name) || values.has(`${r.kind.toLowerCase()}-${r.name}`);
    if (!named) continue;
    // Prefer the custom resource whose kind the selector mentions (alertmanager: main → Alertmanager main).
    const score = 1 + (words.includes(r.kind.toLowerCase()) ? 2 : 0);
    if (score > bestScore) { best = r; bestScore = score; }
  }
  return best;
}

/** Operators name the Services they create after their custom resource (ECK: `<name>-kb-http`, …). */
export function operatorServiceOwner(cluster: ClusterView, ns: string, serviceName: string): Resource | undefined {
  return cluster.customResourcesInNamespace(ns).find(r => !BUILTIN_GROUPS.test(r.apiVersion) && r.name !== '' && serviceName.startsWith(`${r.name}-`));
}

export function isCustomResource(r: Resource): boolean {
  return r.apiVersion !== '' && !BUILTIN_GROUPS.test(r.apiVersion) && r.kind !== 'CustomResourceDefinition';
}
