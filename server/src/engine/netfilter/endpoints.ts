import { closestDefinitions } from '../rules/support/alternatives';
import { createHash } from 'node:crypto';
import type { Workspace } from '../workspace';
import type { ServiceInfo, ServicePort } from '../model/service';
import { effectiveTargetPort } from '../model/service';
import type { PodTemplate } from '../model/workload';
import type { EndpointAddress, EndpointSet } from '../model/endpoints';
import { asArray, asObj, asString, get } from '../model/resource';
import { canonicalIp, cidrSize, formatIp, parseCidr, parseIp } from './ipaddr';
import { joinHostPort, nftEndpointNames, sepChainName } from './names';
import type { EndpointSource, ProxyEndpoint } from './model';
import type { ProxySettings } from './settings';

/** Endpoints of one Service port plus what the explanation must say about them. */
export interface EndpointResult {
  endpoints: ProxyEndpoint[];
  source: EndpointSource | 'none';
  notes: string[];
}

interface Naming {
  spn: string;
  namespace: string;
  name: string;
  portName: string | undefined;
  protocol: string;
}

/**
 * Endpoints for one Service port. EndpointSlices (or Endpoints, which the mirroring controller
 * turns into slices) in the workspace win; otherwise pods are synthesised from the templates
 * the selector matches: replicas × template, the targetPort resolved per template by name and
 * protocol, with deterministic illustrative IPs from the pod CIDR.
 */
export function endpointsFor(
  ws: Workspace,
  svc: ServiceInfo,
  port: ServicePort,
  naming: Naming,
  settings: ProxySettings,
  family: 4 | 6,
): EndpointResult {
  const real = realEndpoints(ws, svc, port, naming, settings, family);
  if (real) return real;
  if (!svc.selector) {
    return {
      endpoints: [],
      source: 'none',
      notes: [
        'The Service has no selector and no EndpointSlice or Endpoints for it is in the workspace, so it has no endpoints here.',
      ],
    };
  }
  return synthesise(ws, svc, port, naming, settings, family);
}

function realEndpoints(
  ws: Workspace,
  svc: ServiceInfo,
  port: ServicePort,
  naming: Naming,
  settings: ProxySettings,
  family: 4 | 6,
): EndpointResult | undefined {
  const r = svc.resource;
  const sets = [...ws.cluster.endpointSets(r.namespace, r.name)];
  if (sets.length === 0) return undefined;
  // kube-proxy reads EndpointSlices only; core Endpoints reach it through the mirroring controller.
  const slices = sets.filter(s => s.resource.kind === 'EndpointSlice');
  const use = slices.length ? slices : sets;
  const source: EndpointSource = slices.length ? 'EndpointSlice' : 'Endpoints';
  const byKey = new Map<string, ProxyEndpoint>();
  const wantName = port.name ?? '';
  for (const set of use) {
    if (set.resource.kind === 'EndpointSlice' && set.addressType !== (family === 4 ? 'IPv4' : 'IPv6')) continue;
    for (const p of set.ports) {
      // Slices key ports by the *service* port name and protocol; nil name or port 0 is ignored.
      if ((p.name ?? '') !== wantName || p.protocol !== port.protocol || !p.port) continue;
      for (const a of kubeProxyAddresses(set)) {
        const ip = canonicalIp(a.ip);
        const parsed = parseIp(ip);
        if (!parsed || parsed.family !== family) continue;
        const endpoint = joinHostPort(ip, p.port);
        if (byKey.has(endpoint)) continue;
        byKey.set(
          endpoint,
          makeEndpoint(naming, ip, p.port, {
            nodeName: a.nodeName,
            local: a.nodeName !== undefined && a.nodeName === settings.nodeName,
            ready: a.ready,
            serving: a.serving,
            terminating: a.terminating,
            source,
            origin: {
              kind: set.resource.kind,
              namespace: set.resource.namespace,
              name: set.resource.name,
              fileId: set.resource.fileId,
              resourceId: set.resource.id,
            },
          }),
        );
      }
    }
  }
  const endpoints = sortEndpoints([...byKey.values()]);
  const names = [...new Set(use.map(s => `${s.resource.kind} ${s.resource.name}`))].join(', ');
  const notes = [`Endpoints are real: read from ${names} in the workspace, so the KUBE-SEP names are exact.`];
  if (endpoints.length === 0)
    notes.push(
      `${names} list no ${family === 4 ? 'IPv4' : 'IPv6'} address for port ${port.name ? `"${port.name}"` : '(unnamed)'}/${port.protocol}.`,
    );
  return { endpoints, source, notes };
}

