/**
 * Why a Service port has the endpoints it has: which templates its selector picks and which of
 * them drop out (named targetPort unresolved per pod by name and protocol, replicas: 0). The
 * endpoints the path shows come from the kube-proxy model; this analysis explains an empty or
 * short list in the hop text and links the YAML responsible.
 */
import type { Cluster } from '../cluster/cluster';
import type { ServiceInfo, ServicePort } from '../model/service';
import { effectiveTargetPort, targetPortPath } from '../model/service';
import type { Container, ContainerPort, PodTemplate } from '../model/workload';
import { portsByName, portsByNumber } from '../rules/support/ports';
import { withoutRuntimeLabels } from '../rules/support/runtimeLabels';
import type { Where } from './adapters';
import type { Placement } from './placement';

export interface PathEndpoint {
  ip: string;
  port: number;
  node: string | undefined;
  nodeIndex: number | undefined;
  ready: boolean;
  illustrative: boolean;
  podName: string;
  template?: PodTemplate;
  container?: Container;
  containerPort?: ContainerPort;
  /** The pod template (illustrative) or the EndpointSlice (real) this endpoint comes from. */
  where: Where;
}

export interface DroppedTemplate {
  template: PodTemplate;
  reason: 'target-port-unresolved' | 'scaled-to-zero' | 'host-network';
  detail: string;
}

export interface EndpointResolution {
  endpoints: PathEndpoint[];
  from: 'slices' | 'templates' | 'none';
  selected: PodTemplate[];
  dropped: DroppedTemplate[];
  runtimeLabels: string[];
}

export function resolveEndpoints(
  cluster: Cluster,
  svc: ServiceInfo,
  sp: ServicePort,
  placement: Placement,
): EndpointResolution {
  const ns = svc.resource.namespace;
  const out: EndpointResolution = { endpoints: [], from: 'none', selected: [], dropped: [], runtimeLabels: [] };

  const slices = [...cluster.endpointSets(ns, svc.resource.name)].filter(s => s.addresses.length > 0);
  if (slices.length) {
    out.from = 'slices';
    for (const s of slices) {
      const port =
        s.ports.find(p => (p.name ?? '') === (sp.name ?? '') && p.protocol === sp.protocol) ??
        (s.ports.length === 1 && !sp.name ? s.ports[0] : undefined);
      if (!port?.port) continue;
      s.addresses.forEach((a, i) => {
        if (!a.ready && !(a.serving && a.terminating)) return;
        out.endpoints.push({
          ip: a.ip,
          port: port.port!,
          node: a.nodeName,
          nodeIndex: undefined,
          ready: a.ready,
          illustrative: false,
          podName: a.hostname ?? a.ip,
          where: {
            fileId: s.resource.fileId,
            anchor: {
              doc: s.resource.doc,
              path: [...s.resource.base, s.resource.kind === 'EndpointSlice' ? 'endpoints' : 'subsets', i],
            },
          },
        });
      });
    }
    // kube-proxy orders endpoints by the string "ip:port" (so 10.1.0.10 sorts before 10.1.0.9).
    out.endpoints.sort((a, b) => (`${a.ip}:${a.port}` < `${b.ip}:${b.port}` ? -1 : 1));
    attachTemplates(cluster, svc, sp, out);
    return out;
  }
  if (!svc.selector) return out;

  const { checkable, runtime } = withoutRuntimeLabels(svc.selector);
  out.runtimeLabels = runtime;
  const pairs = Object.entries(checkable);
  if (pairs.length === 0) return out;
  out.selected = selectTemplates(cluster, ns, checkable);
  out.from = 'templates';
  const target = effectiveTargetPort(sp);
  for (const t of out.selected) {
    const match = resolveTarget(t, target, sp);
    if (!match) {
      out.dropped.push({
        template: t,
        reason: 'target-port-unresolved',
        detail: `no container of ${t.owner.kind} ${t.owner.name} has a port named "${String(target)}" with protocol ${sp.protocol}`,
      });
      continue;
    }
    if (t.replicas === 0) {
      out.dropped.push({
        template: t,
        reason: 'scaled-to-zero',
        detail: t.scaledDownBy
          ? `${t.owner.kind} ${t.owner.name} is scaled to zero by ${t.scaledDownBy.kind} ${t.scaledDownBy.name} (workloadRef), which runs these pods itself`
          : `${t.owner.kind} ${t.owner.name} has replicas: 0`,
      });
      continue;
    }
    for (let i = 0; i < t.replicas; i++) {
      const p = placement.pod(t, i);
      out.endpoints.push({
        ip: p.ip,
        port: match.port,
        node: p.node,
        nodeIndex: p.nodeIndex,
        ready: true,
        illustrative: true,
        podName: p.name,
        template: t,
        container: match.container,
        containerPort: match.containerPort,
        where: {
          fileId: t.owner.fileId,
          anchor: { doc: t.owner.doc, path: match.containerPort ? match.containerPort.path : t.specPath },
        },
      });
    }
  }
  out.endpoints.sort((a, b) => (`${a.ip}:${a.port}` < `${b.ip}:${b.port}` ? -1 : 1));
  return out;
}

/** Pod templates a plain selector picks, one per workload even when a workload is written twice. */
export function selectTemplates(cluster: Cluster, ns: string, selector: Record<string, string>): PodTemplate[] {
  const pairs = Object.entries(selector);
  if (!pairs.length) return [];
  const [k0, v0] = pairs[0];
  const seen = new Set<string>();
  const out: PodTemplate[] = [];
  const all = [...cluster.templatesWithLabel(ns, k0, v0)].sort((a, b) =>
    a.owner.fileId < b.owner.fileId ? -1 : a.owner.fileId > b.owner.fileId ? 1 : 0,
  );
  for (const t of all) {
    if (!pairs.every(([k, v]) => t.labels[k] === v)) continue;
    const key = `${t.owner.kind}/${t.owner.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(t);
  }
  return out;
}

export interface TargetMatch {
  port: number;
  container?: Container;
  containerPort?: ContainerPort;
}

/** FindPort: a number is used as is; a name must match a container port's name and protocol. */
export function resolveTarget(
  t: PodTemplate,
  target: number | string | undefined,
  sp: ServicePort,
): TargetMatch | undefined {
  if (target === undefined) return undefined;
  if (typeof target === 'number') {
    const declared = portsByNumber(t, target).find(m => m.port.protocol === sp.protocol);
    return { port: target, container: declared?.container, containerPort: declared?.port };
  }
  const named = portsByName(t, target).find(m => m.port.protocol === sp.protocol && m.port.containerPort !== undefined);
  return named ? { port: named.port.containerPort!, container: named.container, containerPort: named.port } : undefined;
}

/** Real endpoints still benefit from knowing which template (and container) they come from. */
function attachTemplates(cluster: Cluster, svc: ServiceInfo, sp: ServicePort, out: EndpointResolution): void {
  if (!svc.selector) return;
  const { checkable } = withoutRuntimeLabels(svc.selector);
  out.selected = selectTemplates(cluster, svc.resource.namespace, checkable);
  const t = out.selected[0];
  if (!t) return;
  const match = resolveTarget(t, effectiveTargetPort(sp), sp);
  for (const e of out.endpoints) {
    e.template = t;
    if (match && match.port === e.port) {
      e.container = match.container;
      e.containerPort = match.containerPort;
    }
  }
}

export { targetPortPath };
