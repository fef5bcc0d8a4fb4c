/**
 * Connectivity: who may talk to whom in one analysis unit, per protocol and port.
 *
 * Entry point: `connectivityOf(ws)` returns the `ConnectivityModel` of one Workspace (one
 * cluster). It is cached on the workspace and rebuilt only when the unit's resources changed;
 * answers are computed per equivalence class of workloads, on demand.
 *
 * Vocabulary
 * - Workload: pods grouped by owner, `ns/name[Kind]` (Deployment, StatefulSet, …, a live pod's
 *   `ownerReferences` controller such as `[ReplicaSet]`, a bare `[Pod]`, a KubeVirt
 *   `[VirtualMachine]`). `model.workloads`, `model.workload(id)`, `model.findEndpoints(text)`.
 * - External range: an IPv4 range outside the cluster that every policy treats alike,
 *   `first-last[External]` (`model.externalSources` / `model.externalDestinations`; ipBlock and
 *   admin `networks` name addresses outside the cluster — pods are matched by selectors, as in
 *   netpol-analyzer and per the Kubernetes docs' advice that ipBlock be cluster-external).
 * - `{ingress-controller}`: the source of traffic admitted through Ingress and OpenShift Route
 *   objects (`model.exposure` says which ports each workload exposes that way).
 * - Endpoint: `{kind: 'workload'|'external'|'ingress-controller'}` for things in the model, or a
 *   hypothetical `{kind: 'pod', namespace, labels, ports?}` / `{kind: 'address', ip}` to ask
 *   "would this be allowed" for something that does not exist yet.
 *
 * Questions
 * - `model.allowed(src, dst)` → `Connections` (per-protocol port sets: `isEmpty()`, `isAll()`,
 *   `has('TCP', 443)`, `ranges('UDP')`, `toString()` in netpol-analyzer notation).
 * - `model.explain(src, dst, {protocol, start, end?}?)` → per direction (egress decided by the
 *   source's policies, ingress by the destination's) the decisions: which connections, allowed
 *   / denied / passed, by which tier (AdminNetworkPolicy, NetworkPolicy, Baseline, default),
 *   policy and rule — each with a `SourceRef` (`fileId` + anchor; `ws.rangeIn(fileId, anchor)`
 *   gives the YAML range).
 * - `model.connections({focus?})` → every allowed connection in netpol-analyzer's order
 *   (`model.connectionsOf(workload)`: those into and out of one workload);
 *   `formatConnections(model, list, 'txt'|'json'|'csv'|'md'|'dot')` prints it,
 *   `formatExplanation(explanation, where)` an explanation.
 * - `model.workloadsSelectedBy(policy)`, `model.workloadsMatching(rulePeer)`: what a policy's
 *   subject selects and a rule's peer admits (hovers, code lenses).
 * - `diffConnections(before.connections(), after.connections())` → added / removed / changed
 *   connections between two models (two trees).
 * - `model.warnings`: what was ignored (invalid peers, tied priorities, unusable networks).
 *
 * Semantics (Network Policy API): AdminNetworkPolicy (by priority; Allow/Deny final, Pass
 * skips to NetworkPolicies) > NetworkPolicy (isolating, additive) > BaselineAdminNetworkPolicy
 * > allow; both directions must allow. See evaluate.ts and policies.ts.
 */
import type { Workspace } from '../workspace';
import { MatcherRegistry } from './matchers';
import { FeatureIndex } from './features';
import { ConnectivityModel } from './model';
import { connectivityResources } from './sources';
import { resourceChange } from './changes';
import type { Resource } from '../model/resource';
import { formatConnections } from './format';

export { ConnectivityModel, INGRESS_CONTROLLER } from './model';
export type { Connection, Endpoint, ExternalRange, Explanation, DirectionExplanation } from './model';
export { Connections, PROTOCOLS } from './ports';
export type { Protocol } from './ports';
export type { Workload, WorkloadPort } from './workloads';
export type { Policy, Rule, RulePeer, RulePort, Direction, Action } from './policies';
export { displayPolicy } from './policies';
export type { Decision, Verdict } from './evaluate';
export type { SourceRef } from './types';
export type { Exposure, ExposureSource } from './exposure';
export type { NetworkAssignment } from './networks';
export { formatConnections, formatExplanation, explanationJson, FORMATS } from './format';
export type { WhereOf } from './format';
export { diffConnections, formatChange } from './diff';
export type { ConnectivityChange, ChangeKind } from './diff';
export type { ConnectivityFormat } from './format';

interface State {
  registry: MatcherRegistry;
  features: FeatureIndex;
  resources: readonly Resource[];
  model: ConnectivityModel;
}

const states = new WeakMap<Workspace, State>();

/** The connectivity model of one unit; cached until the unit's resources change. */
export function connectivityOf(ws: Workspace): ConnectivityModel {
  const resources = connectivityResources(ws);
  const prev = states.get(ws);
  // What an edit changed (one file's objects, usually), found by identity; a large change is rebuilt.
  const change = prev && resourceChange(prev.resources, resources, Math.max(256, resources.length >> 3));
  if (prev && change && !change.removed.length && !change.added.length) return prev.model;
  // Edits to objects connectivity does not read (ConfigMaps, …) keep the model.
  if (prev && (change ? !ConnectivityModel.reads(change) : ConnectivityModel.unchanged(prev.model, resources))) {
    prev.resources = resources;
    return prev.model;
  }
  const registry = prev?.registry ?? new MatcherRegistry();
  const features = prev?.features ?? new FeatureIndex(registry);
  const model = new ConnectivityModel({ resources, registry, features, previous: prev?.model, change });
  states.set(ws, { registry, features, resources, model });
  return model;
}

/** netpol-analyzer's `list` output (txt) for a whole model: what `kube-netlint connectivity` prints. */
export function connectivityText(model: ConnectivityModel): string {
  return formatConnections(model, model.connections(), 'txt');
}

/** A model of the given resources alone (tests, hypothetical trees). */
export function connectivityOfResources(resources: readonly Resource[]): ConnectivityModel {
  return new ConnectivityModel({ resources, registry: new MatcherRegistry() });
}