function synthesise(
  ws: Workspace,
  svc: ServiceInfo,
  port: ServicePort,
  naming: Naming,
  settings: ProxySettings,
  family: 4 | 6,
): EndpointResult {
  const r = svc.resource;
  const selector = svc.selector ?? {};
  const all = selectedTemplates(ws, r.namespace, selector);
  // A workload written in several alternative files is one workload with one set of pods.
  const templates = closestDefinitions(all, r);
  const notes: string[] = [];
  const twins = [...new Set(all.filter(t => !templates.includes(t)).map(t => `${t.owner.kind} ${t.owner.name}`))];
  if (twins.length)
    notes.push(
      `${twins.join(', ')} ${twins.length > 1 ? 'are' : 'is'} defined in more than one file; the copies describe the same pods, so they are counted once (the definition nearest to the Service is used).`,
    );
  const target = effectiveTargetPort(port);
  const out: ProxyEndpoint[] = [];
  const taken = new Set<string>();
  const pod = parseCidr(settings.clusterCIDR.value);
  const nodes = nodeNames(settings);
  for (const t of templates) {
    const resolved = resolveTargetPort(t, target, port.protocol);
    const owner = t.owner;
    if (resolved === undefined) {
      notes.push(
        `${owner.kind} ${owner.name}: no container port named "${String(target)}" with protocol ${port.protocol}, so its pods are left out of this port's endpoints (the EndpointSlice controller drops them silently).`,
      );
      continue;
    }
    // A DaemonSet runs one pod per node; the model reports 1 replica for it.
    const count = owner.kind === 'DaemonSet' ? nodes.length : t.replicas;
    for (let i = 0; i < count; i++) {
      const nodeIndex = owner.kind === 'DaemonSet' ? i : i % nodes.length;
      const podName = owner.kind === 'Pod' ? owner.name : `${owner.name}-${i}`;
      const ip = t.hostNetwork
        ? illustrativeNodeIp(nodeIndex, family)
        : illustrativePodIp(
            pod,
            family,
            nodeIndex,
            `${owner.namespace}/${owner.kind}/${owner.name}#${i}`,
            taken,
            settings.nodeMask,
          );
      taken.add(ip);
      out.push(
        makeEndpoint(naming, ip, resolved, {
          nodeName: nodes[nodeIndex],
          local: nodes[nodeIndex] === settings.nodeName,
          ready: true,
          serving: true,
          terminating: false,
          source: 'illustrative',
          podName,
          origin: {
            kind: owner.kind,
            namespace: owner.namespace,
            name: owner.name,
            fileId: owner.fileId,
            resourceId: owner.id,
          },
        }),
      );
    }
  }
  const endpoints = sortEndpoints(dedupe(out));
  if (templates.length === 0) {
    notes.unshift(
      `No pod template in the workspace matches the selector ${fmtSelector(selector)} in namespace ${r.namespace}, so the Service has no endpoints here.`,
    );
    return { endpoints, source: 'none', notes };
  }
  const described = templates
    .map(
      t =>
        `${t.owner.kind} ${t.owner.name} (${t.owner.kind === 'DaemonSet' ? `1 per node × ${nodes.length} illustrative nodes` : `${t.replicas} replica${t.replicas === 1 ? '' : 's'}${t.scaledDownBy ? `: ${t.scaledDownBy.kind} ${t.scaledDownBy.name} scales it down (workloadRef) and runs its pods itself` : ''}`})`,
    )
    .join(', ');
  notes.unshift(
    `Endpoints are illustrative: no EndpointSlice for this Service is in the workspace, so pods were synthesised from ${described}, spread over ${nodes.length} illustrative node${nodes.length === 1 ? '' : 's'} (${nodes.join(', ')}), with IPs from the pod CIDR ${settings.clusterCIDR.value}${settings.clusterCIDR.assumed ? ' (assumed)' : ''}. The KUBE-SEP names depend on those IPs and will differ on a real cluster; the KUBE-SVC/SVL/EXT/FW names are exact.`,
  );
  return { endpoints, source: endpoints.length ? 'illustrative' : 'none', notes };
}

/**
 * The addresses kube-proxy takes from a set. For an EndpointSlice that is only `addresses[0]`
 * of each endpoint, with `ready` and `serving` defaulting to true and `terminating` to false
 * (endpointslicecache.go), so the raw slice is read here.
 */
function kubeProxyAddresses(set: EndpointSet): EndpointAddress[] {
  if (set.resource.kind !== 'EndpointSlice') return set.addresses;
  const out: EndpointAddress[] = [];
  for (const ep of asArray(set.resource.value.endpoints)) {
    const ip = asString(asArray(get(ep, 'addresses'))[0]);
    if (!ip) continue;
    const c = asObj(get(ep, 'conditions')) ?? {};
    out.push({
      ip,
      nodeName: asString(get(ep, 'nodeName')),
      ready: c.ready !== false,
      serving: c.serving !== false,
      terminating: c.terminating === true,
    });
  }
  return out;
}

