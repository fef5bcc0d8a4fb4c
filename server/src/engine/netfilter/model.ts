import type { ServiceInfo, ServicePort } from '../model/service';
import type { Protocol } from '../model/workload';
import type { IptablesChainNames, NftChainNames } from './names';
import type { ProxySettings } from './settings';

/** Where a fact about an endpoint comes from. */
export type EndpointSource = 'EndpointSlice' | 'Endpoints' | 'illustrative';

/** One endpoint of one Service port, as kube-proxy sees it. */
export interface ProxyEndpoint {
  ip: string;
  /** The endpoint port: the EndpointSlice port number, i.e. the targetPort resolved for this pod. */
  port: number;
  /** `ip:port` / `[ip]:port`: kube-proxy sorts by this string and hashes it into the KUBE-SEP name. */
  endpoint: string;
  nodeName: string | undefined;
  /** nodeName equals the node whose rules are shown. */
  local: boolean;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  /** Real (from an EndpointSlice/Endpoints in the workspace) or synthesised from a pod template. */
  source: EndpointSource;
  /** The resource that yields this endpoint (the slice, or the workload whose template it stamps out). */
  origin: { kind: string; namespace: string; name: string; fileId: string; resourceId: string };
  /** Illustrative pod name (`<workload>-<i>`) for synthesised endpoints. */
  podName?: string;
  /** iptables `KUBE-SEP-…`. */
  sepChain: string;
  /** nftables `endpoint-…` chain and `affinity-…` set. */
  nftChain: string;
  nftAffinitySet: string;
}

/** An endpoint's place in a SVC/SVL chain: its statistic rule and its real share of new connections. */
export interface WeightedEndpoint {
  endpoint: ProxyEndpoint;
  /** `--probability` as kube-proxy writes it (10 digits); undefined for the final rule. */
  probability: string | undefined;
  /** The same as `iptables-save` prints it (11 digits). */
  saveProbability: string | undefined;
  /** Fraction of new connections that end here (1/n for every endpoint). */
  share: number;
}

export type RuleTable = 'nat' | 'filter';

/** What a rule does for the Service, so explanations and the path tracer need not parse text. */
export type RuleRole =
  | 'cluster-ip'
  | 'cluster-ip-masquerade'
  | 'external-ip'
  | 'loadbalancer-ip'
  | 'nodeport'
  | 'nodeport-localhost'
  | 'ext-masquerade'
  | 'ext-pod-shortcut'
  | 'ext-local-masquerade'
  | 'ext-local-shortcut'
  | 'ext-policy'
  | 'firewall-allow'
  | 'firewall-end'
  | 'firewall-drop'
  | 'affinity-check'
  | 'endpoint-select'
  | 'endpoint-hairpin'
  | 'endpoint-dnat'
  | 'reject-no-endpoints'
  | 'drop-no-local-endpoints'
  | 'health-check-accept'
  | 'scaffold';

/** One `-A` line of `iptables-restore` input. */
export interface ProxyRule {
  table: RuleTable;
  chain: string;
  /** Tokens after `-A <chain>`, exactly as kube-proxy writes them (comments keep their quotes). */
  args: string[];
  /** `-j` target (chain or verdict), if any. */
  target: string | undefined;
  /** The comment text without quotes. */
  comment: string | undefined;
  role: RuleRole;
  /** Endpoint this rule is about (select / hairpin / DNAT / affinity rules). */
  endpoint?: string;
}

/** A value the manifest gives, or one filled in for illustration (then say so). */
export interface MaybeIllustrative<T> {
  value: T;
  illustrative: boolean;
  note?: string;
}

/** Everything kube-proxy on one node does for one Service port. */
export interface ServicePortProxy {
  service: ServiceInfo;
  port: ServicePort;
  namespace: string;
  name: string;
  portName: string | undefined;
  protocol: Protocol;
  /** Lowercase protocol as it appears in rules. */
  proto: string;
  /** kube-proxy's service port name (`ns/name[:port]`), used in comments and hashes. */
  spn: string;
  servicePort: number;
  clusterIP: MaybeIllustrative<string>;
  nodePort: MaybeIllustrative<number> | undefined;
  healthCheckNodePort: MaybeIllustrative<number> | undefined;
  externalIPs: string[];
  loadBalancerIPs: MaybeIllustrative<string>[];
  loadBalancerSourceRanges: string[];
  chains: IptablesChainNames;
  nftChains: NftChainNames;
  /** Every endpoint known for this port, in kube-proxy's order (string sort of `ip:port`). */
  endpoints: ProxyEndpoint[];
  endpointSource: EndpointSource | 'none';
  /** Endpoints behind KUBE-SVC (Cluster policy) with their probabilities. */
  clusterEndpoints: WeightedEndpoint[];
  /** Endpoints behind KUBE-SVL (Local policy: this node's endpoints). */
  localEndpoints: WeightedEndpoint[];
  internalPolicyLocal: boolean;
  externalPolicyLocal: boolean;
  externallyAccessible: boolean;
  hasEndpoints: boolean;
  hasInternalEndpoints: boolean;
  hasExternalEndpoints: boolean;
  usesClusterChain: boolean;
  usesLocalChain: boolean;
  usesExternalChain: boolean;
  usesFirewallChain: boolean;
  /** ClientIP affinity timeout in seconds, when sessionAffinity is ClientIP. */
  affinitySeconds: number | undefined;
  /** Chain ClusterIP traffic jumps to (KUBE-SVC or KUBE-SVL). */
  internalChain: string;
  /** iptables rules (nat and filter) for this port, in kube-proxy's write order per table. */
  rules: ProxyRule[];
  /** Nat chains this port creates, in declaration order. */
  natChains: string[];
  /** Plain-language caveats: which facts are illustrative, dropped pods, unassigned values. */
  notes: string[];
}

/** One Service: its ports, or why kube-proxy ignores it. */
export interface ServiceProxy {
  service: ServiceInfo;
  namespace: string;
  name: string;
  /** Set when kube-proxy programs nothing (headless, ExternalName, no ports). */
  skipped: string | undefined;
  ports: ServicePortProxy[];
}

/** What kube-proxy programs on one node for the whole workspace (or a subset of Services). */
export interface NodeProxy {
  settings: ProxySettings;
  services: ServiceProxy[];
  /** Complete tables in kube-proxy's write order, scaffolding included. */
  tables: { filter: TableRules; nat: TableRules };
  /** Total endpoints across Services; above 1000 kube-proxy drops SEP comments. */
  largeCluster: boolean;
  /** True when every Service is IPv6 (the tables are then ip6tables tables). */
  ipv6: boolean;
}

export interface TableRules {
  chains: string[];
  rules: ProxyRule[];
}
