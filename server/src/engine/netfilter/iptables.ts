import type { ProxyRule, RuleRole, RuleTable, ServicePortProxy, TableRules, WeightedEndpoint } from './model';
import type { ProxySettings } from './settings';
import { masqueradeMark } from './settings';
import { cidrContains, parseCidr } from './ipaddr';

/**
 * iptables mode: the rules `syncProxyRules` writes for one Service port (reference §2), in
 * kube-proxy's write order. Tokens are kept as kube-proxy writes them, so rendering the
 * restore syntax is a join and the `iptables-save` form is a separate normalisation.
 */

type Tok = string | Tok[];

export const KUBE_SERVICES = 'KUBE-SERVICES';
export const KUBE_EXTERNAL_SERVICES = 'KUBE-EXTERNAL-SERVICES';
export const KUBE_NODEPORTS = 'KUBE-NODEPORTS';
export const KUBE_POSTROUTING = 'KUBE-POSTROUTING';
export const KUBE_MARK_MASQ = 'KUBE-MARK-MASQ';
export const KUBE_FORWARD = 'KUBE-FORWARD';
export const KUBE_PROXY_FIREWALL = 'KUBE-PROXY-FIREWALL';
export const KUBE_FIREWALL = 'KUBE-FIREWALL';

export function makeRule(table: RuleTable, chain: string, role: RuleRole, tokens: Tok[], endpoint?: string): ProxyRule {
  const args = (tokens as unknown[]).flat(Infinity as 1) as string[];
  const j = args.indexOf('-j');
  const c = args.indexOf('--comment');
  const comment = c >= 0 ? args[c + 1].replace(/^"(.*)"$/, '$1') : undefined;
  return { table, chain, args, target: j >= 0 ? args[j + 1] : undefined, comment, role, endpoint };
}

const q = (s: string) => `"${s}"`;

/** Comments on SEP and SVC→SEP rules are dropped in large clusters (> 1000 endpoints). */
function svcComment(text: string, largeCluster: boolean): Tok[] {
  return largeCluster ? [] : ['-m', 'comment', '--comment', text];
}

export interface PortRules {
  rules: ProxyRule[];
  natChains: string[];
}

