import { Resource, identityKey, get } from '../model/resource';
import { isCustomResource } from '../model/apiGroups';
import { PodTemplate, podTemplateOf, borrowTemplate, Protocol } from '../model/workload';
import { rolloutWorkloadRef } from '../model/controllers';
import { ServiceInfo, ServicePort, serviceOf } from '../model/service';
import { EndpointSet, endpointSetsOf } from '../model/endpoints';
import { NetworkPolicyInfo, networkPolicyOf } from '../model/networkPolicy';
import { IngressBackend, ingressBackendsOf } from '../model/ingress';
import { GatewayInfo, ReferenceGrantInfo, RouteInfo, gatewayOf, referenceGrantOf, routeOf } from '../model/gateway';

/** Everything derived from one resource when it enters the cluster; computed once. */
export interface ResourceFacts {
  resource: Resource;
  template?: PodTemplate;
  service?: ServiceInfo;
  endpoints: EndpointSet[];
  policy?: NetworkPolicyInfo;
  backends: IngressBackend[];
  gateway?: GatewayInfo;
  route?: RouteInfo;
  grant?: ReferenceGrantInfo;
}

export interface HostPortUse {
  template: PodTemplate;
  containerName: string;
  port: number;
  protocol: Protocol;
  hostIP: string | undefined;
  path: readonly (string | number)[];
}
export interface NodePortUse {
  service: ServiceInfo;
  port: ServicePort;
}

class MultiMap<K, V> {
  private readonly m = new Map<K, Set<V>>();
  add(k: K, v: V): void {
    let s = this.m.get(k);
    if (!s) this.m.set(k, (s = new Set()));
    s.add(v);
  }
  delete(k: K, v: V): void {
    const s = this.m.get(k);
    if (s) {
      s.delete(v);
      if (!s.size) this.m.delete(k);
    }
  }
  get(k: K): ReadonlySet<V> {
    return this.m.get(k) ?? EMPTY;
  }
  keys(): IterableIterator<K> {
    return this.m.keys();
  }
}
const EMPTY: ReadonlySet<never> = new Set();

/**
 * The virtual cluster: every resource of the workspace with indexes for the questions rules
 * ask (pods by label, Services by name, endpoints by Service, nodePorts and hostPorts). Adding
 * and removing a resource is O(its size), so an edit only touches what it changes.
 */
export class Cluster {
  readonly facts = new Map<string, ResourceFacts>();
  private readonly templatesByNs = new MultiMap<string, PodTemplate>();
  private readonly templatesByLabel = new MultiMap<string, PodTemplate>();
  private readonly servicesByName = new MultiMap<string, ServiceInfo>();
  private readonly servicesByNs = new MultiMap<string, ServiceInfo>();
  private readonly endpointsByService = new MultiMap<string, EndpointSet>();
  private readonly policiesByNs = new MultiMap<string, NetworkPolicyInfo>();
  private readonly ingressesByNs = new MultiMap<string, Resource>();
  private readonly nodePorts = new MultiMap<number, NodePortUse>();
  private readonly hostPorts = new MultiMap<string, HostPortUse>();
  private readonly templatesByLabelAnyNs = new MultiMap<string, PodTemplate>();
  private readonly customByNs = new MultiMap<string, Resource>();
  private readonly gatewaysByName = new MultiMap<string, GatewayInfo>();
  private readonly gatewaysByNs = new MultiMap<string, GatewayInfo>();
  private readonly grantsByNs = new MultiMap<string, ReferenceGrantInfo>();
  private readonly namespaceObjects = new MultiMap<string, Resource>();
  private readonly byIdentity = new MultiMap<string, Resource>();
  private readonly portUses = new WeakMap<ResourceFacts, PortUses>();
  /** Deployments by `ns/name`, for Argo Rollouts that borrow their template (workloadRef). */
  private readonly deployments = new MultiMap<string, ResourceFacts>();
  /** Rollouts by the `ns/name` of the Deployment their workloadRef names. */
  private readonly borrowers = new MultiMap<string, string>();
  /** Facts recomputed because an object they borrow from changed (see takeRefreshed). */
  private refreshed: { before: ResourceFacts; after: ResourceFacts }[] = [];

