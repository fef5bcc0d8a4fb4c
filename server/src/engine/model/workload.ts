import type { Path } from '../parse/locate';
import { Resource, Obj, asArray, asObj, asString, asStringMap, get, isObj } from './resource';
import { dictOf, own } from './dict';
import { isCustomResource } from './apiGroups';
import {
  isArgoRollout,
  isKnativeServing,
  knativePodLabels,
  rolloutSteadyStateLabels,
  KNATIVE_DEFAULT_PORT,
  KNATIVE_USER_PORT_NAME,
} from './controllers';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface ContainerPort {
  /** `undefined` when absent or not a usable number (the rule port-value-invalid reports why). */
  containerPort: number | undefined;
  rawContainerPort: unknown;
  name: string | undefined;
  protocol: Protocol;
  hostPort: number | undefined;
  hostIP: string | undefined;
  /** Path to the port entry (relative to the document root). */
  path: Path;
}

export interface Probe {
  kind: 'livenessProbe' | 'readinessProbe' | 'startupProbe';
  handler: 'httpGet' | 'tcpSocket' | 'grpc';
  port: number | string | undefined;
  path: Path;
}

export interface Container {
  name: string;
  /** init containers that are not native sidecars do not run alongside the others. */
  role: 'main' | 'sidecar' | 'init';
  ports: ContainerPort[];
  probes: Probe[];
  path: Path;
}

/** The pod shape a workload stamps out. */
export interface PodTemplate {
  /** The workload whose pods these are. */
  owner: Resource;
  /**
   * The object whose document holds the template: every path below is in its document. The
   * owner itself, except for an Argo Rollout with `workloadRef`, which borrows a Deployment's.
   */
  source: Resource;
  namespace: string;
  labels: Record<string, string>;
  /** Path to template metadata.labels (or to where it would be). */
  labelsPath: Path;
  specPath: Path;
  containers: Container[];
  hostNetwork: boolean;
  nodeSelector: Record<string, string>;
  /** Replicas the workload asks for (1 when unspecified; DaemonSet: per node, reported as 1). */
  replicas: number;
  /**
   * Set when a controller keeps this workload at zero pods in steady state: a Deployment that an
   * Argo Rollout references with `workloadRef.scaleDown: onsuccess|progressively`.
   */
  scaledDownBy?: Resource;
  /** Knative Serving runs these pods and creates their Kubernetes Services itself. */
  knative?: boolean;
}

export interface WorkloadSelector {
  matchLabels: Record<string, string>;
  matchExpressions: LabelExpression[];
  path: Path;
  /** Legacy APIs default an absent selector to the template labels. */
  defaulted: boolean;
}

export interface LabelExpression {
  key: string;
  operator: string;
  values: string[];
}

const TEMPLATE_PATHS: Record<string, string[]> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  DeploymentConfig: ['spec', 'template'],
};

/**
 * The pod template an object carries: the built-in controllers, a Knative Service or
 * Configuration, and any custom resource whose `spec.template` has `metadata.labels` and
 * `spec.containers` (Argo Rollout, OpenKruise CloneSet, …). An Argo Rollout with `workloadRef`
 * has none of its own; the cluster lends it the Deployment's (see borrowTemplate).
 */
export function podTemplateOf(r: Resource): PodTemplate | undefined {
  if (isKnativeServing(r)) return knativeTemplate(r);
  let rel = own(TEMPLATE_PATHS, r.kind);
  if (!rel) {
    if (!isCustomResource(r) || !looksLikePodTemplate(get(r.value, 'spec', 'template'))) return undefined;
    rel = ['spec', 'template'];
  }
  const tpl = rel.length ? get(r.value, ...rel) : r.value;
  if (!isObj(tpl)) return undefined;
  const labels = r.kind === 'Pod' && !rel.length ? dictOf(r.labels) : asStringMap(get(tpl, 'metadata', 'labels'));
  // Argo adds stableMetadata/activeMetadata labels to the pods of the steady state.
  return readTemplate(r, rel, tpl, isArgoRollout(r) ? merged(labels, rolloutSteadyStateLabels(r)) : labels);
}

/** A prototype-free union of label maps, later maps winning. */
function merged(...maps: Readonly<Record<string, string>>[]): Record<string, string> {
  return dictOf<string>(undefined, ...maps.flatMap(m => Object.entries(m)));
}

/** The shape that makes a custom resource a workload: labelled pod metadata and containers. */
function looksLikePodTemplate(tpl: unknown): boolean {
  return isObj(get(tpl, 'metadata', 'labels')) && Array.isArray(get(tpl, 'spec', 'containers'));
}

function readTemplate(r: Resource, rel: Path, tpl: Obj, labels: Record<string, string>): PodTemplate {
  const base = [...r.base, ...rel];
  const spec = asObj(tpl.spec) ?? {};
  const specPath = [...base, 'spec'];
  const containers: Container[] = [];
  asArray(spec.containers).forEach((c, i) => {
    if (isObj(c)) containers.push(readContainer(c, 'main', [...specPath, 'containers', i]));
  });
  asArray(spec.initContainers).forEach((c, i) => {
    if (!isObj(c)) return;
    const role = c.restartPolicy === 'Always' ? 'sidecar' : 'init';
    containers.push(readContainer(c, role, [...specPath, 'initContainers', i]));
  });
  const rawReplicas = get(r.value, 'spec', 'replicas');
  return {
    owner: r,
    source: r,
    namespace: r.namespace,
    labels,
    labelsPath: [...base, 'metadata', 'labels'],
    specPath,
    containers,
    hostNetwork: spec.hostNetwork === true,
    nodeSelector: asStringMap(spec.nodeSelector),
    replicas: typeof rawReplicas === 'number' && rawReplicas >= 0 ? rawReplicas : 1,
  };
}

