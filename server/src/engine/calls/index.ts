/**
 * Required connectivity: the addresses each workload of a unit calls (env values, args and
 * commands, ConfigMap/Secret keys it loads or mounts), resolved to the unit's Services.
 *
 * Public surface:
 * - `getCalls(ws)`: every discovered call. Incremental: each workload's calls are kept with the
 *   keys they rest on (the Service names, ConfigMaps/Secrets and namespaces discovery looked up);
 *   after an edit only new workloads and those whose keys changed are read again. The array is
 *   the same object while nothing changed, so callers can memoise on it.
 * - `callEdges(ws)`: the calls as workload → Service port edges, deduplicated.
 * - `callAnchor(ws, call)` / `portAnchor`: the exact characters naming the address.
 */
import type { Workspace, FileState } from '../workspace';
import type { Resource } from '../model/resource';
import type { ServiceInfo } from '../model/service';
import type { PodTemplate } from '../model/workload';
import { serviceOf } from '../model/service';
import { isCustomResource } from '../model/apiGroups';
import { addTo } from '../collections';
import { getAddressPlan } from '../plan';
import { Call, DiscoverContext, callsOf } from './discover';

export type { Call } from './discover';
export { callAnchor, portAnchor } from './anchor';

/** One workload's discovery: its calls and the lookup keys they rest on. */
export interface CallEntry {
  template: PodTemplate;
  calls: Call[];
  deps: Set<string>;
}

/** What changed in the last update, for analyzers that keep their own per-entry results. */
export interface CallsDelta {
  added: CallEntry[];
  removed: CallEntry[];
  /** Kinds of the objects added or removed (to tell connectivity-relevant edits apart). */
  kinds: Set<string>;
  /** Whether the edit can change what the policies allow: a policy or Namespace object, or a pod template's labels or ports. */
  modelChanged: boolean;
  /**
   * Where: the namespaces of the changed workloads, NetworkPolicies and Namespace objects. A
   * verdict on a call can change only if its source's or destination's namespace is among them
   * (policies select pods of their own namespace; peers match the two workloads and their
   * namespaces' labels), unless `modelEverywhere` (an admin policy changed).
   */
  modelNamespaces: Set<string>;
  modelEverywhere: boolean;
}

interface State {
  files: Map<string, FileState>;
  domain: string;
  entries: Map<string, CallEntry>;
  byDep: Map<string, Set<string>>;
  namespaces: Map<string, number>;
  config: Map<string, Resource[]>;
  byName: Map<string, ServiceInfo[]>;
  calls: Call[];
  version: number;
  /** Bumped whenever a Service is added or removed (suggestion caches key on it). */
  serviceGeneration: number;
  delta: CallsDelta;
  /** The last deltas by version, so several consumers (the analyzer, requests) each see every change. */
  log: { version: number; delta: CallsDelta }[];
  /** Model keys of the objects last seen (and the namespace they bear on), by resource id. */
  modelKeys: Map<string, { key: () => string; ns: string | undefined }>;
}
const states = new WeakMap<Workspace, State>();

/** Service selector semantics: a non-empty selector whose pairs all hold, in the Service's namespace. */
export function selectsTemplate(svc: ServiceInfo, t: PodTemplate): boolean {
  if (!svc.selector || svc.resource.namespace !== t.namespace) return false;
  const pairs = Object.entries(svc.selector);
  return pairs.length > 0 && pairs.every(([k, v]) => t.labels[k] === v);
}

function drop<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (!l) return;
  const i = l.indexOf(v);
  if (i >= 0) l.splice(i, 1);
  if (!l.length) m.delete(k);
}

/**
 * Answers to the lookups of one update, by namespace and name, with the dependency key each
 * records. Discovery asks the same few questions for thousands of candidate words ("is there a
 * Service `cart` in `shop`?"); each is answered and its key string built once per update (the
 * workspace does not change during one).
 */
