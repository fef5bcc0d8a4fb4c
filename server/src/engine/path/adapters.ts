/**
 * The tracer's only contact with the address plan and the kube-proxy model, so that their
 * shapes can change without touching the walk itself. Where those modules have no answer the
 * adapter supplies a documented default and says so (the hop text labels it "default").
 */
import { IPv4, IPv4CidrRange } from 'ip-num';
import type { Workspace } from '../workspace';
import type { Anchor } from '../parse/locate';
import type { ServiceInfo, ServicePort } from '../model/service';
import { proxySettings, servicePortProxy, restoreLine, masqueradeMark } from '../netfilter';
import type { ServicePortProxy, ProxyEndpoint, RuleRole, WeightedEndpoint } from '../netfilter';

/** A place a fact comes from, turned into a range only when a hop links to it. */
export interface Where { fileId: string; anchor: Anchor }

export type Encapsulation = 'vxlan' | 'ipip' | 'host-gw' | 'direct' | 'unknown';

export interface PlanFacts {
  podCidr: string;
  podCidrOrigin: string;
  podCidrWhere?: Where;
  nodeMask: number;
  serviceCidr: string;
  clusterDomain: string;
  dnsServiceIP: string;
  nodeNetwork: string;
  /** Bridge on each node that pod veths are attached to (cni0 for flannel/bridge, cbr0 for kubenet). */
  bridge: string;
  encapsulation: Encapsulation;
  /** Human name of the CNI/backend ("flannel vxlan (default)"). */
  cniLabel: string;
  cniWhere?: Where;
  isDefault: { podCidr: boolean; serviceCidr: boolean; cni: boolean; nodeNetwork: boolean };
}

const DEFAULT_POD_CIDR = '10.244.0.0/16';
const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
const DEFAULT_NODE_NETWORK = '192.168.49.0/24';

function str(v: unknown): string | undefined { return typeof v === 'string' && v ? v : undefined; }

/**
 * The parts of the cluster address plan a path needs. User settings (`plan:` in
 * .kube-netlint.yaml, kubeNetlint.plan.* in VS Code) win over the built-in defaults.
 */
export function planFacts(ws: Workspace): PlanFacts {
  const extra = ws.configuration.extra;
  const plan = (typeof extra.plan === 'object' && extra.plan !== null ? extra.plan : {}) as Record<string, unknown>;
  const podCidr = validCidr(str(plan.podCidr) ?? str(plan.podCIDR)) ?? DEFAULT_POD_CIDR;
  const serviceCidr = validCidr(str(plan.serviceCidr) ?? str(plan.serviceCIDR)) ?? DEFAULT_SERVICE_CIDR;
  const nodeNetworks = Array.isArray(plan.nodeNetworks) ? plan.nodeNetworks.map(str).filter((x): x is string => !!x) : [];
  const nodeNetwork = validCidr(nodeNetworks[0] ?? str(plan.nodeNetwork)) ?? DEFAULT_NODE_NETWORK;
  const mask = typeof plan.nodeCidrMaskSize === 'number' && plan.nodeCidrMaskSize >= 8 && plan.nodeCidrMaskSize <= 30 ? plan.nodeCidrMaskSize : 24;
  const backend = str(plan.cniBackend)?.toLowerCase();
  const encapsulation: Encapsulation = backend === 'host-gw' ? 'host-gw' : backend === 'ipip' ? 'ipip' : backend === 'direct' ? 'direct' : 'vxlan';
  const domain = str(plan.clusterDomain) ?? 'cluster.local';
  return {
    podCidr,
    podCidrOrigin: podCidr === DEFAULT_POD_CIDR && !plan.podCidr ? 'default (flannel/kubeadm convention)' : 'setting plan.podCidr',
    nodeMask: Math.max(mask, Number(podCidr.split('/')[1])),
    serviceCidr,
    clusterDomain: domain,
    dnsServiceIP: str(plan.dnsServiceIP) ?? nthAddress(serviceCidr, 10),
    nodeNetwork,
    bridge: str(plan.bridge) ?? 'cni0',
    encapsulation,
    cniLabel: backend ? `${backend} (setting plan.cniBackend)` : 'flannel VXLAN (default)',
    isDefault: { podCidr: !plan.podCidr && !plan.podCIDR, serviceCidr: !plan.serviceCidr && !plan.serviceCIDR, cni: !backend, nodeNetwork: nodeNetworks.length === 0 && !plan.nodeNetwork },
  };
}

function validCidr(s: string | undefined): string | undefined {
  if (!s) return undefined;
  try { IPv4CidrRange.fromCidr(s); return s; } catch { return undefined; }
}

/** The n-th address of a range (10 → the conventional cluster DNS IP of the service CIDR). */
export function nthAddress(cidr: string, n: number): string {
  const r = IPv4CidrRange.fromCidr(cidr);
  return IPv4.fromNumber(r.getFirst().getValue() + BigInt(n)).toString();
}

/** The node's pod block: block `index` of the pod CIDR at the node mask. */
export function nodePodBlock(plan: PlanFacts, index: number): string {
  const r = IPv4CidrRange.fromCidr(plan.podCidr);
  const size = 2n ** BigInt(32 - plan.nodeMask);
  const base = r.getFirst().getValue() + size * BigInt(index);
  return `${IPv4.fromNumber(base).toString()}/${plan.nodeMask}`;
}

export function nodeAddress(plan: PlanFacts, index: number): string {
  return nthAddress(plan.nodeNetwork, 10 + index);
}

/** The block (at the node mask) an address belongs to, or undefined for addresses outside the pod CIDR. */
export function blockOf(plan: PlanFacts, ip: string): string | undefined {
  try {
    const a = IPv4.fromString(ip).getValue();
    const pod = IPv4CidrRange.fromCidr(plan.podCidr);
    if (a < pod.getFirst().getValue() || a > pod.getLast().getValue()) return undefined;
    const size = 2n ** BigInt(32 - plan.nodeMask);
    return `${IPv4.fromNumber(a - (a % size)).toString()}/${plan.nodeMask}`;
  } catch {
    return undefined;
  }
}

/**
 * kube-proxy's view of one Service port on the node where the packet is (issue 4's model): chain
 * names, ClusterIP, nodePort and LB addresses (illustrative when the YAML leaves them to the API
 * server or the cloud), endpoints in kube-proxy order with their probabilities, and the rules.
 */
export function proxyPort(ws: Workspace, svc: ServiceInfo, sp: ServicePort, onNode: string): ServicePortProxy {
  return servicePortProxy(ws, svc, sp, proxySettings(ws, { nodeName: onNode }));
}

/** The restore-syntax lines of the rules playing `role` (optionally for one endpoint), filter-table ones marked. */
export function ruleLines(pp: ServicePortProxy, role: RuleRole, endpoint?: string): string[] {
  return pp.rules
    .filter(r => r.role === role && (endpoint === undefined || r.endpoint === endpoint))
    .map(r => `${restoreLine(r)}${r.table === 'filter' ? '   (filter table)' : ''}`);
}

export function masqMark(ws: Workspace): string {
  return masqueradeMark(proxySettings(ws));
}

export type { ServicePortProxy, ProxyEndpoint, WeightedEndpoint };
