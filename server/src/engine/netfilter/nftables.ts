import type { NodeProxy, ServicePortProxy, WeightedEndpoint } from './model';
import type { ProxySettings } from './settings';
import { masqueradeMark } from './settings';

/**
 * nftables mode (reference §3.1): `nft -f` input in the layout of kube-proxy's
 * TestOverallNFTablesRules (1.33). Chain names are exact in every version seen; rule content
 * is version-specific, as the reference warns.
 */

const T = 'ip kube-proxy';
const T6 = 'ip6 kube-proxy';

function table(ipv6: boolean): string {
  return ipv6 ? T6 : T;
}

/** The lines kube-proxy writes for one Service port. */
export function nftLinesForPort(m: ServicePortProxy, s: ProxySettings): string[] {
  const ipv6 = m.clusterIP.value.includes(':');
  const t = table(ipv6);
  const ipX = ipv6 ? 'ip6' : 'ip';
  const out: string[] = [];
  const c = m.nftChains;
  const internalChain = m.internalPolicyLocal ? c.local : c.service;
  const externalPolicyChain = m.externalPolicyLocal ? c.local : c.service;
  const noEpVerdict = (internal: boolean) =>
    !m.hasEndpoints
      ? 'goto reject-chain'
      : internal
        ? m.hasInternalEndpoints
          ? ''
          : 'drop'
        : m.hasExternalEndpoints
          ? ''
          : 'drop';
  const key = (ip: string) => `${ip} . ${m.proto} . ${m.servicePort}`;
  const cmt = ` comment "${m.spn}"`;

  out.push(`add element ${t} cluster-ips { ${m.clusterIP.value} }`);
  if (m.hasInternalEndpoints)
    out.push(`add element ${t} service-ips { ${key(m.clusterIP.value)} : goto ${internalChain} }`);
  else out.push(`add element ${t} no-endpoint-services { ${key(m.clusterIP.value)}${cmt} : ${noEpVerdict(true)} }`);
  for (const ip of m.externalIPs) {
    if (m.hasEndpoints) out.push(`add element ${t} service-ips { ${key(ip)} : goto ${c.external} }`);
    if (!m.hasExternalEndpoints)
      out.push(`add element ${t} no-endpoint-services { ${key(ip)}${cmt} : ${noEpVerdict(false)} }`);
  }
  for (const lb of m.loadBalancerIPs) {
    if (m.hasEndpoints) out.push(`add element ${t} service-ips { ${key(lb.value)} : goto ${c.external} }`);
    if (m.loadBalancerSourceRanges.length)
      out.push(`add element ${t} firewall-ips { ${key(lb.value)}${cmt} : goto ${c.firewall} }`);
  }
  if (!m.hasExternalEndpoints)
    for (const lb of m.loadBalancerIPs)
      out.push(`add element ${t} no-endpoint-services { ${key(lb.value)}${cmt} : ${noEpVerdict(false)} }`);
  if (m.nodePort) {
    if (m.hasEndpoints)
      out.push(`add element ${t} service-nodeports { ${m.proto} . ${m.nodePort.value} : goto ${c.external} }`);
    if (!m.hasExternalEndpoints)
      out.push(
        `add element ${t} no-endpoint-nodeports { ${m.proto} . ${m.nodePort.value}${cmt} : ${noEpVerdict(false)} }`,
      );
  }

  const rulesOf = new Map<string, string[]>();
  const rule = (chain: string, text: string) => {
    if (!rulesOf.has(chain)) rulesOf.set(chain, []);
    rulesOf.get(chain)!.push(text);
  };
  if (m.hasInternalEndpoints) {
    rule(
      internalChain,
      s.masqueradeAll
        ? `${ipX} daddr ${m.clusterIP.value} jump mark-for-masquerade`
        : `${ipX} daddr ${m.clusterIP.value} ${ipX} saddr != ${s.clusterCIDR.value} jump mark-for-masquerade`,
    );
  }
  if (m.usesExternalChain) {
    if (!m.externalPolicyLocal) rule(c.external, 'jump mark-for-masquerade');
    else {
      rule(c.external, `${ipX} saddr ${s.clusterCIDR.value} goto ${c.service} comment "short-circuit pod traffic"`);
      rule(c.external, 'fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"');
      rule(c.external, `fib saddr type local goto ${c.service} comment "short-circuit local traffic"`);
    }
    if (m.hasExternalEndpoints) rule(c.external, `goto ${externalPolicyChain}`);
  }
  if (m.usesFirewallChain) {
    const sources = [...m.loadBalancerSourceRanges];
    rule(c.firewall, `${ipX} saddr != { ${sources.join(', ')} } drop`);
  }
  if (m.usesClusterChain) endpointSelection(rule, c.service, m.clusterEndpoints, m, ipX);
  if (m.usesLocalChain) endpointSelection(rule, c.local, m.localEndpoints, m, ipX);
  const reachable = new Map<string, WeightedEndpoint['endpoint']>();
  if (m.usesClusterChain) for (const w of m.clusterEndpoints) reachable.set(w.endpoint.endpoint, w.endpoint);
  if (m.usesLocalChain) for (const w of m.localEndpoints) reachable.set(w.endpoint.endpoint, w.endpoint);
  for (const ep of [...reachable.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : 1))) {
    if (m.affinitySeconds !== undefined) {
      out.push(
        `add set ${t} ${ep.nftAffinitySet} { type ${ipv6 ? 'ipv6_addr' : 'ipv4_addr'} ; flags dynamic,timeout ; timeout ${m.affinitySeconds}s ; }`,
      );
    }
    rule(ep.nftChain, `${ipX} saddr ${ep.ip} jump mark-for-masquerade`);
    if (m.affinitySeconds !== undefined) rule(ep.nftChain, `update @${ep.nftAffinitySet} { ${ipX} saddr }`);
    rule(ep.nftChain, `meta l4proto ${m.proto} dnat to ${ep.endpoint}`);
  }
  const chains: string[] = [];
  if (m.usesClusterChain) chains.push(c.service);
  if (m.usesLocalChain) chains.push(c.local);
  if (m.usesExternalChain) chains.push(c.external);
  if (m.usesFirewallChain) chains.push(c.firewall);
  chains.push(...[...reachable.values()].map(e => e.nftChain).sort());
  const body: string[] = [];
  for (const ch of chains) {
    body.push(`add chain ${t} ${ch}`);
    for (const r of rulesOf.get(ch) ?? []) body.push(`add rule ${t} ${ch} ${r}`);
  }
  return [...body, ...out];
}