class Lookups {
  private readonly svc = new Map<string, Map<string, { key: string; exists: boolean }>>();
  private readonly ns = new Map<string, { key: string; known: boolean }>();
  private readonly named = new Map<string, string>();
  constructor(
    private readonly ws: Workspace,
    private readonly s: State,
  ) {}
  service(ns: string, name: string): { key: string; exists: boolean } {
    let byName = this.svc.get(ns);
    if (!byName) this.svc.set(ns, (byName = new Map()));
    let e = byName.get(name);
    if (!e) byName.set(name, (e = { key: `svc:${ns}/${name}`, exists: this.ws.cluster.services(ns, name).size > 0 }));
    return e;
  }
  namespace(ns: string): { key: string; known: boolean } {
    let e = this.ns.get(ns);
    if (!e) this.ns.set(ns, (e = { key: `ns:${ns}`, known: this.s.namespaces.has(ns) }));
    return e;
  }
  nameKey(name: string): string {
    let k = this.named.get(name);
    if (k === undefined) this.named.set(name, (k = `name:${name}`));
    return k;
  }
}

/** The discovery context over the state's indexes; every lookup records its key in `deps`. */
function contextOf(ws: Workspace, s: State, deps: Set<string>, lookups: Lookups): DiscoverContext {
  return {
    clusterDomain: s.domain,
    services: (ns, name) => {
      deps.add(lookups.service(ns, name).key);
      return [...ws.cluster.services(ns, name)].sort((a, b) => a.resource.id.localeCompare(b.resource.id));
    },
    servicesNamed: name => {
      deps.add(lookups.nameKey(name));
      return s.byName.get(name) ?? [];
    },
    serviceExists: (ns, name) => {
      const e = lookups.service(ns, name);
      deps.add(e.key);
      return e.exists;
    },
    namespaceKnown: ns => {
      const e = lookups.namespace(ns);
      deps.add(e.key);
      return e.known;
    },
    selects: (svc, t) => selectsTemplate(svc, t),
    lookup: (kind, ns, name) => {
      const k = `${kind}/${ns}/${name}`;
      deps.add(`cfg:${k}`);
      return s.config.get(k)?.[0];
    },
  };
}

function emptyDelta(): CallsDelta {
  return {
    added: [],
    removed: [],
    kinds: new Set(),
    modelChanged: false,
    modelNamespaces: new Set(),
    modelEverywhere: false,
  };
}

/** Kinds whose objects the connectivity model reads beyond pod templates. */
// Ingress and Route only change exposure, which call verdicts (workload to workload) do not read.
const MODEL_KINDS = new Set(['Namespace', 'NetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy']);

/**
 * A key computed on first use: keys are compared only when an object is replaced, so a cold load
 * (nothing replaced) never serialises them. The objects they read do not change after parsing.
 */
function lazy(f: () => string): () => string {
  let v: string | undefined;
  return () => (v ??= f());
}

/**
 * What the policies see of an object: a change here needs a fresh connectivity model. `ns` is
 * the namespace whose verdicts it bears on (undefined: every namespace's).
 */
function modelKey(r: Resource, t: PodTemplate | undefined): { key: () => string; ns: string | undefined } | undefined {
  if (t) {
    return {
      key: lazy(() => {
        const ports = t.containers.flatMap(c =>
          c.ports.map(p => `${p.name ?? ''}:${p.containerPort ?? ''}/${p.protocol}`),
        );
        return JSON.stringify([r.kind, t.namespace, r.name, t.labels, ports, t.hostNetwork, r.annotations]);
      }),
      ns: t.namespace,
    };
  }
  if (MODEL_KINDS.has(r.kind) || r.kind === 'Pod')
    return {
      key: lazy(() => JSON.stringify([r.kind, r.namespace, r.name, r.labels, r.value])),
      ns: r.kind === 'Namespace' ? r.name : r.kind === 'NetworkPolicy' || r.kind === 'Pod' ? r.namespace : undefined,
    };
  return undefined;
}

