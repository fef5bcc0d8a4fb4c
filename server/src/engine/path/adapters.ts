/**
 * The tracer's only contact with the address plan and the kube-proxy model, so that their
 * shapes can change without touching the walk itself. Where those modules have no answer the
 * adapter supplies a documented default and says so (the hop text labels it "default").
 */
import { IPv4, IPv4CidrRange } from 'ip-num';
import type { Workspace } from '../workspace';
import type { Anchor } from '../parse/locate';
import { getAddressPlan } from '../plan';
import type { Encapsulation as PlanEncapsulation } from '../plan';
import type { ServiceInfo, ServicePort } from '../model/service';
import { proxySettings, servicePortProxy, restoreLine, masqueradeMark } from '../netfilter';
import type { ServicePortProxy, ProxyEndpoint, RuleRole, WeightedEndpoint } from '../netfilter';

/** A place a fact comes from, turned into a range only when a hop links to it. */
export interface Where {
  fileId: string;
  anchor: Anchor;
}

export type Encapsulation = PlanEncapsulation;

export interface PlanFacts {
  podCidr: string;
  podCidrOrigin: string;
  podCidrWhere?: Where;
  nodeMask: number;
  serviceCidr: string;
  clusterDomain: string;
  dnsServiceIP: string;
  nodeNetwork: string;
  /** Bridge on each node that pod veths are attached to (cni0 for flannel/bridge, cbr0 for kubenet); none for Calico/ptp. */
  bridge: string | undefined;
  cniPlugin: string;
  encapsulation: Encapsulation;
  /** Human description of the CNI and backend, with where it comes from. */
  cniLabel: string;
  cniWhere?: Where;
  isDefault: { podCidr: boolean; serviceCidr: boolean; cni: boolean; nodeNetwork: boolean };
}

const DEFAULT_POD_CIDR = '10.244.0.0/16';
const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
const DEFAULT_NODE_NETWORK = '192.168.49.0/24';

const ORIGIN_WORDS: Record<string, string> = {
  declared: 'declared',
  setting: 'setting',
  default: 'default',
  assumed: 'assumed default',
};

/**
 * The parts of the cluster address plan (issue 3's model) a path needs: the IPv4 pod CIDR and
 * node block mask, service CIDR and DNS IP, node network, and the primary CNI's bridge and
 * encapsulation. Anything the plan lacks falls back to a labelled default.
 */
export function planFacts(ws: Workspace): PlanFacts {
  const plan = getAddressPlan(ws);
  const pod = plan.podCIDRs.find(e => e.cidr.family === 4);
  const svc = plan.serviceCIDRs.find(e => e.cidr.family === 4);
  const node = plan.nodeNetworks.find(e => e.cidr.family === 4);
  const cni = plan.cni[0];
  const podCidr = pod?.cidr.network ?? DEFAULT_POD_CIDR;
  const serviceCidr = svc?.cidr.network ?? DEFAULT_SERVICE_CIDR;
  const mask = plan.nodeMask.ipv4.value;
  const encapsulation: Encapsulation = cni?.encapsulation ?? 'vxlan';
  const plugin = cni?.plugin ?? 'flannel';
  return {
    podCidr,
    podCidrOrigin: pod ? `${pod.label}, ${ORIGIN_WORDS[pod.origin] ?? pod.origin}` : 'default',
    podCidrWhere: pod?.source,
    nodeMask: Math.max(mask, Number(podCidr.split('/')[1])),
    serviceCidr,
    clusterDomain: plan.clusterDomain.value || 'cluster.local',
    dnsServiceIP: nthAddress(serviceCidr, 10),
    nodeNetwork: node?.cidr.network ?? DEFAULT_NODE_NETWORK,
    bridge: cni ? cni.bridge : 'cni0',
    cniPlugin: plugin,
    encapsulation,
    cniLabel: cni
      ? `${plugin}, ${encapsulation}${cni.origin === 'declared' ? '' : ` (${ORIGIN_WORDS[cni.origin] ?? cni.origin})`}`
      : 'flannel VXLAN (default: no CNI configuration in the workspace)',
    cniWhere: cni?.source,
    isDefault: {
      podCidr: !pod || pod.origin !== 'declared',
      serviceCidr: !svc || svc.origin !== 'declared',
      cni: !cni || cni.origin !== 'declared',
      nodeNetwork: !node,
    },
  };
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
