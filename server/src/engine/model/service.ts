import type { Path } from '../parse/locate';
import { Resource, asArray, asObj, asString, asStringMap, get, isObj } from './resource';
import { Protocol, asProtocol } from './workload';

export interface ServicePort {
  index: number;
  name: string | undefined;
  protocol: Protocol;
  port: number | undefined;
  rawPort: unknown;
  /** As written; `undefined` when absent. Kubernetes defaults it (and 0) to `port`. */
  targetPort: number | string | undefined;
  rawTargetPort: unknown;
  nodePort: number | undefined;
  rawNodePort: unknown;
  path: Path;
}

export interface ServiceInfo {
  resource: Resource;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  /** `undefined` when the Service has no selector (manual Endpoints/EndpointSlices). */
  selector: Record<string, string> | undefined;
  selectorPath: Path;
  headless: boolean;
  clusterIP: string | undefined;
  externalName: string | undefined;
  ports: ServicePort[];
  externalTrafficPolicy: 'Cluster' | 'Local';
  internalTrafficPolicy: 'Cluster' | 'Local';
  sessionAffinity: 'None' | 'ClientIP';
  sessionAffinityTimeout: number;
  externalIPs: string[];
  loadBalancerIPs: string[];
  loadBalancerSourceRanges: string[];
  healthCheckNodePort: number | undefined;
}

export function serviceOf(r: Resource): ServiceInfo | undefined {
  // Only the core group's Service: a Knative Service (serving.knative.dev) is a workload.
  if (r.kind !== 'Service' || r.apiVersion.includes('/')) return undefined;
  const spec = asObj(r.value.spec) ?? {};
  const specPath = [...r.base, 'spec'];
  const rawType = asString(spec.type);
  const type =
    rawType === 'NodePort' || rawType === 'LoadBalancer' || rawType === 'ExternalName' ? rawType : 'ClusterIP';
  const ports: ServicePort[] = [];
  asArray(spec.ports).forEach((p, i) => {
    if (!isObj(p)) return;
    const rawTarget = p.targetPort;
    ports.push({
      index: i,
      name: asString(p.name),
      protocol: asProtocol(p.protocol),
      port: typeof p.port === 'number' && Number.isInteger(p.port) ? p.port : undefined,
      rawPort: p.port,
      targetPort: typeof rawTarget === 'number' || typeof rawTarget === 'string' ? rawTarget : undefined,
      rawTargetPort: rawTarget,
      nodePort: typeof p.nodePort === 'number' && Number.isInteger(p.nodePort) ? p.nodePort : undefined,
      rawNodePort: p.nodePort,
      path: [...specPath, 'ports', i],
    });
  });
  const clusterIP = asString(spec.clusterIP);
  const ingress = asArray(get(r.value, 'status', 'loadBalancer', 'ingress'));
  const lbIPs = [asString(spec.loadBalancerIP), ...ingress.map(i => asString(get(i, 'ip')))].filter(
    (x): x is string => !!x,
  );
  const timeout = get(spec, 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds');
  return {
    resource: r,
    type,
    selector: isObj(spec.selector) ? asStringMap(spec.selector) : undefined,
    selectorPath: [...specPath, 'selector'],
    headless: clusterIP === 'None',
    clusterIP,
    externalName: asString(spec.externalName),
    ports,
    externalTrafficPolicy: spec.externalTrafficPolicy === 'Local' ? 'Local' : 'Cluster',
    internalTrafficPolicy: spec.internalTrafficPolicy === 'Local' ? 'Local' : 'Cluster',
    sessionAffinity: spec.sessionAffinity === 'ClientIP' ? 'ClientIP' : 'None',
    sessionAffinityTimeout: typeof timeout === 'number' ? timeout : 10800,
    externalIPs: asArray(spec.externalIPs).filter((x): x is string => typeof x === 'string'),
    loadBalancerIPs: lbIPs,
    loadBalancerSourceRanges: asArray(spec.loadBalancerSourceRanges).filter((x): x is string => typeof x === 'string'),
    healthCheckNodePort: typeof spec.healthCheckNodePort === 'number' ? spec.healthCheckNodePort : undefined,
  };
}

/** The targetPort kube-proxy uses: absent or 0 means "the same as port". */
export function effectiveTargetPort(p: ServicePort): number | string | undefined {
  if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '0') return p.port;
  if (typeof p.targetPort === 'string' && /^[0-9]+$/.test(p.targetPort)) return Number(p.targetPort);
  return p.targetPort;
}

/** Where the targetPort value sits, or the port value when targetPort is implied. */
export function targetPortPath(p: ServicePort): Path {
  return p.targetPort === undefined ? [...p.path, 'port'] : [...p.path, 'targetPort'];
}