export function iptablesRulesForPort(
  m: Omit<ServicePortProxy, 'rules' | 'natChains'>,
  s: ProxySettings,
  largeCluster = false,
): PortRules {
  const rules: ProxyRule[] = [];
  const natChains: string[] = [];
  const nat = (chain: string, role: RuleRole, t: Tok[], ep?: string) => rules.push(makeRule('nat', chain, role, t, ep));
  const filter = (chain: string, role: RuleRole, t: Tok[]) => rules.push(makeRule('filter', chain, role, t));
  const { spn, proto } = m;
  const port = String(m.servicePort);
  const ipv6 = m.clusterIP.value.includes(':');
  const ifNotLocal: Tok[] = ['!', '-s', s.clusterCIDR.value];
  const ifLocal: Tok[] = ['-s', s.clusterCIDR.value];
  const { svc: clusterChain, svl: localChain, ext: extChain, fw: fwChain } = m.chains;
  const externalPolicyChain = m.externalPolicyLocal ? localChain : clusterChain;
  const lbChain = m.usesFirewallChain ? fwChain : extChain;

  let internalFilterTarget = '',
    internalFilterComment = '',
    externalFilterTarget = '',
    externalFilterComment = '';
  if (!m.hasEndpoints) {
    internalFilterTarget = externalFilterTarget = 'REJECT';
    internalFilterComment = externalFilterComment = q(`${spn} has no endpoints`);
  } else {
    if (!m.hasInternalEndpoints) {
      internalFilterTarget = 'DROP';
      internalFilterComment = q(`${spn} has no local endpoints`);
    }
    if (!m.hasExternalEndpoints) {
      externalFilterTarget = 'DROP';
      externalFilterComment = q(`${spn} has no local endpoints`);
    }
  }
  const noEpRole: RuleRole = !m.hasEndpoints ? 'reject-no-endpoints' : 'drop-no-local-endpoints';

  // Capture the clusterIP.
  if (m.hasInternalEndpoints) {
    nat(KUBE_SERVICES, 'cluster-ip', [
      '-m',
      'comment',
      '--comment',
      q(`${spn} cluster IP`),
      '-m',
      proto,
      '-p',
      proto,
      '-d',
      m.clusterIP.value,
      '--dport',
      port,
      '-j',
      m.internalChain,
    ]);
  } else {
    filter(KUBE_SERVICES, noEpRole, [
      '-m',
      'comment',
      '--comment',
      internalFilterComment,
      '-m',
      proto,
      '-p',
      proto,
      '-d',
      m.clusterIP.value,
      '--dport',
      port,
      '-j',
      internalFilterTarget,
    ]);
  }
  // Capture externalIPs.
  for (const ip of m.externalIPs) {
    if (m.hasEndpoints)
      nat(KUBE_SERVICES, 'external-ip', [
        '-m',
        'comment',
        '--comment',
        q(`${spn} external IP`),
        '-m',
        proto,
        '-p',
        proto,
        '-d',
        ip,
        '--dport',
        port,
        '-j',
        extChain,
      ]);
    if (!m.hasExternalEndpoints)
      filter(KUBE_EXTERNAL_SERVICES, noEpRole, [
        '-m',
        'comment',
        '--comment',
        externalFilterComment,
        '-m',
        proto,
        '-p',
        proto,
        '-d',
        ip,
        '--dport',
        port,
        '-j',
        externalFilterTarget,
      ]);
  }
  // Capture load-balancer ingress.
  for (const lb of m.loadBalancerIPs) {
    if (m.hasEndpoints)
      nat(KUBE_SERVICES, 'loadbalancer-ip', [
        '-m',
        'comment',
        '--comment',
        q(`${spn} loadbalancer IP`),
        '-m',
        proto,
        '-p',
        proto,
        '-d',
        lb.value,
        '--dport',
        port,
        '-j',
        lbChain,
      ]);
    if (m.usesFirewallChain)
      filter(KUBE_PROXY_FIREWALL, 'firewall-drop', [
        '-m',
        'comment',
        '--comment',
        q(`${spn} traffic not accepted by ${fwChain}`),
        '-m',
        proto,
        '-p',
        proto,
        '-d',
        lb.value,
        '--dport',
        port,
        '-j',
        'DROP',
      ]);
  }
  if (!m.hasExternalEndpoints) {
    for (const lb of m.loadBalancerIPs)
      filter(KUBE_EXTERNAL_SERVICES, noEpRole, [
        '-m',
        'comment',
        '--comment',
        externalFilterComment,
        '-m',
        proto,
        '-p',
        proto,
        '-d',
        lb.value,
        '--dport',
        port,
        '-j',
        externalFilterTarget,
      ]);
  }
  // Capture nodeports.
  if (m.nodePort) {
    const np = String(m.nodePort.value);
    if (m.hasEndpoints) {
      if (s.localhostNodePorts && !ipv6 && s.nfacct) {
        nat(KUBE_NODEPORTS, 'nodeport-localhost', [
          '-m',
          'comment',
          '--comment',
          spn,
          '-m',
          proto,
          '-p',
          proto,
          '-d',
          '127.0.0.0/8',
          '--dport',
          np,
          '-m',
          'nfacct',
          '--nfacct-name',
          'localhost_nps_accepted_pkts',
          '-j',
          extChain,
        ]);
      }
      nat(KUBE_NODEPORTS, 'nodeport', [
        '-m',
        'comment',
        '--comment',
        spn,
        '-m',
        proto,
        '-p',
        proto,
        '--dport',
        np,
        '-j',
        extChain,
      ]);
    }
    if (!m.hasExternalEndpoints) {
      filter(KUBE_EXTERNAL_SERVICES, noEpRole, [
        '-m',
        'comment',
        '--comment',
        externalFilterComment,
        '-m',
        'addrtype',
        '--dst-type',
        'LOCAL',
        '-m',
        proto,
        '-p',
        proto,
        '--dport',
        np,
        '-j',
        externalFilterTarget,
      ]);
    }
  }
  // Capture healthCheckNodePorts.
  if (m.healthCheckNodePort) {
    filter(KUBE_NODEPORTS, 'health-check-accept', [
      '-m',
      'comment',
      '--comment',
      q(`${spn} health check node port`),
      '-m',
      'tcp',
      '-p',
      'tcp',
      '--dport',
      String(m.healthCheckNodePort.value),
      '-j',
      'ACCEPT',
    ]);
  }

  // Internal traffic: masquerade off-cluster sources reaching the ClusterIP.
  if (m.hasInternalEndpoints) {
    const args: Tok[] = [
      '-m',
      'comment',
      '--comment',
      q(`${spn} cluster IP`),
      '-m',
      proto,
      '-p',
      proto,
      '-d',
      m.clusterIP.value,
      '--dport',
      port,
    ];
    if (s.masqueradeAll) nat(m.internalChain, 'cluster-ip-masquerade', [args, '-j', KUBE_MARK_MASQ]);
    else nat(m.internalChain, 'cluster-ip-masquerade', [args, ifNotLocal, '-j', KUBE_MARK_MASQ]);
  }

  // External traffic.
  if (m.usesExternalChain) {
    natChains.push(extChain);
    if (!m.externalPolicyLocal) {
      nat(extChain, 'ext-masquerade', [
        '-m',
        'comment',
        '--comment',
        q(`masquerade traffic for ${spn} external destinations`),
        '-j',
        KUBE_MARK_MASQ,
      ]);
    } else {
      nat(extChain, 'ext-pod-shortcut', [
        '-m',
        'comment',
        '--comment',
        q(`pod traffic for ${spn} external destinations`),
        ifLocal,
        '-j',
        clusterChain,
      ]);
      nat(extChain, 'ext-local-masquerade', [
        '-m',
        'comment',
        '--comment',
        q(`masquerade LOCAL traffic for ${spn} external destinations`),
        '-m',
        'addrtype',
        '--src-type',
        'LOCAL',
        '-j',
        KUBE_MARK_MASQ,
      ]);
      nat(extChain, 'ext-local-shortcut', [
        '-m',
        'comment',
        '--comment',
        q(`route LOCAL traffic for ${spn} external destinations`),
        '-m',
        'addrtype',
        '--src-type',
        'LOCAL',
        '-j',
        clusterChain,
      ]);
    }
    if (m.hasExternalEndpoints) nat(extChain, 'ext-policy', ['-j', externalPolicyChain]);
  }

  // Firewall chain for loadBalancerSourceRanges.
  if (m.usesFirewallChain) {
    natChains.push(fwChain);
    const args: Tok[] = ['-m', 'comment', '--comment', q(`${spn} loadbalancer IP`)];
    let allowFromNode = false;
    for (const cidr of m.loadBalancerSourceRanges) {
      nat(fwChain, 'firewall-allow', [args, '-s', cidr, '-j', extChain]);
      if (s.nodeIP && cidrHolds(cidr, s.nodeIP)) allowFromNode = true;
    }
    if (allowFromNode)
      for (const lb of m.loadBalancerIPs) nat(fwChain, 'firewall-allow', [args, '-s', lb.value, '-j', extChain]);
    nat(fwChain, 'firewall-end', [
      '-m',
      'comment',
      '--comment',
      q(`other traffic to ${spn} will be dropped by KUBE-PROXY-FIREWALL`),
    ]);
  }

  if (m.usesClusterChain) {
    natChains.push(clusterChain);
    serviceToEndpointRules(nat, m, clusterChain, m.clusterEndpoints, largeCluster);
  }
  if (m.usesLocalChain) {
    natChains.push(localChain);
    serviceToEndpointRules(nat, m, localChain, m.localEndpoints, largeCluster);
  }

  // Per-endpoint chains for every endpoint reachable from this node.
  for (const ep of reachable(m)) {
    natChains.push(ep.sepChain);
    const args: Tok[] = svcComment(spn, largeCluster);
    nat(ep.sepChain, 'endpoint-hairpin', [args, '-s', ep.ip, '-j', KUBE_MARK_MASQ], ep.endpoint);
    const affinity: Tok[] = m.affinitySeconds !== undefined ? ['-m', 'recent', '--name', ep.sepChain, '--set'] : [];
    nat(
      ep.sepChain,
      'endpoint-dnat',
      [args, affinity, '-m', proto, '-p', proto, '-j', 'DNAT', '--to-destination', ep.endpoint],
      ep.endpoint,
    );
  }
  return { rules, natChains };
}