  add(r: Resource): ResourceFacts {
    const f = this.factsOf(r);
    this.facts.set(r.id, f);
    this.index(f, true);
    this.relink(r);
    return f;
  }

  remove(id: string): ResourceFacts | undefined {
    const f = this.facts.get(id);
    if (!f) return undefined;
    this.index(f, false);
    this.facts.delete(id);
    this.relink(f.resource);
    return f;
  }

  /**
   * Facts other than the added or removed object's that changed with it, since the last call:
   * a Rollout's borrowed template follows its Deployment, and a Deployment a Rollout scales down
   * follows the Rollout. The workspace re-evaluates them and what depended on them.
   */
  takeRefreshed(): { before: ResourceFacts; after: ResourceFacts }[] {
    const out = this.refreshed;
    this.refreshed = [];
    return out;
  }

  private factsOf(r: Resource): ResourceFacts {
    return {
      resource: r,
      template: podTemplateOf(r) ?? this.borrowedTemplate(r),
      service: serviceOf(r),
      endpoints: endpointSetsOf(r),
      policy: networkPolicyOf(r),
      backends: ingressBackendsOf(r),
      gateway: gatewayOf(r),
      route: routeOf(r),
      grant: referenceGrantOf(r),
    };
  }

  /** An Argo Rollout with workloadRef runs the referenced Deployment's template. */
  private borrowedTemplate(r: Resource): PodTemplate | undefined {
    const ref = rolloutWorkloadRef(r);
    if (!ref || ref.kind !== 'Deployment') return undefined;
    const from = this.deploymentTemplate(`${r.namespace}/${ref.name}`);
    return from ? borrowTemplate(r, from) : undefined;
  }

  private deploymentTemplate(key: string): PodTemplate | undefined {
    // Alternative definitions in several files: the first by id, so the choice is stable.
    const defs = [...this.deployments.get(key)].sort((a, b) => (a.resource.id < b.resource.id ? -1 : 1));
    return defs.find(d => d.template)?.template;
  }

  /**
   * Keeps the two sides of a workloadRef in step after `r` was added or removed: the Rollouts
   * borrowing from a Deployment, and the steady-state replicas of a Deployment a Rollout scales
   * down (`scaleDown: onsuccess|progressively` leaves it at zero pods).
   */
  private relink(r: Resource): void {
    const present = this.facts.has(r.id);
    const ref = rolloutWorkloadRef(r);
    if (ref && ref.kind === 'Deployment') {
      const key = `${r.namespace}/${ref.name}`;
      if (present) this.borrowers.add(key, r.id);
      else this.borrowers.delete(key, r.id);
      if (ref.scaleDown !== 'never') for (const d of [...this.deployments.get(key)]) this.refresh(d.resource.id);
    }
    if (r.kind === 'Deployment') {
      const key = `${r.namespace}/${r.name}`;
      const f = this.facts.get(r.id);
      if (present && f) {
        this.deployments.add(key, f);
        this.applyScaleDown(f);
      } else
        for (const d of [...this.deployments.get(key)]) if (d.resource.id === r.id) this.deployments.delete(key, d);
      for (const id of [...this.borrowers.get(key)]) this.refresh(id);
    }
  }

  private applyScaleDown(f: ResourceFacts): void {
    const t = f.template;
    if (!t) return;
    const key = `${f.resource.namespace}/${f.resource.name}`;
    for (const id of this.borrowers.get(key)) {
      const rollout = this.facts.get(id)?.resource;
      const ref = rollout && rolloutWorkloadRef(rollout);
      if (rollout && ref && ref.scaleDown !== 'never') {
        t.scaledDownBy = rollout;
        t.replicas = 0;
        return;
      }
    }
  }

