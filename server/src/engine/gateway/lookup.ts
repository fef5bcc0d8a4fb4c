import type { Cluster } from '../cluster/cluster';
import type { PodTemplate } from '../model/workload';
import { dictOf } from '../model/dict';
import type { GatewayLookup } from './backends';
import type { NamespaceLabels } from './attach';

/**
 * The Gateway API questions answered straight from the cluster, for hovers and traces (rules
 * ask through their ClusterView, which records dependencies).
 */
export function clusterLookup(cluster: Cluster): GatewayLookup {
  return {
    services: (ns, name) => cluster.services(ns, name),
    referenceGrants: ns => cluster.referenceGrants(ns),
    templatesSelectedBy: (ns, selector) => {
      const pairs = Object.entries(selector);
      if (!pairs.length) return [];
      const [k0, v0] = pairs[0];
      const out: PodTemplate[] = [];
      for (const t of cluster.templatesWithLabel(ns, k0, v0))
        if (pairs.every(([k, v]) => t.labels[k] === v)) out.push(t);
      return out;
    },
  };
}

export function clusterNamespaceLabels(cluster: Cluster): NamespaceLabels {
  return ns => {
    const objs = [...cluster.namespaceObjectsNamed(ns)];
    const labels = dictOf<string>(undefined, ...objs.flatMap(o => Object.entries(o.labels)));
    labels['kubernetes.io/metadata.name'] = ns;
    return { labels, known: objs.length > 0 };
  };
}
