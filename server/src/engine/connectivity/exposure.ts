/**
 * What Ingress and OpenShift Route objects expose: for each workload, the TCP ports an ingress
 * controller is sent to. A backend names a Service (in the object's namespace) and one of its
 * ports (by number or name; a Route without `port` means all of them); the Service's
 * `targetPort` (defaulting to `port`) is the pod port, and a named target port resolves on the
 * pod to a TCP port of that name. The controller's traffic is still subject to the policies of
 * the destination (the model intersects the two).
 */
import type { Resource } from '../model/resource';
import { asArray, asObj, asString, get, isObj } from '../model/resource';
import { ingressBackendsOf } from '../model/ingress';
import { serviceOf, ServiceInfo, ServicePort } from '../model/service';
import { Connections } from './ports';
import type { Workload } from './workloads';
import { namedPort } from './workloads';
import type { SourceRef } from './types';
import { addTo } from '../collections';

export interface ExposureSource {
  /** `Ingress ns/name` or `Route ns/name`. */
  object: string;
  service: string;
  source: SourceRef;
}

export interface Exposure {
  connections: Connections;
  via: ExposureSource[];
}

interface Backend {
  namespace: string;
  service: string;
  /** `undefined`: every port of the Service. */
  port: number | string | undefined;
  origin: ExposureSource;
}

const backendCache = new WeakMap<Resource, Backend[]>();
const serviceCache = new WeakMap<Resource, ServiceInfo | null>();

function cachedService(r: Resource): ServiceInfo | undefined {
  let s = serviceCache.get(r);
  if (s === undefined) serviceCache.set(r, (s = serviceOf(r) ?? null));
  return s ?? undefined;
}

function cachedBackends(r: Resource): Backend[] {
  let b = backendCache.get(r);
  if (!b) backendCache.set(r, (b = backendsOf(r)));
  return b;
}

function backendsOf(r: Resource): Backend[] {
  if (r.kind === 'Ingress') {
    return ingressBackendsOf(r)
      .filter(b => b.serviceName)
      .map(b => ({
        namespace: r.namespace,
        service: b.serviceName,
        port: b.port,
        origin: {
          object: `Ingress ${r.namespace}/${r.name}`,
          service: b.serviceName,
          source: { fileId: r.fileId, anchor: { doc: r.doc, path: b.path } },
        },
      }));
  }
  if (r.kind === 'Route' && r.apiVersion.startsWith('route.openshift.io/')) {
    const spec = asObj(r.value.spec) ?? {};
    const target = get(spec, 'port', 'targetPort');
    const port = typeof target === 'number' || typeof target === 'string' ? target : undefined;
    const out: Backend[] = [];
    const add = (to: unknown, path: (string | number)[]) => {
      if (!isObj(to)) return;
      const kind = asString(to.kind);
      const name = asString(to.name);
      if ((kind && kind !== 'Service') || !name) return;
      out.push({
        namespace: r.namespace,
        service: name,
        port,
        origin: {
          object: `Route ${r.namespace}/${r.name}`,
          service: name,
          source: { fileId: r.fileId, anchor: { doc: r.doc, path: [...r.base, 'spec', ...path] } },
        },
      });
    };
    add(spec.to, ['to']);
    asArray(spec.alternateBackends).forEach((b, i) => add(b, ['alternateBackends', i]));
    return out;
  }
  return [];
}

/** The Service ports a backend reaches: the one it names (by name, number or target), or all. */
function servicePortsFor(svc: ServiceInfo, port: number | string | undefined): ServicePort[] {
  if (port === undefined) return svc.ports;
  const hit = svc.ports.find(
    p =>
      (typeof port === 'string' && p.name === port) ||
      (typeof port === 'number' && p.port === port) ||
      (p.targetPort !== undefined && p.targetPort === port),
  );
  return hit ? [hit] : [];
}

/** Ingress-controller exposure per workload id. */
export function exposureOf(resources: readonly Resource[], workloads: readonly Workload[]): Map<string, Exposure> {
  return new ExposureCache().compute(resources, workloads);
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Exposure computed per namespace (a backend only reaches Services and pods of its own
 * namespace) and reused for namespaces whose objects did not change.
 */
export class ExposureCache {
  private readonly byNs = new Map<string, { res: Resource[]; wls: Workload[]; out: [string, Exposure][] }>();

  compute(resources: readonly Resource[], workloads: readonly Workload[]): Map<string, Exposure> {
    const res = new Map<string, Resource[]>();
    for (const r of resources) addTo(res, r.namespace, r);
    const wls = new Map<string, Workload[]>();
    for (const w of workloads) addTo(wls, w.namespace, w);
    const out = new Map<string, Exposure>();
    for (const ns of [...this.byNs.keys()]) if (!res.has(ns)) this.byNs.delete(ns);
    for (const [ns, rs] of res) {
      const ws = wls.get(ns) ?? [];
      let hit = this.byNs.get(ns);
      if (!hit || !sameList(hit.res, rs) || !sameList(hit.wls, ws)) {
        hit = { res: rs, wls: ws, out: [...namespaceExposure(rs, ws)] };
        this.byNs.set(ns, hit);
      }
      for (const [id, e] of hit.out) out.set(id, e);
    }
    return out;
  }
}

function namespaceExposure(resources: readonly Resource[], workloads: readonly Workload[]): Map<string, Exposure> {
  const services = new Map<string, ServiceInfo[]>();
  const backends: Backend[] = [];
  for (const r of resources) {
    if (r.kind === 'Service') {
      const s = cachedService(r);
      if (!s) continue;
      const list = services.get(r.name);
      if (list) list.push(s);
      else services.set(r.name, [s]);
    } else if (r.kind === 'Ingress' || r.kind === 'Route') backends.push(...cachedBackends(r));
  }
  const out = new Map<string, Exposure>();
  for (const b of backends) {
    for (const svc of services.get(b.service) ?? []) {
      const sel = svc.selector;
      // A Service without a selector (or with an empty one) gets its endpoints from elsewhere.
      if (!sel || !Object.keys(sel).length) continue;
      const ports = servicePortsFor(svc, b.port);
      for (const w of workloads) {
        if (!Object.entries(sel).every(([k, v]) => w.labels[k] === v)) continue;
        let conns = Connections.NONE;
        for (const sp of ports) {
          if (sp.protocol !== 'TCP') continue;
          const target = sp.targetPort === undefined || sp.targetPort === 0 ? sp.port : sp.targetPort;
          let num: number | undefined;
          if (typeof target === 'number') num = target;
          else if (typeof target === 'string') {
            const np = namedPort(w, target);
            if (np && np.protocol === 'TCP') num = np.port;
          }
          if (num !== undefined) conns = conns.union(Connections.of('TCP', num, num));
        }
        if (conns.isEmpty()) continue;
        const prev = out.get(w.id);
        if (prev) {
          prev.connections = prev.connections.union(conns);
          prev.via.push(b.origin);
        } else out.set(w.id, { connections: conns, via: [b.origin] });
      }
    }
  }
  return out;
}
