import type { Workspace } from '../workspace';
import { isObj } from '../model/resource';
import { parseCidr } from './ipaddr';
import { getAddressPlan } from '../plan';
import type { PlanEntry } from '../plan';

export type ProxyMode = 'iptables' | 'nftables' | 'ipvs';

/** A value and where it came from, so explanations can say which facts are assumptions. */
export interface Sourced<T> {
  value: T;
  source: string;
  assumed: boolean;
}

/**
 * What kube-proxy on one node needs to know that manifests do not say (reference §6). Read
 * from `extra.proxy` (`.kube-netlint.yaml` `proxy:` or VS Code `kubeNetlint.proxy.*`), with
 * the pod/service CIDR taken from the address plan when there is one.
 */
export interface ProxySettings {
  mode: ProxyMode;
  /** The node whose rules are shown; endpoints with this nodeName are "local". */
  nodeName: string;
  /** The node's own IP (only matters for loadBalancerSourceRanges that contain it). */
  nodeIP: string | undefined;
  /** Local-traffic detector (`--cluster-cidr`): `! -s <cidr>` on the masquerade rules. */
  clusterCIDR: Sourced<string>;
  /** Where illustrative ClusterIPs come from. */
  serviceCIDR: Sourced<string>;
  clusterDomain: string;
  /** Per-node pod CIDR prefix (IPv4) used to place illustrative pod IPs (kube-controller-manager default 24). */
  nodeMask: number;
  masqueradeAll: boolean;
  masqueradeBit: number;
  /** `--iptables-localhost-nodeports` (default true). */
  localhostNodePorts: boolean;
  /** nfacct counters present (kube-proxy ≥ 1.29 on a kernel with nfnetlink_acct). */
  nfacct: boolean;
  /** iptables supports `--random-fully` (any iptables ≥ 1.6.2). */
  randomFully: boolean;
  ipvsScheduler: string;
  /** Hash unnamed ports as `ns/name:` (kube-proxy before ~1.19). */
  legacyUnnamedPorts: boolean;
  /** Illustrative node count for endpoints synthesised from pod templates. */
  nodes: number;
  /**
   * Fill in what the API server or cloud would assign (nodePort, healthCheckNodePort, LB
   * ingress IP) with illustrative values. Off reproduces kube-proxy's unit-test fakes.
   */
  illustrativeAllocations: boolean;
  nodePortRange: [number, number];
}

/** Overrides a caller (the CLI flags, a request) applies on top of the workspace settings. */
export type ProxyOverrides = Partial<Pick<ProxySettings, 'mode' | 'nodeName'>> & { clusterCIDR?: string };

const DEFAULT_POD_CIDR = '10.244.0.0/16';
const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';

/** The one place that asks the address plan (plan/index.ts) for the pod and service CIDRs. */
function planCidrs(ws: Workspace): {
  pod?: Sourced<string>;
  service?: Sourced<string>;
  clusterDomain?: string;
  nodeMask?: number;
} {
  try {
    const plan = getAddressPlan(ws);
    const sourced = (e: PlanEntry | undefined): Sourced<string> | undefined =>
      e && {
        value: e.cidr.network,
        source: `address plan: ${e.label}${e.origin === 'declared' ? '' : ` (${e.origin})`}`,
        assumed: e.origin === 'assumed' || e.origin === 'default',
      };
    const v4 = (es: PlanEntry[]) => es.find(e => e.cidr.family === 4) ?? es[0];
    return {
      pod: sourced(v4(plan.podCIDRs)),
      service: sourced(v4(plan.serviceCIDRs)),
      clusterDomain: plan.clusterDomain.value,
      nodeMask: plan.nodeMask.ipv4.value,
    };
  } catch {
    // The proxy view must keep working even if the plan cannot be computed.
    return {};
  }
}

export function proxySettings(ws: Workspace, overrides: ProxyOverrides = {}): ProxySettings {
  const raw = ws.configuration.extra.proxy;
  const p = isObj(raw) ? raw : {};
  const str = (k: string) =>
    typeof p[k] === 'string' && (p[k] as string).trim() ? (p[k] as string).trim() : undefined;
  const bool = (k: string, d: boolean) => (typeof p[k] === 'boolean' ? (p[k] as boolean) : d);
  const num = (k: string, d: number, ok: (n: number) => boolean) =>
    typeof p[k] === 'number' && ok(p[k] as number) ? (p[k] as number) : d;
  const plan = planCidrs(ws);
  const modeRaw = overrides.mode ?? str('mode');
  const mode: ProxyMode = modeRaw === 'nftables' || modeRaw === 'ipvs' ? modeRaw : 'iptables';
  const cidrSetting = (k: string) => {
    const v = str(k);
    return v && parseCidr(v) ? v : undefined;
  };
  const clusterCIDR: Sourced<string> =
    overrides.clusterCIDR && parseCidr(overrides.clusterCIDR)
      ? { value: overrides.clusterCIDR, source: '--cluster-cidr', assumed: false }
      : cidrSetting('clusterCIDR')
        ? { value: cidrSetting('clusterCIDR')!, source: 'setting proxy.clusterCIDR', assumed: false }
        : (plan.pod ?? {
            value: DEFAULT_POD_CIDR,
            source: 'default (flannel/kubeadm 10.244.0.0/16; set proxy.clusterCIDR)',
            assumed: true,
          });
  const serviceCIDR: Sourced<string> = cidrSetting('serviceCIDR')
    ? { value: cidrSetting('serviceCIDR')!, source: 'setting proxy.serviceCIDR', assumed: false }
    : (plan.service ?? {
        value: DEFAULT_SERVICE_CIDR,
        source: 'default (kubeadm 10.96.0.0/12; set proxy.serviceCIDR)',
        assumed: true,
      });
  return {
    mode,
    nodeName: overrides.nodeName ?? str('nodeName') ?? 'node-1',
    nodeIP: str('nodeIP'),
    clusterCIDR,
    serviceCIDR,
    clusterDomain: str('clusterDomain') ?? plan.clusterDomain ?? 'cluster.local',
    nodeMask: plan.nodeMask && plan.nodeMask >= 8 && plan.nodeMask <= 30 ? plan.nodeMask : 24,
    masqueradeAll: bool('masqueradeAll', false),
    masqueradeBit: num('masqueradeBit', 14, n => Number.isInteger(n) && n >= 0 && n <= 31),
    localhostNodePorts: bool('localhostNodePorts', true),
    nfacct: bool('nfacct', true),
    randomFully: bool('randomFully', true),
    ipvsScheduler: str('ipvsScheduler') ?? 'rr',
    legacyUnnamedPorts: bool('legacyUnnamedPorts', false),
    nodes: num('nodes', 3, n => Number.isInteger(n) && n >= 1 && n <= 1000),
    illustrativeAllocations: bool('illustrativeAllocations', true),
    nodePortRange: ws.configuration.nodePortRange,
  };
}

/** `0x4000` for bit 14, as kube-proxy formats its masquerade mark. */
export function masqueradeMark(s: ProxySettings): string {
  return `0x${((1 << s.masqueradeBit) >>> 0).toString(16)}`;
}
