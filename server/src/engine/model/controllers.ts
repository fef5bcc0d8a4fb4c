/**
 * Conventions of controllers that own selectors, Services or pods at run time, read from their
 * custom resources: Argo Rollouts, SMI TrafficSplit and Knative Serving. What they do is not a
 * wiring mistake, so the rules must know about it.
 */
import { Resource, asArray, asObj, asString, asStringMap, get } from './resource';
import { apiGroupOf } from './apiGroups';
import { dictOf } from './dict';

// ---------------------------------------------------------------- Argo Rollouts

export function isArgoRollout(r: Resource): boolean {
  return r.kind === 'Rollout' && apiGroupOf(r.apiVersion) === 'argoproj.io';
}

export interface WorkloadRef {
  /** Only Deployments are supported by Argo Rollouts. */
  kind: string;
  name: string;
  /** never (default): the Deployment keeps its replicas; onsuccess/progressively: scaled to 0. */
  scaleDown: 'never' | 'onsuccess' | 'progressively';
}

/** `spec.workloadRef` of an Argo Rollout: it runs the referenced Deployment's pod template. */
export function rolloutWorkloadRef(r: Resource): WorkloadRef | undefined {
  if (!isArgoRollout(r)) return undefined;
  const ref = asObj(get(r.value, 'spec', 'workloadRef'));
  const name = asString(ref?.name);
  if (!ref || !name) return undefined;
  const scaleDown = asString(ref.scaleDown);
  return {
    kind: asString(ref.kind) ?? 'Deployment',
    name,
    scaleDown: scaleDown === 'onsuccess' || scaleDown === 'progressively' ? scaleDown : 'never',
  };
}

/** Ephemeral labels Argo adds to the pods of the steady state (stable / active ReplicaSet). */
export function rolloutSteadyStateLabels(r: Resource): Record<string, string> {
  const strategy = asObj(get(r.value, 'spec', 'strategy')) ?? {};
  return dictOf(
    asStringMap(get(strategy, 'canary', 'stableMetadata', 'labels')),
    ...Object.entries(asStringMap(get(strategy, 'blueGreen', 'activeMetadata', 'labels'))),
  );
}

export type RolloutServiceRole = 'canary' | 'stable' | 'active' | 'preview' | 'ping' | 'pong' | 'root';

/**
 * Services an Argo Rollout manages: it adds `rollouts-pod-template-hash` to the selectors of
 * its canary/stable, active/preview and ping/pong Services at run time, and the SMI root
 * Service is the TrafficSplit apex it creates.
 */
export function rolloutServices(r: Resource): { name: string; role: RolloutServiceRole }[] {
  if (!isArgoRollout(r)) return [];
  const out: { name: string; role: RolloutServiceRole }[] = [];
  const add = (v: unknown, role: RolloutServiceRole) => {
    if (typeof v === 'string' && v) out.push({ name: v, role });
  };
  const canary = asObj(get(r.value, 'spec', 'strategy', 'canary')) ?? {};
  const blueGreen = asObj(get(r.value, 'spec', 'strategy', 'blueGreen')) ?? {};
  add(canary.canaryService, 'canary');
  add(canary.stableService, 'stable');
  add(get(canary, 'pingPong', 'pingService'), 'ping');
  add(get(canary, 'pingPong', 'pongService'), 'pong');
  add(get(canary, 'trafficRouting', 'smi', 'rootService'), 'root');
  add(blueGreen.activeService, 'active');
  add(blueGreen.previewService, 'preview');
  return out;
}

// ---------------------------------------------------------------- SMI

export function isTrafficSplit(r: Resource): boolean {
  return r.kind === 'TrafficSplit' && apiGroupOf(r.apiVersion) === 'split.smi-spec.io';
}

/**
 * The apex (root) Service of an SMI TrafficSplit: clients address it, and the mesh sends its
 * traffic to the backends. By design it may have no selector, or one that selects nothing.
 */
export function trafficSplitApex(r: Resource): string | undefined {
  if (!isTrafficSplit(r)) return undefined;
  return asString(get(r.value, 'spec', 'service')) || undefined;
}

export function trafficSplitBackends(r: Resource): { service: string; weight: number | undefined }[] {
  if (!isTrafficSplit(r)) return [];
  return asArray(get(r.value, 'spec', 'backends')).flatMap(b => {
    const service = asString(get(b, 'service'));
    const w = get(b, 'weight');
    return service ? [{ service, weight: typeof w === 'number' ? w : undefined }] : [];
  });
}

// ---------------------------------------------------------------- Knative Serving

export const KNATIVE_DEFAULT_PORT = 8080;
/** Knative renames the user container's one port to this. */
export const KNATIVE_USER_PORT_NAME = 'user-port';

/** A Knative Service or Configuration (`serving.knative.dev`): a workload, not a Kubernetes Service. */
export function isKnativeServing(r: Resource): boolean {
  return (r.kind === 'Service' || r.kind === 'Configuration') && apiGroupOf(r.apiVersion) === 'serving.knative.dev';
}

/** Labels Knative puts on every pod of a Service's or Configuration's revisions. */
export function knativePodLabels(r: Resource): Record<string, string> {
  const out = dictOf<string>(undefined, ['serving.knative.dev/configuration', r.name]);
  if (r.kind === 'Service') out['serving.knative.dev/service'] = r.name;
  const revision = asString(get(r.value, 'spec', 'template', 'metadata', 'name'));
  if (revision) out['serving.knative.dev/revision'] = revision;
  return out;
}

/**
 * Whether Knative creates a Kubernetes Service of this name for the Knative Service `ksvc`:
 * `<ksvc>` (the route's ExternalName), and `<revision>` / `<revision>-private` for each revision
 * (`<ksvc>-00001`, or the template's own revision name).
 */
export function knativeCreatesService(ksvc: Resource, serviceName: string): boolean {
  if (!isKnativeServing(ksvc) || ksvc.kind !== 'Service' || !ksvc.name) return false;
  if (serviceName === ksvc.name) return true;
  const revision = asString(get(ksvc.value, 'spec', 'template', 'metadata', 'name'));
  const rev = serviceName.replace(/-private$/, '');
  return rev === revision || new RegExp(`^${escapeRegex(ksvc.name)}-\\d{5}$`).test(rev);
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
