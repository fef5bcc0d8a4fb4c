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
  const services = new Map<string, ServiceInfo[]>();
  const backends: Backend[] = [];
  for (const r of resources) {
    if (r.kind === 'Service') {
      const s = serviceOf(r);
      if (!s) continue;
      const k = `${r.namespace}/${r.name}`;
      const list = services.get(k);
      if (list) list.push(s);
      else services.set(k, [s]);
    } else if (r.kind === 'Ingress' || r.kind === 'Route') backends.push(...backendsOf(r));
  }
  const out = new Map<string, Exposure>();
  if (!backends.length) return out;
  const byNs = new Map<string, Workload[]>();
  for (const w of workloads) {
    const l = byNs.get(w.namespace);
    if (l) l.push(w);
    else byNs.set(w.namespace, [w]);
  }
  for (const b of backends) {
    for (const svc of services.get(`${b.namespace}/${b.service}`) ?? []) {
      const sel = svc.selector;
      // A Service without a selector (or with an empty one) gets its endpoints from elsewhere.
      if (!sel || !Object.keys(sel).length) continue;
      const ports = servicePortsFor(svc, b.port);
      for (const w of byNs.get(b.namespace) ?? []) {
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
