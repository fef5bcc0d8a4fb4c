import type { NodeProxy, ProxyEndpoint, ServicePortProxy } from './model';
import type { ProxySettings } from './settings';
import { nodeNames } from './endpoints';

/**
 * IPVS mode (reference §3.2): no per-Service chains. Each Service address:port becomes an IPVS
 * virtual server (shown as `ipvsadm -Ln` prints it) and the addresses go into ipsets that a
 * few fixed iptables rules match.
 */

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function realServers(eps: ProxyEndpoint[]): string[] {
  return eps.map(e => `  -> ${hostPort(e.ip, e.port).padEnd(28)} Masq    1      0          0`);
}

/** Real servers for internal (ClusterIP) and external traffic; Local policies fall back to all endpoints when this node has none (kube-proxy PR #97081). */
function serverSets(m: ServicePortProxy): { internal: ProxyEndpoint[]; external: ProxyEndpoint[] } {
  const all = m.clusterEndpoints.map(w => w.endpoint);
  const local = m.endpoints.filter(e => e.local && e.ready);
  const all2 = all.length ? all : m.endpoints.filter(e => e.ready);
  return {
    internal: m.internalPolicyLocal ? (local.length ? local : all2) : all2,
    external: m.externalPolicyLocal ? (local.length ? local : all2) : all2,
  };
}

export function ipvsLinesForPort(
  m: ServicePortProxy,
  s: ProxySettings,
): { servers: string[]; ipsets: string[]; dummy: string[] } {
  const sched = `${s.ipvsScheduler}${m.affinitySeconds !== undefined ? ` persistent ${m.affinitySeconds}` : ''}`;
  const P = m.protocol;
  const p = m.proto;
  const { internal, external } = serverSets(m);
  const servers: string[] = [];
  const vs = (ip: string, port: number, eps: ProxyEndpoint[]) => {
    servers.push(`${P}  ${hostPort(ip, port)} ${sched}`, ...realServers(eps));
  };
  vs(m.clusterIP.value, m.servicePort, internal);
  for (const ip of m.externalIPs) vs(ip, m.servicePort, external);
  for (const lb of m.loadBalancerIPs) vs(lb.value, m.servicePort, external);
  if (m.nodePort) vs(s.nodeIP ?? illustrativeNodeIp(s), m.nodePort.value, external);
  const ipsets: string[] = [`add KUBE-CLUSTER-IP ${m.clusterIP.value},${p}:${m.servicePort}`];
  for (const e of new Set([...internal, ...external])) ipsets.push(`add KUBE-LOOP-BACK ${e.ip},${p}:${e.port},${e.ip}`);
  for (const ip of m.externalIPs)
    ipsets.push(
      `add ${m.externalPolicyLocal ? 'KUBE-EXTERNAL-IP-LOCAL' : 'KUBE-EXTERNAL-IP'} ${ip},${p}:${m.servicePort}`,
    );
  for (const lb of m.loadBalancerIPs) {
    ipsets.push(`add KUBE-LOAD-BALANCER ${lb.value},${p}:${m.servicePort}`);
    if (m.externalPolicyLocal) ipsets.push(`add KUBE-LOAD-BALANCER-LOCAL ${lb.value},${p}:${m.servicePort}`);
    if (m.loadBalancerSourceRanges.length) {
      ipsets.push(`add KUBE-LOAD-BALANCER-FW ${lb.value},${p}:${m.servicePort}`);
      for (const r of m.loadBalancerSourceRanges)
        ipsets.push(`add KUBE-LOAD-BALANCER-SOURCE-CIDR ${lb.value},${p}:${m.servicePort},${r}`);
    }
  }
  if (m.nodePort) {
    const set = P === 'SCTP' ? 'KUBE-NODE-PORT-SCTP-HASH' : `KUBE-NODE-PORT-${P}`;
    ipsets.push(`add ${set} ${m.nodePort.value}`);
    if (m.externalPolicyLocal)
      ipsets.push(
        `add ${P === 'SCTP' ? 'KUBE-NODE-PORT-LOCAL-SCTP-HASH' : `KUBE-NODE-PORT-LOCAL-${P}`} ${m.nodePort.value}`,
      );
  }
  if (m.healthCheckNodePort) ipsets.push(`add KUBE-HEALTH-CHECK-NODE-PORT ${m.healthCheckNodePort.value}`);
  const dummy = [m.clusterIP.value, ...m.externalIPs, ...m.loadBalancerIPs.map(l => l.value)];
  return { servers, ipsets, dummy };
}

function illustrativeNodeIp(s: ProxySettings): string {
  const i = Math.max(0, nodeNames(s).indexOf(s.nodeName));
  return `192.0.2.${10 + i}`;
}

/** The fixed iptables rules of IPVS mode (nat table), in restore syntax. */
export function ipvsIptables(s: ProxySettings): string[] {
  return [
    '*nat',
    ':KUBE-SERVICES - [0:0]',
    ':KUBE-POSTROUTING - [0:0]',
    ':KUBE-NODE-PORT - [0:0]',
    ':KUBE-LOAD-BALANCER - [0:0]',
    ':KUBE-MARK-MASQ - [0:0]',
    `-A KUBE-SERVICES -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst ! -s ${s.clusterCIDR.value} -j KUBE-MARK-MASQ`,
    '-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT',
    '-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT',
    '-A KUBE-POSTROUTING -m comment --comment "Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose" -m set --match-set KUBE-LOOP-BACK dst,dst,src -j MASQUERADE',
    'COMMIT',
  ];
}

/** Virtual servers, ipset members, kube-ipvs0 addresses and the fixed iptables rules for the node. */
export function renderIpvs(node: NodeProxy, withIptables = true): string {
  const s = node.settings;
  const servers: string[] = [];
  const ipsets: string[] = [];
  const dummy = new Set<string>();
  const skipped: string[] = [];
  for (const svc of node.services) {
    if (svc.skipped) {
      skipped.push(`# ${svc.namespace}/${svc.name}: ${svc.skipped}`);
      continue;
    }
    for (const p of svc.ports) {
      const l = ipvsLinesForPort(p, s);
      servers.push(`# ${p.spn}`, ...l.servers);
      ipsets.push(...l.ipsets);
      for (const d of l.dummy) dummy.add(d);
    }
  }
  const out = [
    `# ipvsadm -Ln on ${s.nodeName} (scheduler ${s.ipvsScheduler})`,
    'IP Virtual Server version 1.2.1 (size=4096)',
    'Prot LocalAddress:Port Scheduler Flags',
    '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
    ...servers,
    '',
    '# addresses bound to the dummy interface kube-ipvs0',
    ...[...dummy].map(ip => `inet ${ip}/${ip.includes(':') ? 128 : 32} scope global kube-ipvs0`),
    '',
    '# ipset save (members kube-proxy adds)',
    ...ipsets,
    ...(skipped.length ? ['', ...skipped] : []),
  ];
  if (withIptables) out.push('', '# iptables (nat) rules kube-proxy keeps in IPVS mode', ...ipvsIptables(s));
  return out.join('\n') + '\n';
}