function serviceToEndpointRules(
  nat: (chain: string, role: RuleRole, t: Tok[], ep?: string) => void,
  m: Omit<ServicePortProxy, 'rules' | 'natChains'>,
  chain: string,
  eps: WeightedEndpoint[],
  largeCluster: boolean,
): void {
  if (m.affinitySeconds !== undefined) {
    for (const { endpoint: ep } of eps) {
      nat(
        chain,
        'affinity-check',
        [
          svcComment(q(`${m.spn} -> ${ep.endpoint}`), largeCluster),
          '-m',
          'recent',
          '--name',
          ep.sepChain,
          '--rcheck',
          '--seconds',
          String(m.affinitySeconds),
          '--reap',
          '-j',
          ep.sepChain,
        ],
        ep.endpoint,
      );
    }
  }
  for (const w of eps) {
    const stat: Tok[] =
      w.probability !== undefined ? ['-m', 'statistic', '--mode', 'random', '--probability', w.probability] : [];
    nat(
      chain,
      'endpoint-select',
      [svcComment(q(`${m.spn} -> ${w.endpoint.endpoint}`), largeCluster), stat, '-j', w.endpoint.sepChain],
      w.endpoint.endpoint,
    );
  }
}

/** Cluster endpoints (if the SVC chain is used) ∪ local endpoints (if SVL is), in endpoint order. */
export function reachable(
  m: Pick<
    ServicePortProxy,
    | 'usesClusterChain'
    | 'usesLocalChain'
    | 'clusterEndpoints'
    | 'localEndpoints'
    | 'internalPolicyLocal'
    | 'externalPolicyLocal'
    | 'externallyAccessible'
  >,
) {
  const usesCluster = !m.internalPolicyLocal || m.externallyAccessible;
  const usesLocal = m.internalPolicyLocal || (m.externalPolicyLocal && m.externallyAccessible);
  const byKey = new Map<string, WeightedEndpoint['endpoint']>();
  if (usesCluster) for (const w of m.clusterEndpoints) byKey.set(w.endpoint.endpoint, w.endpoint);
  if (usesLocal) for (const w of m.localEndpoints) byKey.set(w.endpoint.endpoint, w.endpoint);
  return [...byKey.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0));
}