  /** Recomputes one object's facts in place of the old ones (indexes updated). */
  private refresh(id: string): void {
    const before = this.facts.get(id);
    if (!before) return;
    this.index(before, false);
    const after = this.factsOf(before.resource);
    this.facts.set(id, after);
    this.index(after, true);
    if (before.resource.kind === 'Deployment') {
      const key = `${before.resource.namespace}/${before.resource.name}`;
      this.deployments.delete(key, before);
      this.deployments.add(key, after);
      this.applyScaleDown(after);
    }
    this.refreshed.push({ before, after });
  }

  private index(f: ResourceFacts, adding: boolean): void {
    const op = <K, V>(m: MultiMap<K, V>, k: K, v: V) => (adding ? m.add(k, v) : m.delete(k, v));
    const r = f.resource;
    // Removal must find the very objects that were added, so port uses are made once and kept.
    const uses = adding ? portUsesOf(f) : (this.portUses.get(f) ?? NO_PORT_USES);
    if (adding && uses !== NO_PORT_USES) this.portUses.set(f, uses);
    if (!adding) this.portUses.delete(f);
    if (f.template) {
      const t = f.template;
      op(this.templatesByNs, t.namespace, t);
      for (const [k, v] of Object.entries(t.labels)) {
        op(this.templatesByLabel, labelKey(t.namespace, k, v), t);
        op(this.templatesByLabelAnyNs, `${k}=${v}`, t);
      }
      for (const [k, use] of uses.hostPorts) op(this.hostPorts, k, use);
    }
    if (f.service) {
      const s = f.service;
      op(this.servicesByName, `${r.namespace}/${r.name}`, s);
      op(this.servicesByNs, r.namespace, s);
      for (const [k, use] of uses.nodePorts) op(this.nodePorts, k, use);
    }
    for (const e of f.endpoints) op(this.endpointsByService, `${r.namespace}/${e.serviceName}`, e);
    if (f.policy) op(this.policiesByNs, r.namespace, f.policy);
    if (r.kind === 'Ingress') op(this.ingressesByNs, r.namespace, r);
    if (isCustomResource(r)) op(this.customByNs, r.namespace, r);
    if (f.gateway) {
      op(this.gatewaysByName, `${r.namespace}/${r.name}`, f.gateway);
      op(this.gatewaysByNs, r.namespace, f.gateway);
    }
    if (f.grant) op(this.grantsByNs, r.namespace, f.grant);
    if (r.kind === 'Namespace' && r.apiVersion === 'v1') op(this.namespaceObjects, r.name, r);
    if (hasName(r)) op(this.byIdentity, identityKey(r), r);
  }

  /** Every definition of an object (same group, kind, namespace and name). */
  definitions(identity: string): ReadonlySet<Resource> {
    return this.byIdentity.get(identity);
  }

  templatesInNamespace(ns: string): ReadonlySet<PodTemplate> {
    return this.templatesByNs.get(ns);
  }
  templatesWithLabel(ns: string, k: string, v: string): ReadonlySet<PodTemplate> {
    return this.templatesByLabel.get(labelKey(ns, k, v));
  }
  templatesWithLabelAnyNamespace(k: string, v: string): ReadonlySet<PodTemplate> {
    return this.templatesByLabelAnyNs.get(`${k}=${v}`);
  }
  customResourcesInNamespace(ns: string): ReadonlySet<Resource> {
    return this.customByNs.get(ns);
  }
  services(ns: string, name: string): ReadonlySet<ServiceInfo> {
    return this.servicesByName.get(`${ns}/${name}`);
  }
  servicesInNamespace(ns: string): ReadonlySet<ServiceInfo> {
    return this.servicesByNs.get(ns);
  }
  endpointSets(ns: string, service: string): ReadonlySet<EndpointSet> {
    return this.endpointsByService.get(`${ns}/${service}`);
  }
  policiesInNamespace(ns: string): ReadonlySet<NetworkPolicyInfo> {
    return this.policiesByNs.get(ns);
  }
  ingressesInNamespace(ns: string): ReadonlySet<Resource> {
    return this.ingressesByNs.get(ns);
  }
  nodePortUsers(n: number): ReadonlySet<NodePortUse> {
    return this.nodePorts.get(n);
  }
  hostPortUsers(port: number, protocol: string): ReadonlySet<HostPortUse> {
    return this.hostPorts.get(`${port}/${protocol}`);
  }
  gateways(ns: string, name: string): ReadonlySet<GatewayInfo> {
    return this.gatewaysByName.get(`${ns}/${name}`);
  }
  gatewaysInNamespace(ns: string): ReadonlySet<GatewayInfo> {
    return this.gatewaysByNs.get(ns);
  }
  referenceGrants(ns: string): ReadonlySet<ReferenceGrantInfo> {
    return this.grantsByNs.get(ns);
  }
  namespaceObjectsNamed(name: string): ReadonlySet<Resource> {
    return this.namespaceObjects.get(name);
  }
  allFacts(): IterableIterator<ResourceFacts> {
    return this.facts.values();
  }
}

