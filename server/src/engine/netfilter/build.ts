import { createHash } from 'node:crypto';
import type { Workspace } from '../workspace';
import type { ServiceInfo, ServicePort } from '../model/service';
import { asArray, asString, get } from '../model/resource';
import { endpointsFor } from './endpoints';
import { cidrSize, formatIp, parseCidr, parseIp } from './ipaddr';
import { iptablesChainNames, nftChainNames, servicePortName } from './names';
import { computeProbability, saveProbability } from './probability';
import type { MaybeIllustrative, ProxyEndpoint, ServicePortProxy, ServiceProxy, WeightedEndpoint } from './model';
import type { ProxySettings } from './settings';
import { iptablesRulesForPort } from './iptables';

/**
 * Builds kube-proxy's view of one Service on one node: addresses, endpoints categorised as
 * `CategorizeEndpoints` does, chain usage, and the iptables rules.
 */
export function buildService(ws: Workspace, svc: ServiceInfo, s: ProxySettings, largeCluster = false): ServiceProxy {
  const r = svc.resource;
  const base = { service: svc, namespace: r.namespace, name: r.name, ports: [] as ServicePortProxy[] };
  if (svc.type === 'ExternalName')
    return {
      ...base,
      skipped: `type ExternalName: only a DNS CNAME to ${svc.externalName ?? '(no externalName)'}; kube-proxy programs nothing for it.`,
    };
  if (svc.headless)
    return {
      ...base,
      skipped: 'headless (clusterIP: None): DNS returns the pod IPs directly; kube-proxy programs nothing for it.',
    };
  if (svc.clusterIP !== undefined && svc.clusterIP !== '' && !parseIp(svc.clusterIP)) {
    return {
      ...base,
      skipped: `clusterIP "${svc.clusterIP}" is not an IP address, so the API server would reject this Service.`,
    };
  }
  const ports = svc.ports.filter(p => p.port !== undefined && p.port > 0 && p.port <= 65535);
  if (ports.length === 0)
    return { ...base, skipped: 'the Service has no usable ports, so kube-proxy programs nothing for it.' };
  return { ...base, skipped: undefined, ports: ports.map(p => buildServicePort(ws, svc, p, s, largeCluster)) };
}