/** Pod templates in `ns` whose labels contain every selector pair (an empty selector selects nothing for a Service). */
export function selectedTemplates(ws: Workspace, ns: string, selector: Record<string, string>): PodTemplate[] {
  const pairs = Object.entries(selector);
  if (pairs.length === 0) return [];
  const [k0, v0] = pairs[0];
  const out: PodTemplate[] = [];
  for (const t of ws.cluster.templatesWithLabel(ns, k0, v0)) {
    if (pairs.every(([k, v]) => t.labels[k] === v)) out.push(t);
  }
  return out.sort(
    (a, b) =>
      a.owner.name.localeCompare(b.owner.name) ||
      a.owner.kind.localeCompare(b.owner.kind) ||
      a.owner.id.localeCompare(b.owner.id),
  );
}

/** FindPort: a number is used as is; a name must match a container port's name and protocol. */
export function resolveTargetPort(
  t: PodTemplate,
  target: number | string | undefined,
  protocol: string,
): number | undefined {
  if (typeof target === 'number') return target > 0 ? target : undefined;
  if (target === undefined) return undefined;
  for (const c of t.containers) {
    if (c.role === 'init') continue;
    for (const p of c.ports)
      if (p.name === target && p.protocol === protocol && p.containerPort) return p.containerPort;
  }
  return undefined;
}

export function nodeNames(settings: ProxySettings): string[] {
  const names = Array.from({ length: settings.nodes }, (_, i) => `node-${i + 1}`);
  if (!names.includes(settings.nodeName)) names[0] = settings.nodeName;
  return names;
}

function makeEndpoint(
  naming: Naming,
  ip: string,
  port: number,
  rest: Omit<ProxyEndpoint, 'ip' | 'port' | 'endpoint' | 'sepChain' | 'nftChain' | 'nftAffinitySet'>,
): ProxyEndpoint {
  const endpoint = joinHostPort(ip, port);
  const nft = nftEndpointNames(naming.namespace, naming.name, naming.protocol, naming.portName, endpoint);
  return {
    ip,
    port,
    endpoint,
    sepChain: sepChainName(naming.spn, naming.protocol, endpoint),
    nftChain: nft.chain,
    nftAffinitySet: nft.affinitySet,
    ...rest,
  };
}

/** kube-proxy's byEndpoint sort: a plain string comparison of `ip:port` (so .10 sorts before .9). */
export function sortEndpoints(eps: ProxyEndpoint[]): ProxyEndpoint[] {
  return eps.sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0));
}

function dedupe(eps: ProxyEndpoint[]): ProxyEndpoint[] {
  const seen = new Set<string>();
  return eps.filter(e => (seen.has(e.endpoint) ? false : (seen.add(e.endpoint), true)));
}

function hashNumber(s: string): bigint {
  return BigInt('0x' + createHash('sha256').update(s).digest('hex').slice(0, 16));
}

/**
 * An illustrative pod IP: node k owns the k-th node block (/24 by default, the plan's node mask; /64 for IPv6) of the pod CIDR, as the node
 * IPAM controller hands them out; the host part comes from a hash of the pod's identity, so it
 * does not move when unrelated files change.
 */
function illustrativePodIp(
  pod: ReturnType<typeof parseCidr>,
  family: 4 | 6,
  nodeIndex: number,
  key: string,
  taken: Set<string>,
  nodeMask: number,
): string {
  const cidr = pod && pod.family === family ? pod : parseCidr(family === 4 ? '10.244.0.0/16' : 'fd00:10:244::/56')!;
  const blockBits = Math.max(2, Math.min(cidr.bits - cidr.prefix, family === 4 ? 32 - nodeMask : 64));
  const blockSize = 1n << BigInt(blockBits);
  const blocks = cidrSize(cidr) / blockSize;
  const base = cidr.first + (BigInt(nodeIndex) % blocks) * blockSize;
  const usable = blockSize > 4n ? blockSize - 3n : 1n;
  const offset = hashNumber(key) % usable;
  for (let tries = 0n; tries < usable; tries++) {
    const ip = formatIp(family, base + (blockSize > 4n ? 2n : 0n) + ((offset + tries) % usable));
    if (!taken.has(ip)) return ip;
  }
  return formatIp(family, base + offset);
}

function illustrativeNodeIp(nodeIndex: number, family: 4 | 6): string {
  return family === 4 ? `192.0.2.${10 + (nodeIndex % 240)}` : `2001:db8::${(10 + nodeIndex).toString(16)}`;
}

export function fmtSelector(sel: Record<string, string>): string {
  return (
    Object.entries(sel)
      .map(([k, v]) => `${k}=${v}`)
      .join(',') || '(empty)'
  );
}
