import type { ServiceInfo } from '../model/service';
import { effectiveTargetPort } from '../model/service';
import type { ServicePortProxy, ServiceProxy, WeightedEndpoint } from './model';
import type { ProxyMode, ProxySettings } from './settings';
import { restoreLine } from './restore';
import { saveLine } from './save';
import { nftLinesForPort } from './nftables';
import { ipvsLinesForPort } from './ipvs';
import type { RuleSyntax } from './render';
import { codeSpan, escapeText as text } from '../text/markdown';

/**
 * Plain-language explanations of what kube-proxy does to a packet for a Service port, and the
 * rule text that backs them. Markdown; every statement names the chain that implements it.
 */

/** Names, addresses and values from the workspace go into code spans that they cannot break out of. */
const code = (s: string | number) => codeSpan(s);
const cell = (s: string | number) => codeSpan(s, { inTable: true });

function fraction(n: number): string {
  return n === 1 ? 'all' : `1/${n} each`;
}

/** DNS names of a Service (A/AAAA and one SRV per named port). */
export function dnsLines(svc: ServiceInfo, s: ProxySettings, clusterIP?: string): string[] {
  const r = svc.resource;
  const fqdn = `${r.name}.${r.namespace}.svc.${s.clusterDomain}`;
  const out: string[] = [];
  if (svc.type === 'ExternalName') out.push(`CNAME ${code(fqdn)} → ${code(svc.externalName ?? '?')}`);
  else if (svc.headless) out.push(`A/AAAA ${code(fqdn)} → the IPs of the ready pods (headless)`);
  else out.push(`A ${code(fqdn)} → ${code(clusterIP ?? svc.clusterIP ?? '(ClusterIP)')}`);
  for (const p of svc.ports) {
    if (!p.name || svc.type === 'ExternalName') continue;
    const srv = `_${p.name}._${p.protocol.toLowerCase()}.${fqdn}`;
    out.push(
      svc.headless
        ? `SRV ${code(srv)} → one answer per pod: port ${p.port} on ${code(`<pod>.${fqdn}`)}`
        : `SRV ${code(srv)} → ${code(`0 100 ${p.port} ${fqdn}`)}`,
    );
  }
  out.push(
    `Pods in ${code(r.namespace)} can use ${code(r.name)}; other namespaces ${code(`${r.name}.${r.namespace}`)} (search path, ndots:5).`,
  );
  return out;
}

interface Names {
  entry: string;
  svc: string;
  svl: string;
  ext: string;
  fw: string;
  sep: (w: WeightedEndpoint) => string;
  mark: string;
  post: string;
  nodeports: string;
  filterDrop: string;
  filterExt: string;
  proxyFw: string;
}

function namesFor(m: ServicePortProxy, mode: ProxyMode): Names {
  if (mode === 'nftables') {
    return {
      entry: 'the `service-ips` verdict map (chain `services`)',
      svc: m.nftChains.service,
      svl: m.nftChains.local,
      ext: m.nftChains.external,
      fw: m.nftChains.firewall,
      sep: w => w.endpoint.nftChain,
      mark: 'mark-for-masquerade',
      post: 'masquerading',
      nodeports: 'the `service-nodeports` map',
      filterDrop: 'the `no-endpoint-services` map',
      filterExt: 'the `no-endpoint-services`/`no-endpoint-nodeports` maps',
      proxyFw: 'the `firewall-ips` map',
    };
  }
  return {
    entry: '`KUBE-SERVICES`',
    svc: m.chains.svc,
    svl: m.chains.svl,
    ext: m.chains.ext,
    fw: m.chains.fw,
    sep: w => w.endpoint.sepChain,
    mark: 'KUBE-MARK-MASQ',
    post: 'KUBE-POSTROUTING',
    nodeports: '`KUBE-NODEPORTS`',
    filterDrop: 'the filter table (`KUBE-SERVICES`)',
    filterExt: 'the filter table (`KUBE-EXTERNAL-SERVICES`)',
    proxyFw: '`KUBE-PROXY-FIREWALL` (filter table)',
  };
}

function selection(eps: WeightedEndpoint[], chain: string, n: Names, mode: ProxyMode): string {
  if (eps.length === 1)
    return `${code(chain)} DNATs it to its only endpoint ${code(eps[0].endpoint.endpoint)} (${code(n.sep(eps[0]))}).`;
  const how =
    mode === 'nftables'
      ? `a ${code(`numgen random mod ${eps.length}`)} verdict map`
      : `${code('-m statistic --mode random')} rules tried in order (probabilities ${eps
          .filter(w => w.probability)
          .map(w => code(w.probability!))
          .join(', ')}, then the last rule takes the rest)`;
  return `${code(chain)} DNATs it to one of ${eps.length} endpoints, ${fraction(eps.length)}, chosen by ${how}.`;
}

