import type { ClusterView } from '../../cluster/view';
import type { Resource } from '../../model/resource';

const BUILTIN_GROUPS =
  /^(v1|apps\/|batch\/|extensions\/|networking\.k8s\.io\/|policy\/|rbac\.authorization\.k8s\.io\/|storage\.k8s\.io\/|apiextensions\.k8s\.io\/|admissionregistration\.k8s\.io\/|autoscaling\/|coordination\.k8s\.io\/|discovery\.k8s\.io\/|scheduling\.k8s\.io\/|node\.k8s\.io\/|certificates\.k8s\.io\/|apiregistration\.k8s\.io\/|events\.k8s\.io\/|flowcontrol\.apiserver\.k8s\.io\/)/;

/** Custom resources that describe configuration, not workloads: they never own pods. */
const CREATES_NO_PODS = new Set([
  'ServiceMonitor',
  'PodMonitor',
  'PodMonitoring',
  'ClusterPodMonitoring',
  'PrometheusRule',
  'Probe',
  'ScrapeConfig',
  'AlertmanagerConfig',
  'Certificate',
  'Issuer',
  'ClusterIssuer',
  'VirtualService',
  'DestinationRule',
  'Gateway',
  'HTTPRoute',
  'GRPCRoute',
  'TCPRoute',
  'TLSRoute',
  'ServiceEntry',
  'PeerAuthentication',
  'AuthorizationPolicy',
  'BackendConfig',
  'FrontendConfig',
  'ManagedCertificate',
  'HealthCheckPolicy',
  'GCPBackendPolicy',
]);

/** Operator kinds often named in selectors; naming one rules out owners of other kinds. */
const WELL_KNOWN_KINDS = [
  'prometheus',
  'alertmanager',
  'thanosruler',
  'elasticsearch',
  'kibana',
  'kafka',
  'postgresql',
  'rabbitmqcluster',
  'redisfailover',
  'leaderworkerset',
  'mysqlcluster',
];

/**
 * Operators (Prometheus, Alertmanager, database operators, …) create pods from custom
 * resources, and their Services select those pods with labels carrying the custom resource's
 * name (or copied from its labels). The likely owner is a custom resource in the namespace
 * that matches that way; when the selector names an operator kind, the owner must be of it.
 */
export function operatorOwnerHint(
  cluster: ClusterView,
  ns: string,
  selector: Record<string, string>,
): Resource | undefined {
  const pairs = Object.entries(selector);
  const values = new Set(Object.values(selector));
  const tokens = new Set(
    pairs.flatMap(([k, v]) => [...`${k} ${v}`.toLowerCase().split(/[^a-z0-9]+/), v.toLowerCase().replace(/-/g, '')]),
  );
  const crs = cluster
    .customResourcesInNamespace(ns)
    .filter(r => !BUILTIN_GROUPS.test(r.apiVersion) && !CREATES_NO_PODS.has(r.kind));
  const kinds = new Set([...WELL_KNOWN_KINDS, ...crs.map(r => r.kind.toLowerCase())]);
  const mentioned = new Set([...kinds].filter(k => tokens.has(k)));
  let best: Resource | undefined,
    bestScore = 0;
  for (const r of crs) {
    const kind = r.kind.toLowerCase();
    if (mentioned.size && !mentioned.has(kind)) continue;
    const named = values.has(r.name) || values.has(`${kind}-${r.name}`);
    const labelled = pairs.some(([k, v]) => r.labels[k] === v);
    // `prometheus: k8s` names the Prometheus called k8s; another Prometheus is not the owner.
    const keyed = selector[kind];
    if (keyed !== undefined && keyed !== r.name && r.labels[kind] !== keyed) continue;
    if (!named && !labelled) continue;
    const score = (named ? 2 : 1) + (mentioned.has(kind) ? 2 : 0);
    if (score > bestScore) {
      best = r;
      bestScore = score;
    }
  }
  return best;
}

/** Operators name the Services they create after their custom resource (ECK: `<name>-kb-http`, …). */
export function operatorServiceOwner(cluster: ClusterView, ns: string, serviceName: string): Resource | undefined {
  return cluster
    .customResourcesInNamespace(ns)
    .find(
      r =>
        !BUILTIN_GROUPS.test(r.apiVersion) &&
        !CREATES_NO_PODS.has(r.kind) &&
        r.name !== '' &&
        serviceName.startsWith(`${r.name}-`),
    );
}

export function isCustomResource(r: Resource): boolean {
  return r.apiVersion !== '' && !BUILTIN_GROUPS.test(r.apiVersion) && r.kind !== 'CustomResourceDefinition';
}