function endpointSelection(
  rule: (chain: string, text: string) => void,
  chain: string,
  eps: WeightedEndpoint[],
  m: ServicePortProxy,
  ipX: string,
): void {
  if (m.affinitySeconds !== undefined) {
    for (const w of eps) rule(chain, `${ipX} saddr @${w.endpoint.nftAffinitySet} goto ${w.endpoint.nftChain}`);
  }
  const elements = eps.map((w, i) => `${i} : goto ${w.endpoint.nftChain}`).join(' , ');
  rule(chain, `numgen random mod ${eps.length} vmap { ${elements} }`);
}

/** The base table, sets, maps and dispatch rules kube-proxy creates once (1.33 layout). */
export function nftBase(s: ProxySettings, ipv6: boolean): string[] {
  const t = table(ipv6);
  const ipX = ipv6 ? 'ip6' : 'ip';
  const addr = ipv6 ? 'ipv6_addr' : 'ipv4_addr';
  const mark = masqueradeMark(s);
  return [
    `add table ${t} { comment "rules for kube-proxy" ; }`,
    `add chain ${t} cluster-ips-check`,
    `add chain ${t} filter-prerouting-pre-dnat { type filter hook prerouting priority -110 ; }`,
    `add chain ${t} filter-output-pre-dnat { type filter hook output priority -110 ; }`,
    `add chain ${t} filter-forward { type filter hook forward priority 0 ; }`,
    `add chain ${t} filter-input { type filter hook input priority 0 ; }`,
    `add chain ${t} filter-output { type filter hook output priority 0 ; }`,
    `add chain ${t} firewall-check`,
    `add chain ${t} mark-for-masquerade`,
    `add chain ${t} masquerading`,
    `add chain ${t} nat-output { type nat hook output priority -100 ; }`,
    `add chain ${t} nat-postrouting { type nat hook postrouting priority 100 ; }`,
    `add chain ${t} nat-prerouting { type nat hook prerouting priority -100 ; }`,
    `add chain ${t} nodeport-endpoints-check`,
    `add chain ${t} reject-chain { comment "helper for @no-endpoint-services / @no-endpoint-nodeports" ; }`,
    `add chain ${t} services`,
    `add chain ${t} service-endpoints-check`,
    `add rule ${t} cluster-ips-check ${ipX} daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"`,
    `add rule ${t} filter-prerouting-pre-dnat ct state new jump firewall-check`,
    `add rule ${t} filter-forward ct state new jump service-endpoints-check`,
    `add rule ${t} filter-forward ct state new jump cluster-ips-check`,
    `add rule ${t} filter-input ct state new jump nodeport-endpoints-check`,
    `add rule ${t} filter-input ct state new jump service-endpoints-check`,
    `add rule ${t} filter-output ct state new jump service-endpoints-check`,
    `add rule ${t} filter-output ct state new jump cluster-ips-check`,
    `add rule ${t} filter-output-pre-dnat ct state new jump firewall-check`,
    `add rule ${t} firewall-check ${ipX} daddr . meta l4proto . th dport vmap @firewall-ips`,
    `add rule ${t} mark-for-masquerade mark set mark or ${mark}`,
    `add rule ${t} masquerading mark and ${mark} == 0 return`,
    `add rule ${t} masquerading mark set mark xor ${mark}`,
    `add rule ${t} masquerading masquerade${s.randomFully ? ' fully-random' : ''}`,
    `add rule ${t} nat-output jump services`,
    `add rule ${t} nat-postrouting jump masquerading`,
    `add rule ${t} nat-prerouting jump services`,
    `add rule ${t} nodeport-endpoints-check fib daddr type local ${ipv6 ? '' : `${ipX} daddr != 127.0.0.0/8 `}meta l4proto . th dport vmap @no-endpoint-nodeports`,
    `add rule ${t} reject-chain reject`,
    `add rule ${t} services ${ipX} daddr . meta l4proto . th dport vmap @service-ips`,
    `add rule ${t} services fib daddr type local ${ipv6 ? '' : `${ipX} daddr != 127.0.0.0/8 `}meta l4proto . th dport vmap @service-nodeports`,
    `add rule ${t} service-endpoints-check ${ipX} daddr . meta l4proto . th dport vmap @no-endpoint-services`,
    `add set ${t} cluster-ips { type ${addr} ; comment "Active ClusterIPs" ; }`,
    `add map ${t} firewall-ips { type ${addr} . inet_proto . inet_service : verdict ; comment "destinations that are subject to LoadBalancerSourceRanges" ; }`,
    `add map ${t} no-endpoint-nodeports { type inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to service nodeports with no endpoints" ; }`,
    `add map ${t} no-endpoint-services { type ${addr} . inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to services with no endpoints" ; }`,
    `add map ${t} service-ips { type ${addr} . inet_proto . inet_service : verdict ; comment "ClusterIP, ExternalIP and LoadBalancer IP traffic" ; }`,
    `add map ${t} service-nodeports { type inet_proto . inet_service : verdict ; comment "NodePort traffic" ; }`,
  ];
}