/** Brings the state up to date with the workspace; returns it. */
function update(ws: Workspace): State {
  const domain = getAddressPlan(ws).clusterDomain.value;
  let s = states.get(ws);
  if (!s || s.domain !== domain) {
    s = {
      files: new Map(),
      domain,
      entries: new Map(),
      byDep: new Map(),
      namespaces: new Map(),
      config: new Map(),
      byName: new Map(),
      calls: [],
      version: 0,
      serviceGeneration: 0,
      delta: emptyDelta(),
      log: [],
      modelKeys: new Map(),
    };
    states.set(ws, s);
  }
  const st = s;
  // Which files changed since the last update (a file is replaced by a new FileState on every edit).
  const removed: Resource[] = [];
  const added: Resource[] = [];
  const seen = new Set<string>();
  for (const f of ws.allFiles()) {
    seen.add(f.fileId);
    const old = st.files.get(f.fileId);
    if (old === f) continue;
    if (old) removed.push(...old.resources);
    added.push(...f.resources);
    st.files.set(f.fileId, f);
  }
  for (const [id, old] of st.files)
    if (!seen.has(id)) {
      removed.push(...old.resources);
      st.files.delete(id);
    }
  const delta = emptyDelta();
  if (!removed.length && !added.length) {
    st.delta = delta;
    return st;
  }
  const dirty = new Set<string>();
  const redo = new Set<string>();
  // Services are compared by content: re-parsing a file with an unchanged Service wakes no one.
  const svcBefore = new Map<string, { key: () => string; ns: string; name: string }>();
  const svcAfter = new Map<string, { key: () => string; ns: string; name: string }>();
  const touch = (r: Resource, adding: boolean) => {
    delta.kinds.add(r.kind);
    const before = st.namespaces.get(r.namespace) ?? 0;
    const after = before + (adding ? 1 : -1);
    if (after > 0) st.namespaces.set(r.namespace, after);
    else st.namespaces.delete(r.namespace);
    if ((before === 0) !== after <= 0) dirty.add(`ns:${r.namespace}`);
    if (r.kind === 'Namespace') {
      // A Namespace object makes its name known even with nothing in it.
      const n = (st.namespaces.get(r.name) ?? 0) + (adding ? 1 : -1);
      if (n > 0) st.namespaces.set(r.name, n);
      else st.namespaces.delete(r.name);
      dirty.add(`ns:${r.name}`);
    }
    if (r.kind === 'Service')
      (adding ? svcAfter : svcBefore).set(r.id, {
        key: lazy(() => JSON.stringify([r.doc, r.base, r.namespace, r.name, r.annotations, r.value.spec])),
        ns: r.namespace,
        name: r.name,
      });
    // Operators create Services from their custom resources (call-service-missing says whose).
    if (isCustomResource(r)) dirty.add(`cr:${r.namespace}`);
    if (r.kind === 'ConfigMap' || r.kind === 'Secret') {
      const k = `${r.kind}/${r.namespace}/${r.name}`;
      if (adding) addTo(st.config, k, r);
      else drop(st.config, k, r);
      dirty.add(`cfg:${k}`);
    }
  };
  const removedTemplates = new Map<string, PodTemplate>();
  for (const r of removed) {
    touch(r, false);
    if (r.kind === 'Service') {
      const list = st.byName.get(r.name);
      const i = list?.findIndex(x => x.resource === r) ?? -1;
      if (list && i >= 0) list.splice(i, 1);
      if (list && !list.length) st.byName.delete(r.name);
    }
    const e = st.entries.get(r.id);
    if (e && e.template.owner === r) {
      removedTemplates.set(r.id, e.template);
      forget(st, r.id, e);
      delta.removed.push(e);
    }
  }
  for (const r of added) {
    touch(r, true);
    if (r.kind === 'Service') {
      const svc = ws.cluster.facts.get(r.id)?.service ?? serviceOf(r);
      if (svc) addTo(st.byName, r.name, svc);
    }
    redo.add(r.id);
  }
  for (const id of new Set([...svcBefore.keys(), ...svcAfter.keys()])) {
    const b = svcBefore.get(id);
    const a = svcAfter.get(id);
    if (b && a && b.key() === a.key()) continue;
    for (const x of [b, a]) if (x) dirty.add(`svc:${x.ns}/${x.name}`).add(`name:${x.name}`);
    st.serviceGeneration++;
  }
  // Compare what the policies see before and after, object by object (ids survive a re-parse).
  const beforeKeys = new Map<string, { key: () => string; ns: string | undefined }>();
  for (const r of removed) {
    const k = st.modelKeys.get(r.id);
    if (k !== undefined) beforeKeys.set(r.id, k);
    st.modelKeys.delete(r.id);
  }
  const changedAt = (k: { ns: string | undefined }) => {
    delta.modelChanged = true;
    if (k.ns === undefined) delta.modelEverywhere = true;
    else delta.modelNamespaces.add(k.ns);
  };
  for (const r of added) {
    const k = modelKey(r, ws.cluster.facts.get(r.id)?.template);
    if (k === undefined) continue;
    st.modelKeys.set(r.id, k);
    const b = beforeKeys.get(r.id);
    if (!b || b.key() !== k.key()) {
      changedAt(k);
      if (b) changedAt(b);
    }
    beforeKeys.delete(r.id);
  }
  for (const b of beforeKeys.values()) changedAt(b);
  for (const k of dirty) for (const id of st.byDep.get(k) ?? []) redo.add(id);
  const lookups = new Lookups(ws, st);
  for (const id of redo) {
    const facts = ws.cluster.facts.get(id);
    const t = facts?.template;
    const old = st.entries.get(id);
    if (old && !removedTemplates.has(id)) {
      forget(st, id, old);
      delta.removed.push(old);
    }
    if (!t) continue;
    const deps = new Set<string>();
    const entry: CallEntry = { template: t, calls: callsOf(t, contextOf(ws, st, deps, lookups)), deps };
    // A call to a missing Service is judged by the custom resources of its namespace (and of the
    // default one, where a custom resource without a namespace lands): an operator may create it.
    for (const c of entry.calls)
      if (!c.services.length) deps.add(`cr:${c.namespace}`).add(`cr:${ws.configuration.defaultNamespace}`);
    st.entries.set(id, entry);
    for (const k of deps) {
      let set = st.byDep.get(k);
      if (!set) st.byDep.set(k, (set = new Set()));
      set.add(id);
    }
    delta.added.push(entry);
  }
  const calls: Call[] = [];
  for (const e of st.entries.values()) for (const c of e.calls) calls.push(c);
  st.calls = calls;
  st.version++;
  st.delta = delta;
  st.log.push({ version: st.version, delta });
  if (st.log.length > 32) st.log.shift();
  return st;
}

function forget(s: State, id: string, e: CallEntry): void {
  for (const k of e.deps) {
    const set = s.byDep.get(k);
    set?.delete(id);
    if (set && !set.size) s.byDep.delete(k);
  }
  s.entries.delete(id);
}

/** Every call the unit's workloads make. */
export function getCalls(ws: Workspace): Call[] {
  return update(ws).calls;
}

/** The per-workload entries and what the last update changed (for the analyzer's incremental findings). */
export function callState(
  ws: Workspace,
  since = -1,
): {
  entries: ReadonlyMap<string, CallEntry>;
  /** The changes after version `since`, oldest first; undefined when they are no longer kept (start over). */
  deltas: CallsDelta[] | undefined;
  version: number;
  serviceGeneration: number;
} {
  const s = update(ws);
  const kept = s.log.length ? s.log[0].version - 1 : s.version;
  const deltas = since < kept ? undefined : s.log.filter(x => x.version > since).map(x => x.delta);
  return { entries: s.entries, deltas, version: s.version, serviceGeneration: s.serviceGeneration };
}

/** Bumped whenever a Service of the unit is added or removed (for caches of suggestions). */
export function serviceGeneration(ws: Workspace): number {
  return states.get(ws)?.serviceGeneration ?? -1;
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
