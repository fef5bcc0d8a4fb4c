import type { Anchor } from '../parse/locate';
import type { Cidr } from './cidr';

/**
 * What a range is for. `pod` covers every declaration of the cluster's pod network (kubeadm
 * podSubnet, kube-proxy clusterCIDR, flannel Network, Calico/Cilium/Weave pools); `cni` is a
 * subnet in a node's CNI config file; `multus` a secondary network of a NetworkAttachmentDefinition.
 */
export type Role = 'pod' | 'service' | 'node' | 'docker-bridge' | 'docker-pool' | 'cni' | 'multus';

/** Where a value came from: a file, a user setting, a documented default of a component in play, or our own assumption. */
export type Origin = 'declared' | 'setting' | 'default' | 'assumed';

/** Who reads the value (used in messages and to decide what must agree with what). */
export type Component =
  | 'kubeadm'
  | 'kind'
  | 'kube-proxy'
  | 'kube-controller-manager'
  | 'flannel'
  | 'calico'
  | 'cilium'
  | 'weave'
  | 'docker'
  | 'cni'
  | 'multus'
  | 'settings'
  | 'kubernetes'
  | 'k3s';

export interface Source {
  fileId: string;
  anchor: Anchor;
}

export interface PlanEntry {
  /** Stable within one plan. */
  id: number;
  cidr: Cidr;
  role: Role;
  component: Component;
  /** E.g. "kubeadm networking.podSubnet", "flannel net-conf.json Network". */
  label: string;
  origin: Origin;
  /** Absent for settings and defaults nobody wrote down. */
  source?: Source;
  /**
   * '' for sources shared by the whole workspace; otherwise the fileId of the cluster
   * definition (kind Cluster / kubeadm config) it belongs to. Several cluster definitions in
   * one workspace are alternatives (or separate clusters) and are never compared with each other.
   */
  scope: string;
  /** For pod ranges: who hands out pod addresses from it. */
  ipam?: 'kcm' | 'cni';
  /** Per-node block prefix the owner carves from it (Calico blockSize, flannel SubnetLen, Cilium mask). */
  blockMask?: number;
  /** Why a default applies, for defaults and assumptions. */
  note?: string;
  /** CNI product for pod pools (flannel, calico, …) and for `cni` entries the network name. */
  owner?: string;
  /** Calico's implicit pool applies only when no cluster pod subnet (kubeadm podSubnet) is declared. */
  yieldsToClusterPodSubnet?: boolean;
  /** Where the block mask was written, when it was. */
  blockMaskSource?: Source;
}

export type Encapsulation = 'vxlan' | 'ipip' | 'host-gw' | 'wireguard' | 'udp' | 'geneve' | 'none' | 'unknown';

/** How pod traffic leaves a node, for the traffic tracer. */
export interface CniMode {
  plugin: string;
  /** Linux bridge pods are attached to (cni0, cbr0, …) when the plugin uses one. */
  bridge?: string;
  encapsulation: Encapsulation;
  mtu?: number;
  origin: Origin;
  source?: Source;
}

export interface Setting<T> {
  value: T;
  origin: Origin;
  source?: Source;
  label: string;
}

/** A network config (conflist or single-plugin .conf) found in a file or embedded in a resource. */
export interface CniNetworkSummary {
  name?: string;
  fileId: string;
  where: string;
  pluginTypes: string[];
  /** file: a node CNI config; configmap: one a DaemonSet installs; nad: a Multus secondary network; delegate: inside a multus config. */
  context: 'file' | 'configmap' | 'nad' | 'delegate';
  bridge?: string;
  subnets: Cidr[];
}

/**
 * The cluster's address plan: every range with provenance, plus the derived facts other
 * features need (effective pod/service CIDRs, node block mask, cluster domain, CNI mode).
 */
export interface AddressPlan {
  entries: PlanEntry[];
  /** Effective pod networks, one per family at most per scope; declared first, then defaults, then an assumption. */
  podCIDRs: PlanEntry[];
  serviceCIDRs: PlanEntry[];
  nodeNetworks: PlanEntry[];
  nodeMask: { ipv4: Setting<number>; ipv6: Setting<number> };
  clusterDomain: Setting<string>;
  /** First is the primary CNI (the one pods get their eth0 from). */
  cni: CniMode[];
  networks: CniNetworkSummary[];
  /** Cluster definitions (kind/kubeadm files) seen; more than one means alternatives. */
  scopes: string[];
}