/** The story of one Service port on this node, as Markdown paragraphs. */
export function explainPort(m: ServicePortProxy, s: ProxySettings, mode: ProxyMode = s.mode): string[] {
  if (mode === 'ipvs') return explainIpvs(m, s);
  const n = namesFor(m, mode);
  const out: string[] = [];
  const dest = `${code(`${m.clusterIP.value}:${m.servicePort}`)}/${m.protocol}`;
  const tp = effectiveTargetPort(m.port);
  out.push(
    `**Port ${m.portName ? `${code(m.portName)} ` : ''}${m.servicePort}/${m.protocol}** → targetPort ${code(String(tp))}${m.nodePort ? `, nodePort ${code(m.nodePort.value)}${m.nodePort.illustrative ? ' (illustrative)' : ''}` : ''}`,
  );
  if (!m.hasEndpoints) {
    out.push(
      `A packet to ${dest} is **rejected**: the Service has no ready endpoints here, so kube-proxy writes no nat rules for it, only REJECT rules in ${n.filterDrop}${m.externallyAccessible ? ` and ${n.filterExt}` : ''} (the client gets "connection refused").`,
    );
    return out;
  }
  const masq = s.masqueradeAll
    ? `Every packet is marked by ${code(n.mark)} (masqueradeAll) and SNAT-ed in ${code(n.post)}.`
    : `Packets from outside the pod network (not ${code(s.clusterCIDR.value)}) are first marked by ${code(n.mark)} and SNAT-ed in ${code(n.post)}, so replies return through this node.`;
  if (m.internalPolicyLocal) {
    if (!m.hasInternalEndpoints) {
      out.push(
        `internalTrafficPolicy: Local, and this node (${code(s.nodeName)}) has no endpoint: a packet to ${dest} from a pod or process on this node is **dropped** in ${n.filterDrop} ("has no local endpoints").`,
      );
    } else {
      out.push(
        `A packet to ${dest} from a pod or process on this node goes from ${n.entry} to ${code(n.svl)} (internalTrafficPolicy: Local: only the ${m.localEndpoints.length} endpoint${m.localEndpoints.length === 1 ? '' : 's'} on ${code(s.nodeName)}). ${masq} ${selection(m.localEndpoints, n.svl, n, mode)}`,
      );
    }
  } else {
    out.push(
      `A packet to ${dest} from any pod or node goes from ${n.entry} to ${code(n.svc)}. ${masq} ${selection(m.clusterEndpoints, n.svc, n, mode)}`,
    );
  }
  if (m.affinitySeconds !== undefined) {
    out.push(
      mode === 'nftables'
        ? `sessionAffinity: ClientIP — each endpoint has a set ${code('affinity-…')} (timeout ${m.affinitySeconds}s); a client seen in one is sent straight back to that endpoint before the random choice.`
        : `sessionAffinity: ClientIP — before the random choice, ${code(`-m recent --rcheck --seconds ${m.affinitySeconds} --reap`)} rules send a client that connected within ${m.affinitySeconds}s back to the same endpoint; each KUBE-SEP DNAT rule records the client with ${code('--set')}.`,
    );
  }
  out.push(
    `Each endpoint chain also marks packets coming *from* that endpoint for masquerade (hairpin: a pod reaching itself through the Service).`,
  );
  // External entry points.
  const entries: string[] = [];
  if (m.nodePort)
    entries.push(
      `nodePort ${code(m.nodePort.value)} on every node address (${n.nodeports}${s.localhostNodePorts && mode === 'iptables' ? ', 127.0.0.1 included' : ''})`,
    );
  for (const ip of m.externalIPs) entries.push(`externalIP ${code(`${ip}:${m.servicePort}`)}`);
  for (const lb of m.loadBalancerIPs)
    entries.push(
      `load-balancer IP ${code(`${lb.value}:${m.servicePort}`)}${lb.illustrative ? ' (illustrative)' : ''}${m.usesFirewallChain ? ` via ${code(n.fw)} (loadBalancerSourceRanges ${m.loadBalancerSourceRanges.map(code).join(', ')}; other sources fall through and are dropped by ${n.proxyFw})` : ''}`,
    );
  if (entries.length) {
    let ext = `From outside: ${entries.join('; ')} → ${code(n.ext)}. `;
    if (!m.externalPolicyLocal) {
      ext += `externalTrafficPolicy: Cluster — ${code(n.ext)} marks everything for masquerade (the pod sees this node's IP, not the client's) and continues to ${code(n.svc)}, which may pick an endpoint on another node.`;
    } else if (m.hasExternalEndpoints) {
      ext += `externalTrafficPolicy: Local keeps the client IP — pod traffic (from ${code(s.clusterCIDR.value)}) and traffic from this node itself are sent to ${code(n.svc)} (all endpoints; node traffic masqueraded), everything else to ${code(n.svl)}: only the ${m.localEndpoints.length} endpoint${m.localEndpoints.length === 1 ? '' : 's'} on ${code(s.nodeName)}, no SNAT.`;
    } else {
      ext += `externalTrafficPolicy: Local and ${code(s.nodeName)} has **no local endpoint**: pod and node traffic still reach ${code(n.svc)}, but packets from outside are **dropped** in ${n.filterExt}${m.healthCheckNodePort ? ` — the load balancer learns this from the health-check node port ${code(m.healthCheckNodePort.value)} and avoids this node` : ''}.`;
    }
    out.push(ext);
  }
  if (m.healthCheckNodePort && m.hasExternalEndpoints)
    out.push(
      `The health-check node port ${code(m.healthCheckNodePort.value)}${m.healthCheckNodePort.illustrative ? ' (illustrative)' : ''} is accepted in the filter table; kube-proxy answers it with this node's local endpoint count, so the load balancer only sends to nodes that have one.`,
    );
  return out;
}