export function buildServicePort(
  ws: Workspace,
  svc: ServiceInfo,
  port: ServicePort,
  s: ProxySettings,
  largeCluster = false,
): ServicePortProxy {
  const r = svc.resource;
  const notes: string[] = [];
  const spn = servicePortName(r.namespace, r.name, port.name, s.legacyUnnamedPorts);
  const proto = port.protocol.toLowerCase();
  const clusterIP = clusterIpOf(svc, s);
  if (clusterIP.illustrative) notes.push(clusterIP.note!);
  const family = clusterIP.value.includes(':') ? 6 : 4;
  const sameFamily = (ip: string) => parseIp(ip)?.family === family;

  const nodePort = nodePortOf(svc, port, s);
  if (nodePort?.note) notes.push(nodePort.note);
  const loadBalancerIPs = lbIpsOf(svc, s).filter(x => sameFamily(x.value));
  for (const lb of loadBalancerIPs) if (lb.note) notes.push(lb.note);
  const externalIPs = svc.externalIPs.filter(sameFamily);
  const sourceRanges = svc.loadBalancerSourceRanges.map(x => x.trim()).filter(x => parseCidr(x)?.family === family);

  const externallyAccessible = !!nodePort || loadBalancerIPs.length > 0 || externalIPs.length > 0;
  const externalPolicyLocal =
    svc.externalTrafficPolicy === 'Local' &&
    (svc.type === 'NodePort' ||
      svc.type === 'LoadBalancer' ||
      (svc.type === 'ClusterIP' && svc.externalIPs.length > 0));
  const internalPolicyLocal = svc.internalTrafficPolicy === 'Local';
  const healthCheckNodePort = svc.type === 'LoadBalancer' && externalPolicyLocal ? healthCheckOf(svc, s) : undefined;
  if (healthCheckNodePort?.note) notes.push(healthCheckNodePort.note);

  const naming = { spn, namespace: r.namespace, name: r.name, portName: port.name, protocol: proto };
  const eps = endpointsFor(ws, svc, port, naming, s, family);
  notes.push(...eps.notes);

  // CategorizeEndpoints (pkg/proxy/topology.go), without topology hints (zones are unknown here).
  const usesClusterEndpoints = !internalPolicyLocal || externallyAccessible;
  const usesLocalEndpoints = internalPolicyLocal || (externalPolicyLocal && externallyAccessible);
  let cluster: ProxyEndpoint[] = [];
  let hasEndpoints = false;
  if (usesClusterEndpoints) {
    cluster = eps.endpoints.filter(e => e.ready);
    if (cluster.length === 0) cluster = eps.endpoints.filter(e => e.serving && e.terminating);
    if (cluster.length) hasEndpoints = true;
  }
  let local: ProxyEndpoint[] = [];
  if (usesLocalEndpoints) {
    let localReady = false,
      localServingTerminating = false;
    for (const e of eps.endpoints) {
      if (e.ready) {
        hasEndpoints = true;
        if (e.local) localReady = true;
      } else if (e.serving && e.terminating) {
        hasEndpoints = true;
        if (e.local) localServingTerminating = true;
      }
    }
    if (localReady) local = eps.endpoints.filter(e => e.local && e.ready);
    else if (localServingTerminating) local = eps.endpoints.filter(e => e.local && e.serving && e.terminating);
  }
  const notReady = eps.endpoints.filter(e => !e.ready);
  if (notReady.length)
    notes.push(
      `${notReady.length} endpoint${notReady.length === 1 ? ' is' : 's are'} not ready (${notReady.map(e => e.endpoint).join(', ')}); kube-proxy uses them only if no ready endpoint exists and they are serving and terminating.`,
    );

  const hasInternalEndpoints = hasEndpoints && (!internalPolicyLocal || local.length > 0);
  const hasExternalEndpoints = hasEndpoints && (!externalPolicyLocal || local.length > 0);
  const chains = iptablesChainNames(spn, proto);
  const affinitySeconds = svc.sessionAffinity === 'ClientIP' ? svc.sessionAffinityTimeout : undefined;
  const partial: Omit<ServicePortProxy, 'rules' | 'natChains'> = {
    service: svc,
    port,
    namespace: r.namespace,
    name: r.name,
    portName: port.name,
    protocol: port.protocol,
    proto,
    spn,
    servicePort: port.port!,
    clusterIP,
    nodePort,
    healthCheckNodePort,
    externalIPs,
    loadBalancerIPs,
    loadBalancerSourceRanges: sourceRanges,
    chains,
    nftChains: nftChainNames(r.namespace, r.name, proto, port.name),
    endpoints: eps.endpoints,
    endpointSource: eps.source,
    clusterEndpoints: weigh(cluster),
    localEndpoints: weigh(local),
    internalPolicyLocal,
    externalPolicyLocal,
    externallyAccessible,
    hasEndpoints,
    hasInternalEndpoints,
    hasExternalEndpoints,
    usesClusterChain: cluster.length > 0 && usesClusterEndpoints,
    usesLocalChain: local.length > 0 && usesLocalEndpoints,
    usesExternalChain: hasEndpoints && externallyAccessible,
    usesFirewallChain: hasEndpoints && loadBalancerIPs.length > 0 && sourceRanges.length > 0,
    affinitySeconds,
    internalChain: internalPolicyLocal ? chains.svl : chains.svc,
    notes,
  };
  const { rules, natChains } = iptablesRulesForPort(partial, s, largeCluster);
  return { ...partial, rules, natChains };
}

/** Probability rule i of n is probability(n - i); each endpoint ends up with 1/n of new connections. */
export function weigh(eps: ProxyEndpoint[]): WeightedEndpoint[] {
  const n = eps.length;
  return eps.map((endpoint, i) => {
    const probability = i < n - 1 ? computeProbability(n - i) : undefined;
    return { endpoint, probability, saveProbability: probability && saveProbability(probability), share: 1 / n };
  });
}

function hashBig(s: string): bigint {
  return BigInt('0x' + createHash('sha256').update(s).digest('hex').slice(0, 16));
}

