/**
 * What a policy does to the unit's workloads, for hovers and code lenses: the workloads its
 * subject selects and those each `from` / `to` peer admits, computed with the connectivity
 * engine's compiled policies and matchers (one reading of the policy for the whole product).
 */
import type { Workspace } from '../workspace';
import type { Resource } from '../model/resource';
import type { Path } from '../parse/locate';
import { connectivityOf } from '../connectivity';
import type { ConnectivityModel, Policy, RulePeer, Workload } from '../connectivity';
import { podMatches } from '../connectivity/matchers';

const NS_NAME = 'kubernetes.io/metadata.name';

function nsLabels(model: ConnectivityModel, ns: string): Readonly<Record<string, string>> {
  return model.namespaces.get(ns) ?? { [NS_NAME]: ns };
}

/** The compiled policy of a resource (NetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy). */
export function policyFor(ws: Workspace, r: Resource): { model: ConnectivityModel; policy: Policy } | undefined {
  if (!/^(NetworkPolicy|AdminNetworkPolicy|BaselineAdminNetworkPolicy)$/.test(r.kind)) return undefined;
  const model = connectivityOf(ws);
  const policy = model.policies.all.find(p => p.resource === r || p.resource.id === r.id);
  return policy ? { model, policy } : undefined;
}

export function selectedWorkloads(model: ConnectivityModel, p: Policy): Workload[] {
  return model.workloads.filter(w => podMatches(p.subject, w.namespace, nsLabels(model, w.namespace), w.labels));
}

/** Workloads a peer names (pods peers only: ipBlock and networks name addresses outside the cluster). */
export function peerWorkloads(model: ConnectivityModel, peer: RulePeer): Workload[] {
  if (peer.kind !== 'pods') return [];
  return model.workloads.filter(w => podMatches(peer.matcher, w.namespace, nsLabels(model, w.namespace), w.labels));
}

/** Workloads admitted by any rule of the policy (sources for ingress, destinations for egress). */
export function admittedWorkloads(model: ConnectivityModel, p: Policy): { workloads: Workload[]; anyPeer: boolean } {
  const out = new Set<Workload>();
  let anyPeer = false;
  for (const r of [...(p.ingress ?? []), ...(p.egress ?? [])]) {
    if (r.action !== 'Allow') continue;
    if (r.anyPeer) anyPeer = true;
    for (const peer of r.peers) for (const w of peerWorkloads(model, peer)) out.add(w);
  }
  return { workloads: anyPeer ? [...model.workloads] : [...out], anyPeer };
}

/** The peer whose YAML holds `path` (a hover inside `from[j]` / `to[j]`). */
export function peerAt(p: Policy, path: Path): { peer: RulePeer; direction: 'Ingress' | 'Egress' } | undefined {
  for (const [direction, rules] of [
    ['Ingress', p.ingress ?? []],
    ['Egress', p.egress ?? []],
  ] as const)
    for (const r of rules)
      for (const peer of r.peers) {
        const a = peer.source.anchor;
        if ('path' in a && a.path.length <= path.length && a.path.every((s, i) => path[i] === s))
          return { peer, direction };
      }
  return undefined;
}
