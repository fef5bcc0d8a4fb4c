import type { ClusterView } from '../../cluster/view';
import type { Resource } from '../../model/resource';
import { isBuiltinApiVersion } from '../../model/apiGroups';
import { knativeCreatesService, rolloutServices, trafficSplitApex } from '../../model/controllers';

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
  'UDPRoute',
  'GatewayClass',
  'ReferenceGrant',
  'TrafficSplit',
  'HTTPRouteGroup',
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
    // A custom resource whose pod template is modelled (Argo Rollout, CloneSet, …) is a workload
    // like any other, not an opaque operator.
    .filter(r => !isBuiltinApiVersion(r.apiVersion) && !CREATES_NO_PODS.has(r.kind) && !cluster.facts(r)?.template);
  const kinds = new Set([...WELL_KNOWN_KINDS, ...crs.map(r => r.kind.toLowerCase())]);
  const mentioned = new Set([...kinds].filter(k => tokens.has(k)));
  const pick = (restrict: boolean): Resource | undefined => {
    let best: Resource | undefined,
      bestScore = 0;
    for (const r of crs) {
      const kind = r.kind.toLowerCase();
      if (restrict && mentioned.size && !mentioned.has(kind)) continue;
      const named = values.has(r.name) || values.has(`${kind}-${r.name}`);
      const labelled = pairs.some(([k, v]) => r.labels[k] === v);
      // `prometheus: k8s` names the Prometheus called k8s; another Prometheus is not the owner.
      const keyed = selector[kind];
      if (keyed !== undefined && keyed !== r.name && r.labels[kind] !== keyed) continue;
      if (!named && (!labelled || !restrict)) continue;
      // Between equally named candidates, prefer a kind the selector's words point at
      // (`redisfailovers-role` for a RedisFailover, not a postgresql of the same name).
      const related = [...tokens].some(t => t.length >= 4 && (kind.includes(t) || t.includes(kind)));
      const score = (named ? 3 : 1) + (mentioned.has(kind) ? 3 : 0) + (related ? 1 : 0);
      if (score > bestScore) {
        best = r;
        bestScore = score;
      }
    }
    return best;
  };
  // A kind "mentioned" may be a mere word of a value (`my-cluster` and a CloudNativePG Cluster
  // of another sample in the namespace): when no owner of the mentioned kinds fits and no kind is
  // a whole key or value (`alertmanager: main` does rule other kinds out), a custom resource that
  // the selector names outright (a value equal to its name) still does.
  const whole = new Set(pairs.flatMap(([k, v]) => [k.toLowerCase(), v.toLowerCase()]));
  const strong = [...mentioned].some(k => whole.has(k));
  return pick(true) ?? (mentioned.size && !strong ? pick(false) : undefined);
}

/** Operators name the Services they create after their custom resource (ECK: `<name>-kb-http`, …). */
export function operatorServiceOwner(cluster: ClusterView, ns: string, serviceName: string): Resource | undefined {
  return cluster
    .customResourcesInNamespace(ns)
    .find(
      r =>
        !isBuiltinApiVersion(r.apiVersion) &&
        !CREATES_NO_PODS.has(r.kind) &&
        !cluster.facts(r)?.template &&
        r.name !== '' &&
        serviceName.startsWith(`${r.name}-`),
    );
}

/** The Knative Service that creates a Kubernetes Service of this name (its route or a revision). */
export function knativeServiceOwner(cluster: ClusterView, ns: string, serviceName: string): Resource | undefined {
  return cluster.customResourcesInNamespace(ns).find(r => knativeCreatesService(r, serviceName));
}

/**
 * The object that makes a Service the apex (root) of an SMI traffic split: an SMI TrafficSplit
 * whose `spec.service` names it, or an Argo Rollout whose SMI `rootService` does (Argo creates
 * that TrafficSplit). Clients address the apex; the mesh forwards to the backends, so the apex
 * may have no selector or one that selects nothing.
 */
export function trafficSplitApexOwner(cluster: ClusterView, ns: string, serviceName: string): Resource | undefined {
  return cluster
    .customResourcesInNamespace(ns)
    .find(
      r =>
        trafficSplitApex(r) === serviceName ||
        rolloutServices(r).some(s => s.role === 'root' && s.name === serviceName),
    );
}