function clusterIpOf(svc: ServiceInfo, s: ProxySettings): MaybeIllustrative<string> {
  const r = svc.resource;
  if (svc.clusterIP && parseIp(svc.clusterIP)) return { value: canonical(svc.clusterIP), illustrative: false };
  const cidr = parseCidr(s.serviceCIDR.value) ?? parseCidr('10.96.0.0/12')!;
  const size = cidrSize(cidr);
  // The API server gives the first address to default/kubernetes; others get a free one.
  const offset =
    r.namespace === 'default' && r.name === 'kubernetes'
      ? 1n
      : 2n + (hashBig(`${r.namespace}/${r.name}`) % (size > 4n ? size - 3n : 1n));
  const value = formatIp(cidr.family, cidr.first + offset);
  return {
    value,
    illustrative: true,
    note: `The ClusterIP ${value} is illustrative: the manifest sets no clusterIP, so one was picked from the service CIDR ${s.serviceCIDR.value}${s.serviceCIDR.assumed ? ' (assumed)' : ''}; the API server will allocate the real one.`,
  };
}

function canonical(ip: string): string {
  const p = parseIp(ip)!;
  return formatIp(p.family, p.value);
}

function nodePortOf(svc: ServiceInfo, port: ServicePort, s: ProxySettings): MaybeIllustrative<number> | undefined {
  if (svc.type !== 'NodePort' && svc.type !== 'LoadBalancer') return undefined;
  if (port.nodePort) return { value: port.nodePort, illustrative: false };
  if (svc.type === 'LoadBalancer' && get(svc.resource.value, 'spec', 'allocateLoadBalancerNodePorts') === false)
    return undefined;
  if (!s.illustrativeAllocations) return undefined;
  const [lo, hi] = s.nodePortRange;
  const value =
    lo + Number(hashBig(`${svc.resource.namespace}/${svc.resource.name}/${port.index}`) % BigInt(hi - lo + 1));
  return {
    value,
    illustrative: true,
    note: `nodePort ${value} is illustrative: the manifest leaves it to the API server, which allocates one from ${lo}-${hi}.`,
  };
}

function healthCheckOf(svc: ServiceInfo, s: ProxySettings): MaybeIllustrative<number> | undefined {
  if (svc.healthCheckNodePort) return { value: svc.healthCheckNodePort, illustrative: false };
  if (!s.illustrativeAllocations) return undefined;
  const [lo, hi] = s.nodePortRange;
  const value = lo + Number(hashBig(`${svc.resource.namespace}/${svc.resource.name}/health`) % BigInt(hi - lo + 1));
  return {
    value,
    illustrative: true,
    note: `healthCheckNodePort ${value} is illustrative: the API server allocates it for type LoadBalancer with externalTrafficPolicy: Local.`,
  };
}

/**
 * LoadBalancer VIPs kube-proxy uses: status.loadBalancer.ingress[].ip with ipMode VIP or unset.
 * A manifest rarely carries status, so spec.loadBalancerIP or an illustrative TEST-NET address
 * stands in (and the note says so).
 */
function lbIpsOf(svc: ServiceInfo, s: ProxySettings): MaybeIllustrative<string>[] {
  if (svc.type !== 'LoadBalancer') return [];
  const out: MaybeIllustrative<string>[] = [];
  for (const ing of asArray(get(svc.resource.value, 'status', 'loadBalancer', 'ingress'))) {
    const ip = asString(get(ing, 'ip'));
    const mode = asString(get(ing, 'ipMode'));
    if (ip && parseIp(ip) && (mode === undefined || mode === 'VIP'))
      out.push({ value: canonical(ip), illustrative: false });
  }
  if (out.length) return out;
  const requested = asString(get(svc.resource.value, 'spec', 'loadBalancerIP'));
  if (requested && parseIp(requested)) {
    return [
      {
        value: canonical(requested),
        illustrative: true,
        note: `The load-balancer IP ${requested} is assumed from spec.loadBalancerIP; kube-proxy uses status.loadBalancer.ingress, which the cloud fills in.`,
      },
    ];
  }
  if (!s.illustrativeAllocations) return [];
  const value = `203.0.113.${1 + Number(hashBig(`${svc.resource.namespace}/${svc.resource.name}`) % 254n)}`;
  return [
    {
      value,
      illustrative: true,
      note: `The load-balancer IP ${value} is illustrative (TEST-NET-3): the cloud assigns the real one in status.loadBalancer.ingress.`,
    },
  ];
}
