/**
 * kube-proxy model: what kube-proxy (1.31+) programs on one node for the Services of the
 * workspace, in iptables, nftables and IPVS mode (reference/kube-proxy.md, DESIGN §7).
 *
 * Stable API for other features (hover, CLI, traffic-path tracer):
 *   - `proxySettings(ws, overrides?)`   node/mode/CIDR settings with provenance
 *   - `serviceProxy(ws, svc, settings)` one Service: per-port models (rules, endpoints, chains)
 *   - `servicePortProxy(...)`           one Service port
 *   - `nodeProxy(ws, settings, svcs?)`  the whole node: per-Service models + complete tables
 *   - chain-name helpers (`iptablesChainNames`, `sepChainName`, `nftChainNames`, …)
 *   - renderings: `renderRestore`, `renderSave`, `renderNft`, `renderIpvs`, `renderRules`
 * All functions are pure: they read the workspace and never mutate it.
 */
import type { Workspace } from '../workspace';
import type { ServiceInfo, ServicePort } from '../model/service';
import { buildNode, workspaceServices } from './node';
import { buildService, buildServicePort } from './build';
import type { NodeProxy, ServicePortProxy, ServiceProxy } from './model';
import type { ProxySettings } from './settings';

export type {
  EndpointSource,
  MaybeIllustrative,
  NodeProxy,
  ProxyEndpoint,
  ProxyRule,
  RuleRole,
  RuleTable,
  ServicePortProxy,
  ServiceProxy,
  TableRules,
  WeightedEndpoint,
} from './model';
export type { ProxyMode, ProxyOverrides, ProxySettings, Sourced } from './settings';
export { proxySettings, masqueradeMark } from './settings';
export {
  servicePortName,
  servicePortHash,
  iptablesChainNames,
  sepChainName,
  joinHostPort,
  nftChainNames,
  nftEndpointNames,
} from './names';
export type { IptablesChainNames, NftChainNames } from './names';
export { computeProbability, saveProbability, probabilitySequence } from './probability';
export { renderRestore, restoreLine, sortRestore } from './restore';
export { renderSave, saveLine, restoreLineToSave, xtablesQuote } from './save';
export { selectedTemplates, resolveTargetPort } from './endpoints';
export { workspaceServices } from './node';

/** kube-proxy's view of one Service on the node in `settings` (ports, or why it is skipped). */
export function serviceProxy(ws: Workspace, svc: ServiceInfo, settings: ProxySettings): ServiceProxy {
  return buildService(ws, svc, settings);
}

/** One Service port: ordered iptables rules, endpoints with probabilities, chain usage, notes. */
export function servicePortProxy(
  ws: Workspace,
  svc: ServiceInfo,
  port: ServicePort,
  settings: ProxySettings,
): ServicePortProxy {
  return buildServicePort(ws, svc, port, settings);
}

/** The whole node (all Services, or the given ones) with complete filter/nat tables. */
export function nodeProxy(ws: Workspace, settings: ProxySettings, services?: ServiceInfo[]): NodeProxy {
  return buildNode(ws, settings, services ?? workspaceServices(ws));
}

/** Finds a Service by `ns/name` (or `name` in the default namespace). */
export function findService(ws: Workspace, ref: string): ServiceInfo | undefined {
  const [ns, name] = ref.includes('/') ? ref.split('/', 2) : [ws.configuration.defaultNamespace, ref];
  return [...ws.cluster.services(ns, name)][0];
}
export { renderRules } from './render';
export type { RuleSyntax } from './render';
export { renderNft, nftLinesForPort } from './nftables';
export { renderIpvs, ipvsLinesForPort } from './ipvs';