/**
 * `nft -f` input for the node. Objects come before the rules and elements that refer to them
 * (table, chains, sets and maps, then rules and elements per Service port), so the file loads
 * as one transaction.
 */
export function renderNft(node: NodeProxy, withBase = true): string {
  const ipv6 =
    node.services.some(b => b.ports.some(p => p.clusterIP.value.includes(':'))) &&
    !node.services.some(b => b.ports.some(p => !p.clusterIP.value.includes(':')));
  const kind = (l: string) =>
    /^add table /.test(l) ? 0 : /^add chain /.test(l) ? 1 : /^add (set|map) /.test(l) ? 2 : 3;
  const base = withBase ? nftBase(node.settings, ipv6) : [];
  const objects: string[][] = [[], [], []];
  const body: string[] = [];
  for (const l of base) (kind(l) < 3 ? objects[kind(l)] : body).push(l);
  for (const svc of node.services) {
    if (svc.skipped) {
      body.push(`# ${svc.namespace}/${svc.name}: ${svc.skipped}`);
      continue;
    }
    for (const p of svc.ports) {
      body.push(`# ${p.spn}`);
      for (const l of nftLinesForPort(p, node.settings)) (kind(l) < 3 ? objects[kind(l)] : body).push(l);
    }
  }
  return [...objects[0], ...objects[1], ...objects[2], ...body].join('\n') + '\n';
}
