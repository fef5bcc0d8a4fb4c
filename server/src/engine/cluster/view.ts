import { Resource } from '../model/resource';
import { PodTemplate, LabelExpression, labelSelectorMatches } from '../model/workload';
import { ServiceInfo } from '../model/service';
import { EndpointSet } from '../model/endpoints';
import { NetworkPolicyInfo } from '../model/networkPolicy';
import type { GatewayInfo, ReferenceGrantInfo } from '../model/gateway';
import { dictOf } from '../model/dict';
import { Cluster, HostPortUse, NodePortUse, ResourceFacts, labelKey } from './cluster';

/**
 * The read-only face of the cluster that rules see. Every question records the dependency key
 * its answer rests on, so the workspace knows which findings an edit can change.
 */
export class ClusterView {
  constructor(
    private readonly cluster: Cluster,
    readonly deps: Set<string>,
    readonly nodePortRange: readonly [number, number] = [30000, 32767],
    /**
     * Whether definitions of one object in different files are alternatives (the plain files of
     * a repository: one install per provider, an HA variant) rather than a duplicate. In a
     * rendered or declared unit everything is applied together, so they are duplicates.
     */
    readonly alternativeFiles = true,
  ) {}

  /** Every definition of the object with this identity (see identityKey). */
  definitions(identity: string): Resource[] {
    this.deps.add(`obj:${identity}`);
    return [...this.cluster.definitions(identity)];
  }

  facts(r: Resource): ResourceFacts | undefined {
    return this.cluster.facts.get(r.id);
  }

  /** Pod templates whose labels include every pair of a plain selector (Service semantics). */
  templatesSelectedBy(ns: string, selector: Record<string, string>): PodTemplate[] {
    const pairs = Object.entries(selector);
    if (pairs.length === 0) return [];
    // A template that gains or loses a match must carry the first pair before or after the
    // change, so depending on that one pair is enough.
    const [k0, v0] = pairs[0];
    this.deps.add(`lbl:${labelKey(ns, k0, v0)}`);
    const out: PodTemplate[] = [];
    for (const t of this.cluster.templatesWithLabel(ns, k0, v0)) {
      if (pairs.every(([k, v]) => t.labels[k] === v)) out.push(t);
    }
    return out;
  }

  /** Templates in other namespaces that a plain selector would match (for "wrong namespace" hints). */
  templatesSelectedByInOtherNamespaces(ns: string, selector: Record<string, string>): PodTemplate[] {
    const pairs = Object.entries(selector);
    if (pairs.length === 0) return [];
    const [k0, v0] = pairs[0];
    this.deps.add(`lbl-any:${k0}=${v0}`);
    return [...this.cluster.templatesWithLabelAnyNamespace(k0, v0)].filter(
      t => t.namespace !== ns && pairs.every(([k, v]) => t.labels[k] === v),
    );
  }

  customResourcesInNamespace(ns: string): Resource[] {
    this.deps.add(`cr:${ns}`);
    return [...this.cluster.customResourcesInNamespace(ns)];
  }

  /** LabelSelector semantics (NetworkPolicy): an empty selector selects every pod of the namespace. */
  templatesMatching(
    ns: string,
    sel: { matchLabels: Record<string, string>; matchExpressions: LabelExpression[] },
  ): PodTemplate[] {
    if (sel.matchExpressions.length === 0 && Object.keys(sel.matchLabels).length > 0)
      return this.templatesSelectedBy(ns, sel.matchLabels);
    return this.templatesInNamespace(ns).filter(t => labelSelectorMatches(sel, t.labels));
  }

  templatesInNamespace(ns: string): PodTemplate[] {
    this.deps.add(`pods:${ns}`);
    return [...this.cluster.templatesInNamespace(ns)];
  }

  services(ns: string, name: string): ServiceInfo[] {
    this.deps.add(`svc:${ns}/${name}`);
    return [...this.cluster.services(ns, name)];
  }

  servicesInNamespace(ns: string): ServiceInfo[] {
    this.deps.add(`svcs:${ns}`);
    return [...this.cluster.servicesInNamespace(ns)];
  }

  endpointSets(ns: string, service: string): EndpointSet[] {
    this.deps.add(`ep:${ns}/${service}`);
    return [...this.cluster.endpointSets(ns, service)];
  }

  policiesInNamespace(ns: string): NetworkPolicyInfo[] {
    this.deps.add(`np:${ns}`);
    return [...this.cluster.policiesInNamespace(ns)];
  }

  ingressesInNamespace(ns: string): Resource[] {
    this.deps.add(`ing:${ns}`);
    return [...this.cluster.ingressesInNamespace(ns)];
  }

  nodePortUsers(n: number): NodePortUse[] {
    this.deps.add(`nodeport:${n}`);
    return [...this.cluster.nodePortUsers(n)];
  }

  gateways(ns: string, name: string): GatewayInfo[] {
    this.deps.add(`gw:${ns}/${name}`);
    return [...this.cluster.gateways(ns, name)];
  }

  gatewaysInNamespace(ns: string): GatewayInfo[] {
    this.deps.add(`gws:${ns}`);
    return [...this.cluster.gatewaysInNamespace(ns)];
  }

  referenceGrants(ns: string): ReferenceGrantInfo[] {
    this.deps.add(`grant:${ns}`);
    return [...this.cluster.referenceGrants(ns)];
  }

  /**
   * A namespace's labels: those of its Namespace object when the workspace has one (`known`),
   * always with `kubernetes.io/metadata.name`, which the API server sets on every namespace.
   */
  namespaceLabels(name: string): { labels: Record<string, string>; known: boolean } {
    this.deps.add(`nsobj:${name}`);
    const objs = [...this.cluster.namespaceObjectsNamed(name)];
    const merged = dictOf<string>(undefined, ...objs.flatMap(o => Object.entries(o.labels)));
    merged['kubernetes.io/metadata.name'] = name;
    return { labels: merged, known: objs.length > 0 };
  }

  hostPortUsers(port: number, protocol: string): HostPortUse[] {
    this.deps.add(`hostport:${port}/${protocol}`);
    return [...this.cluster.hostPortUsers(port, protocol)];
  }
}