interface PortUses {
  hostPorts: [string, HostPortUse][];
  nodePorts: [number, NodePortUse][];
}

const NO_PORT_USES: PortUses = { hostPorts: [], nodePorts: [] };

function portUsesOf(f: ResourceFacts): PortUses {
  const out: PortUses = { hostPorts: [], nodePorts: [] };
  const t = f.template;
  if (t) {
    for (const c of t.containers) {
      if (c.role === 'init') continue;
      for (const p of c.ports) {
        const hp = p.hostPort ?? (t.hostNetwork ? p.containerPort : undefined);
        if (hp)
          out.hostPorts.push([
            `${hp}/${p.protocol}`,
            { template: t, containerName: c.name, port: hp, protocol: p.protocol, hostIP: p.hostIP, path: p.path },
          ]);
      }
    }
  }
  if (f.service)
    for (const p of f.service.ports) if (p.nodePort) out.nodePorts.push([p.nodePort, { service: f.service, port: p }]);
  return out.hostPorts.length || out.nodePorts.length ? out : NO_PORT_USES;
}

/** Objects named by generateName get a fresh name each time: they are never the same object. */
function hasName(r: Resource): boolean {
  return typeof get(r.value, 'metadata', 'name') === 'string' && r.name !== '';
}

export function labelKey(ns: string, k: string, v: string): string {
  return `${ns}\u0000${k}=${v}`;
}

/**
 * Dependency keys a resource provides: a rule that asked a question whose answer involves one
 * of these keys must be re-run when a resource providing it changes.
 */
export function providedKeys(f: ResourceFacts): string[] {
  const r = f.resource;
  const keys: string[] = [];
  if (f.template) {
    keys.push(`pods:${r.namespace}`);
    for (const [k, v] of Object.entries(f.template.labels))
      keys.push(`lbl:${labelKey(r.namespace, k, v)}`, `lbl-any:${k}=${v}`);
    for (const c of f.template.containers)
      for (const p of c.ports) {
        const hp = p.hostPort ?? (f.template.hostNetwork ? p.containerPort : undefined);
        if (hp) keys.push(`hostport:${hp}/${p.protocol}`);
      }
  }
  if (f.service) {
    keys.push(`svc:${r.namespace}/${r.name}`, `svcs:${r.namespace}`);
    for (const p of f.service.ports) if (p.nodePort) keys.push(`nodeport:${p.nodePort}`);
  }
  for (const e of f.endpoints) keys.push(`ep:${r.namespace}/${e.serviceName}`);
  if (f.policy) keys.push(`np:${r.namespace}`);
  if (r.kind === 'Ingress') keys.push(`ing:${r.namespace}`);
  if (isCustomResource(r)) keys.push(`cr:${r.namespace}`);
  if (f.gateway) keys.push(`gw:${r.namespace}/${r.name}`, `gws:${r.namespace}`);
  if (f.grant) keys.push(`grant:${r.namespace}`);
  if (r.kind === 'Namespace' && r.apiVersion === 'v1') keys.push(`nsobj:${r.name}`);
  if (hasName(r)) keys.push(`obj:${identityKey(r)}`);
  return keys;
}