function cidrHolds(cidr: string, ip: string): boolean {
  const c = parseCidr(cidr);
  return !!c && cidrContains(c, ip);
}

/** The rules kube-proxy writes on every sync regardless of Services (reference §2.1). */
export function scaffolding(
  s: ProxySettings,
  ipv6: boolean,
): { filter: TableRules; natHead: ProxyRule[]; natTail: ProxyRule[]; natChains: string[]; filterTail: ProxyRule[] } {
  const mark = masqueradeMark(s);
  const natHead = [
    makeRule('nat', KUBE_POSTROUTING, 'scaffold', ['-m', 'mark', '!', '--mark', `${mark}/${mark}`, '-j', 'RETURN']),
    makeRule('nat', KUBE_POSTROUTING, 'scaffold', ['-j', 'MARK', '--xor-mark', mark]),
    makeRule('nat', KUBE_POSTROUTING, 'scaffold', [
      '-m',
      'comment',
      '--comment',
      q('kubernetes service traffic requiring SNAT'),
      '-j',
      'MASQUERADE',
      s.randomFully ? ['--random-fully'] : [],
    ]),
    makeRule('nat', KUBE_MARK_MASQ, 'scaffold', ['-j', 'MARK', '--or-mark', mark]),
  ];
  const dest: Tok[] = [
    '-m',
    'addrtype',
    '--dst-type',
    'LOCAL',
    ipv6 ? ['!', '-d', '::1/128'] : !s.localhostNodePorts ? ['!', '-d', '127.0.0.0/8'] : [],
  ];
  const natTail = [
    makeRule('nat', KUBE_SERVICES, 'scaffold', [
      '-m',
      'comment',
      '--comment',
      q('kubernetes service nodeports; NOTE: this must be the last rule in this chain'),
      dest,
      '-j',
      KUBE_NODEPORTS,
    ]),
  ];
  const filterTail = [
    makeRule('filter', KUBE_FORWARD, 'scaffold', [
      '-m',
      'conntrack',
      '--ctstate',
      'INVALID',
      s.nfacct ? ['-m', 'nfacct', '--nfacct-name', 'ct_state_invalid_dropped_pkts'] : [],
      '-j',
      'DROP',
    ]),
    makeRule('filter', KUBE_FORWARD, 'scaffold', [
      '-m',
      'comment',
      '--comment',
      q('kubernetes forwarding rules'),
      '-m',
      'mark',
      '--mark',
      `${mark}/${mark}`,
      '-j',
      'ACCEPT',
    ]),
    makeRule('filter', KUBE_FORWARD, 'scaffold', [
      '-m',
      'comment',
      '--comment',
      q('kubernetes forwarding conntrack rule'),
      '-m',
      'conntrack',
      '--ctstate',
      'RELATED,ESTABLISHED',
      '-j',
      'ACCEPT',
    ]),
  ];
  const filterChains = [KUBE_SERVICES, KUBE_EXTERNAL_SERVICES, KUBE_FORWARD, KUBE_NODEPORTS, KUBE_PROXY_FIREWALL];
  if (!ipv6 && s.localhostNodePorts) {
    filterChains.push(KUBE_FIREWALL);
    filterTail.push(
      makeRule('filter', KUBE_FIREWALL, 'scaffold', [
        '-m',
        'comment',
        '--comment',
        q('block incoming localnet connections'),
        '-d',
        '127.0.0.0/8',
        '!',
        '-s',
        '127.0.0.0/8',
        '-m',
        'conntrack',
        '!',
        '--ctstate',
        'RELATED,ESTABLISHED,DNAT',
        '-j',
        'DROP',
      ]),
    );
  }
  return {
    filter: { chains: filterChains, rules: [] },
    natHead,
    natTail,
    natChains: [KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ],
    filterTail,
  };
}