/**
 * Knative Serving turns `spec.template` into a Revision whose pods carry the Service's and
 * Configuration's labels, and exposes exactly one port of the user container: the declared one
 * (renamed `user-port`) or 8080. Knative scales on demand; one replica stands for "some pods".
 */
function knativeTemplate(r: Resource): PodTemplate | undefined {
  const tpl = asObj(get(r.value, 'spec', 'template'));
  if (!tpl || !Array.isArray(get(tpl, 'spec', 'containers'))) return undefined;
  const t = readTemplate(
    r,
    ['spec', 'template'],
    tpl,
    merged(asStringMap(get(tpl, 'metadata', 'labels')), knativePodLabels(r)),
  );
  t.knative = true;
  t.replicas = 1;
  const main = t.containers.filter(c => c.role === 'main');
  // With several containers exactly one declares the port Knative routes to.
  const serving = main.find(c => c.ports.length > 0) ?? (main.length === 1 ? main[0] : undefined);
  if (serving) {
    const declared = serving.ports[0];
    serving.ports = [
      {
        containerPort: declared?.containerPort ?? KNATIVE_DEFAULT_PORT,
        rawContainerPort: declared ? declared.rawContainerPort : KNATIVE_DEFAULT_PORT,
        name: KNATIVE_USER_PORT_NAME,
        protocol: 'TCP',
        hostPort: undefined,
        hostIP: undefined,
        // An implied port points at the container, the nearest thing that exists in the YAML.
        path: declared?.path ?? serving.path,
      },
    ];
  }
  return t;
}

/**
 * The template an Argo Rollout with `workloadRef` runs: the Deployment's pods, owned and
 * counted by the Rollout (its `replicas`, default 1). Paths stay in the Deployment's document.
 */
export function borrowTemplate(rollout: Resource, from: PodTemplate): PodTemplate {
  const rawReplicas = get(rollout.value, 'spec', 'replicas');
  return {
    ...from,
    owner: rollout,
    labels: merged(from.labels, rolloutSteadyStateLabels(rollout)),
    scaledDownBy: undefined,
    replicas: typeof rawReplicas === 'number' && rawReplicas >= 0 ? rawReplicas : 1,
  };
}

function readContainer(c: Obj, role: Container['role'], path: Path): Container {
  const ports: ContainerPort[] = [];
  asArray(c.ports).forEach((p, i) => {
    if (!isObj(p)) return;
    ports.push({
      containerPort: asPortNumber(p.containerPort),
      rawContainerPort: p.containerPort,
      name: asString(p.name),
      protocol: asProtocol(p.protocol),
      hostPort: asPortNumber(p.hostPort),
      hostIP: asString(p.hostIP),
      path: [...path, 'ports', i],
    });
  });
  const probes: Probe[] = [];
  for (const kind of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    const probe = asObj(c[kind]);
    if (!probe) continue;
    for (const handler of ['httpGet', 'tcpSocket', 'grpc'] as const) {
      const h = asObj(probe[handler]);
      if (!h || !('port' in h)) continue;
      const port = h.port;
      probes.push({
        kind,
        handler,
        port: typeof port === 'number' || typeof port === 'string' ? port : undefined,
        path: [...path, kind, handler, 'port'],
      });
    }
  }
  return { name: asString(c.name) ?? '', role, ports, probes, path };
}

export function asPortNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  return undefined;
}

export function asProtocol(v: unknown): Protocol {
  return v === 'UDP' || v === 'SCTP' ? v : 'TCP';
}

/** The selector a controller uses to find its pods (Pod, CronJob and Job have none to check). */
export function workloadSelectorOf(r: Resource): WorkloadSelector | undefined {
  if (
    !['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController', 'DeploymentConfig'].includes(
      r.kind,
    )
  )
    return undefined;
  const sel = get(r.value, 'spec', 'selector');
  const path = [...r.base, 'spec', 'selector'];
  // ReplicationController and OpenShift DeploymentConfig use a plain label map.
  if (r.kind === 'ReplicationController' || r.kind === 'DeploymentConfig') {
    if (!isObj(sel)) return { matchLabels: {}, matchExpressions: [], path, defaulted: true };
    return { matchLabels: asStringMap(sel), matchExpressions: [], path, defaulted: false };
  }
  if (!isObj(sel)) return { matchLabels: {}, matchExpressions: [], path, defaulted: true };
  return { ...readLabelSelector(sel), path, defaulted: false };
}

export function readLabelSelector(sel: Obj): {
  matchLabels: Record<string, string>;
  matchExpressions: LabelExpression[];
} {
  const matchExpressions: LabelExpression[] = [];
  for (const e of asArray(sel.matchExpressions)) {
    if (!isObj(e)) continue;
    matchExpressions.push({
      key: asString(e.key) ?? '',
      operator: asString(e.operator) ?? '',
      values: asArray(e.values).map(v => String(v)),
    });
  }
  return { matchLabels: asStringMap(sel.matchLabels), matchExpressions };
}

/** Kubernetes LabelSelector semantics: every matchLabels pair and every expression must hold. */
export function labelSelectorMatches(
  sel: { matchLabels: Record<string, string>; matchExpressions: LabelExpression[] },
  labels: Record<string, string>,
): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels)) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In':
        if (!has || !e.values.includes(labels[e.key])) return false;
        break;
      case 'NotIn':
        if (has && e.values.includes(labels[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
