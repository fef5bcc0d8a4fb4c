import type { Workspace } from '../workspace';
import type { ServiceInfo } from '../model/service';
import { buildService } from './build';
import { scaffolding } from './iptables';
import type { NodeProxy, ProxyRule, ServiceProxy } from './model';
import type { ProxySettings } from './settings';

/** kube-proxy drops per-endpoint comments above this many endpoints (largeClusterEndpointsThreshold). */
export const LARGE_CLUSTER_ENDPOINTS = 1000;

/** Every Service of the workspace, in a stable order (kube-proxy iterates a Go map; order across Services is not meaningful). */
export function workspaceServices(ws: Workspace): ServiceInfo[] {
  const out: ServiceInfo[] = [];
  for (const f of ws.cluster.allFacts()) if (f.service) out.push(f.service);
  out.sort(
    (a, b) =>
      cmp(a.resource.namespace, b.resource.namespace) ||
      cmp(a.resource.name, b.resource.name) ||
      cmp(a.resource.id, b.resource.id),
  );
  // A Service defined twice (alternative files, or a duplicate that object-duplicate reports)
  // is one Service to kube-proxy: its rules are programmed once.
  return out.filter(
    (s, i) =>
      i === 0 || s.resource.namespace !== out[i - 1].resource.namespace || s.resource.name !== out[i - 1].resource.name,
  );
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * What kube-proxy on `settings.nodeName` programs for the given Services (default: all):
 * per-Service models plus complete filter and nat tables in kube-proxy's write order.
 */
export function buildNode(
  ws: Workspace,
  settings: ProxySettings,
  services: ServiceInfo[] = workspaceServices(ws),
): NodeProxy {
  let built: ServiceProxy[] = services.map(s => buildService(ws, s, settings));
  // The threshold counts every endpoint kube-proxy knows about, so it uses the whole workspace.
  const total = countEndpoints(
    services.length === workspaceServices(ws).length
      ? built
      : workspaceServices(ws).map(s => buildService(ws, s, settings)),
  );
  const largeCluster = total > LARGE_CLUSTER_ENDPOINTS;
  if (largeCluster) built = services.map(s => buildService(ws, s, settings, true));
  const ipv6 =
    built.some(b => b.ports.some(p => p.clusterIP.value.includes(':'))) &&
    !built.some(b => b.ports.some(p => !p.clusterIP.value.includes(':')));
  const sc = scaffolding(settings, ipv6);
  const filterRules: ProxyRule[] = [];
  const natRules: ProxyRule[] = [...sc.natHead];
  const natChains = [...sc.natChains];
  for (const b of built) {
    for (const p of b.ports) {
      for (const r of p.rules) (r.table === 'nat' ? natRules : filterRules).push(r);
      natChains.push(...p.natChains);
    }
  }
  natRules.push(...sc.natTail);
  filterRules.push(...sc.filterTail);
  return {
    settings,
    services: built,
    tables: {
      filter: { chains: sc.filter.chains, rules: filterRules },
      nat: { chains: dedupe(natChains), rules: natRules },
    },
    largeCluster,
    ipv6,
  };
}

function countEndpoints(built: ServiceProxy[]): number {
  let n = 0;
  for (const b of built) for (const p of b.ports) n += p.endpoints.length;
  return n;
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)];
}
