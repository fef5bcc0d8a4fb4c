/**
 * Required connectivity: the addresses each workload of a unit calls (env values, args and
 * commands, ConfigMap/Secret keys it loads or mounts), resolved to the unit's Services.
 *
 * Public surface:
 * - `getCalls(ws)`: every discovered call, memoised per workspace state and recomputed per
 *   workload (a workload's calls are kept while it, the config it reads and the Service names
 *   it mentions are unchanged).
 * - `callEdges(ws)`: the calls as workload → Service port edges, deduplicated.
 * - `callAnchor(ws, call)` / `portAnchor`: the exact characters naming the address.
 */
import type { Workspace, FileState } from '../workspace';
import type { Resource } from '../model/resource';
import type { ServiceInfo } from '../model/service';
import type { PodTemplate } from '../model/workload';
import { getAddressPlan } from '../plan';
import { Call, DiscoverContext, callsOf } from './discover';

export type { Call } from './discover';
export { callAnchor, portAnchor } from './anchor';

interface Memo {
  files: Map<string, FileState>;
  calls: Call[];
  perTemplate: Map<PodTemplate, Call[]>;
}
const memo = new WeakMap<Workspace, Memo>();

function unchanged(ws: Workspace, m: Memo): boolean {
  let n = 0;
  for (const f of ws.allFiles()) {
    if (m.files.get(f.fileId) !== f) return false;
    n++;
  }
  return n === m.files.size;
}

/** Indexes the unit's Services, ConfigMaps, Secrets and namespaces for one discovery pass. */
export function discoverContext(ws: Workspace): DiscoverContext {
  const config = new Map<string, Resource>();
  const namespaces = new Set<string>();
  const byName = new Map<string, ServiceInfo[]>();
  for (const facts of ws.cluster.allFacts()) {
    const r = facts.resource;
    namespaces.add(r.namespace);
    if (r.kind === 'Namespace') namespaces.add(r.name);
    if (facts.service) {
      const list = byName.get(r.name);
      if (list) list.push(facts.service);
      else byName.set(r.name, [facts.service]);
    }
    if ((r.kind === 'ConfigMap' || r.kind === 'Secret') && !config.has(`${r.kind}/${r.namespace}/${r.name}`))
      config.set(`${r.kind}/${r.namespace}/${r.name}`, r);
  }
  const services = (ns: string, name: string): ServiceInfo[] => [...ws.cluster.services(ns, name)];
  return {
    clusterDomain: getAddressPlan(ws).clusterDomain.value,
    services,
    servicesNamed: name => byName.get(name) ?? [],
    serviceExists: (ns, name) => ws.cluster.services(ns, name).size > 0,
    namespaceKnown: ns => namespaces.has(ns),
    selects: (svc, t) => selectsTemplate(svc, t),
    lookup: (kind, ns, name) => config.get(`${kind}/${ns}/${name}`),
  };
}

/** Service selector semantics: a non-empty selector whose pairs all hold, in the Service's namespace. */
export function selectsTemplate(svc: ServiceInfo, t: PodTemplate): boolean {
  if (!svc.selector || svc.resource.namespace !== t.namespace) return false;
  const pairs = Object.entries(svc.selector);
  return pairs.length > 0 && pairs.every(([k, v]) => t.labels[k] === v);
}

/** Every call the unit's workloads make, in file order. */
export function getCalls(ws: Workspace): Call[] {
  const m = memo.get(ws);
  if (m && unchanged(ws, m)) return m.calls;
  const ctx = discoverContext(ws);
  const perTemplate = new Map<PodTemplate, Call[]>();
  const calls: Call[] = [];
  for (const facts of ws.cluster.allFacts()) {
    const t = facts.template;
    if (!t) continue;
    const found = callsOf(t, ctx);
    if (found.length) perTemplate.set(t, found);
    calls.push(...found);
  }
  const files = new Map<string, FileState>();
  for (const f of ws.allFiles()) files.set(f.fileId, f);
  memo.set(ws, { files, calls, perTemplate });
  return calls;
}

/** A workload → Service edge: who calls which Service on which port (undefined: no port named). */
export interface CallEdge {
  from: Resource;
  namespace: string;
  service: string;
  port?: number;
  protocol: Call['protocol'];
  calls: Call[];
}

/** The calls as edges between workloads and Services, one per (workload, Service, port). */
export function callEdges(ws: Workspace): CallEdge[] {
  const out = new Map<string, CallEdge>();
  for (const c of getCalls(ws)) {
    const r = c.from.owner;
    const key = `${r.kind}/${r.namespace}/${r.name}\u0000${c.namespace}/${c.service}\u0000${c.port ?? ''}/${c.protocol}`;
    const e = out.get(key);
    if (e) e.calls.push(c);
    else
      out.set(key, {
        from: r,
        namespace: c.namespace,
        service: c.service,
        port: c.port,
        protocol: c.protocol,
        calls: [c],
      });
  }
  return [...out.values()];
}