function explainIpvs(m: ServicePortProxy, s: ProxySettings): string[] {
  const servers = m.internalPolicyLocal
    ? m.endpoints.filter(e => e.local && e.ready)
    : m.clusterEndpoints.map(w => w.endpoint);
  const out = [`**Port ${m.portName ? `${code(m.portName)} ` : ''}${m.servicePort}/${m.protocol}** (IPVS mode)`];
  out.push(
    `${code(m.clusterIP.value)} is bound to the dummy interface ${code('kube-ipvs0')}; the IPVS virtual server ${code(`${m.clusterIP.value}:${m.servicePort}`)} (scheduler ${code(s.ipvsScheduler)}${m.affinitySeconds !== undefined ? `, persistent ${m.affinitySeconds}s for sessionAffinity ClientIP` : ''}) forwards each new connection to one of ${servers.length} real server${servers.length === 1 ? '' : 's'}, weight 1 each. Sources outside ${code(s.clusterCIDR.value)} are masqueraded through the ${code('KUBE-CLUSTER-IP')} ipset rule; there are no per-Service chains.`,
  );
  if (m.nodePort)
    out.push(
      `nodePort ${code(m.nodePort.value)}: one virtual server per node address, listed in the ${code(`KUBE-NODE-PORT-${m.protocol}`)} ipset.`,
    );
  if (!servers.length) out.push('The virtual server has no real servers, so connections fail.');
  return out;
}

/** Rule text of one port in a mode: iptables lines grouped by table, nft lines, or IPVS lines. */
export function portRulesText(
  m: ServicePortProxy,
  s: ProxySettings,
  mode: ProxyMode = s.mode,
  syntax: RuleSyntax = 'restore',
): string {
  if (mode === 'nftables') return nftLinesForPort(m, s).join('\n');
  if (mode === 'ipvs') {
    const l = ipvsLinesForPort(m, s);
    return [...l.servers, '# ipset members', ...l.ipsets].join('\n');
  }
  const out: string[] = [];
  for (const table of ['nat', 'filter'] as const) {
    const rs = m.rules.filter(r => r.table === table);
    if (!rs.length) continue;
    out.push(`# ${table}`);
    for (const r of rs) out.push(syntax === 'save' ? saveLine(r, m.clusterIP.value.includes(':')) : restoreLine(r));
  }
  return out.join('\n');
}

/** Endpoint table rows for Markdown: which endpoint, where, where the fact comes from, odds. */
export function endpointTable(m: ServicePortProxy, mode: ProxyMode): string[] {
  if (!m.endpoints.length) return [];
  const weights = new Map<string, WeightedEndpoint>();
  for (const w of m.internalPolicyLocal ? m.localEndpoints : m.clusterEndpoints) weights.set(w.endpoint.endpoint, w);
  const rows = [
    '| endpoint | node | from | chain | probability (written / iptables-save) | share |',
    '|---|---|---|---|---|---|',
  ];
  const shown = m.endpoints.slice(0, 20);
  for (const e of shown) {
    const w = weights.get(e.endpoint);
    const from =
      e.source === 'illustrative'
        ? `illustrative (${text(e.origin.kind)} ${text(e.origin.name)}${e.podName ? `, pod ${text(e.podName)}` : ''})`
        : `${text(e.source)} ${text(e.origin.name)}`;
    const chain = mode === 'nftables' ? e.nftChain : e.sepChain;
    const prob = !w
      ? e.ready
        ? 'not used here'
        : 'not ready'
      : w.probability
        ? `${w.probability} / ${w.saveProbability}`
        : 'last rule (rest)';
    rows.push(
      `| ${cell(e.endpoint)} | ${text(e.nodeName ?? '?')}${e.local ? ' (this node)' : ''} | ${from} | ${cell(chain)} | ${text(prob)} | ${w ? `${(w.share * 100).toFixed((w.share * 100) % 1 ? 1 : 0)}%` : '—'} |`,
    );
  }
  if (m.endpoints.length > shown.length) rows.push(`| … ${m.endpoints.length - shown.length} more | | | | | |`);
  return rows;
}

/** Settings provenance for the footer of an explanation. */
export function settingsLine(s: ProxySettings, mode: ProxyMode): string {
  return `kube-proxy ${mode} mode on node ${code(s.nodeName)}; pod CIDR ${code(s.clusterCIDR.value)} (${text(s.clusterCIDR.source)}); settings: ${code('kubeNetlint.proxy.*')} / ${code('proxy:')} in .kube-netlint.yaml.`;
}

/** A skipped Service in one sentence. */
export function explainSkipped(svc: ServiceProxy): string {
  return `kube-proxy programs **nothing** for ${code(`${svc.namespace}/${svc.name}`)}: ${text(svc.skipped ?? '')}`;
}
