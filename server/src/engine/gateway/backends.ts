/**
 * What a Route's backendRef reaches: a Service of its namespace (or of another, when a
 * ReferenceGrant there allows it) and one of the Service's *ports*. A backendRef names the
 * Service port, not the pods' targetPort or containerPort; naming those is a common mix-up, so
 * the resolution says which Service port forwards there.
 */
import type { ServiceInfo, ServicePort } from '../model/service';
import { effectiveTargetPort } from '../model/service';
import type { PodTemplate } from '../model/workload';
import { BackendRef, ReferenceGrantInfo, RouteInfo, grantAllows, isServiceBackend } from '../model/gateway';
import { withoutRuntimeLabels } from '../rules/support/runtimeLabels';
import { portsByName } from '../rules/support/ports';

/** The questions a resolution asks; ClusterView answers them (recording dependencies). */
export interface GatewayLookup {
  services(ns: string, name: string): Iterable<ServiceInfo>;
  referenceGrants(ns: string): Iterable<ReferenceGrantInfo>;
  templatesSelectedBy(ns: string, selector: Record<string, string>): Iterable<PodTemplate>;
}

export type BackendResolution =
  /** Not a Service (another kind or group): implementation-specific, not judged. */
  | { status: 'other-kind' }
  | { status: 'service-missing' }
  | { status: 'not-permitted'; services: ServiceInfo[] }
  | { status: 'port-absent'; services: ServiceInfo[] }
  | { status: 'port-missing'; services: ServiceInfo[]; mixUp: PortMixUp | undefined }
  | { status: 'ok'; service: ServiceInfo; port: ServicePort };

/** The backendRef's number is a targetPort/containerPort; this Service port forwards to it. */
export interface PortMixUp {
  service: ServiceInfo;
  port: ServicePort;
  via: 'targetPort' | 'containerPort';
}

/**
 * Resolves a backendRef. `checkPermission: false` goes past a missing ReferenceGrant, for
 * checks that judge the port on its own.
 */
export function resolveBackend(
  lookup: GatewayLookup,
  route: RouteInfo,
  b: BackendRef,
  opts: { checkPermission?: boolean } = {},
): BackendResolution {
  if (!isServiceBackend(b)) return { status: 'other-kind' };
  const services = [...lookup.services(b.namespace, b.name)];
  if (services.length === 0) return { status: 'service-missing' };
  if (opts.checkPermission !== false && b.crossNamespace && !referencePermitted(lookup, route, b))
    return { status: 'not-permitted', services };
  if (b.port === undefined) return { status: 'port-absent', services };
  // Alternative definitions of one Service in several files: any one with the port will do.
  for (const service of services) {
    const port = service.ports.find(p => p.port === b.port);
    if (port) return { status: 'ok', service, port };
  }
  return { status: 'port-missing', services, mixUp: portMixUp(lookup, services, b.port) };
}

export function referencePermitted(lookup: GatewayLookup, route: RouteInfo, b: BackendRef): boolean {
  if (!b.crossNamespace) return true;
  return [...lookup.referenceGrants(b.namespace)].some(g => grantAllows(g, route, b.name));
}

/** The grant that allows a cross-namespace backendRef, for hovers. */
export function allowingGrant(lookup: GatewayLookup, route: RouteInfo, b: BackendRef): ReferenceGrantInfo | undefined {
  return [...lookup.referenceGrants(b.namespace)].find(g => grantAllows(g, route, b.name));
}

function portMixUp(lookup: GatewayLookup, services: ServiceInfo[], n: number): PortMixUp | undefined {
  for (const service of services) {
    const byTarget = service.ports.filter(p => effectiveTargetPort(p) === n);
    if (byTarget.length === 1) return { service, port: byTarget[0], via: 'targetPort' };
  }
  // A named targetPort resolves per pod: the Service port whose name resolves to this number.
  for (const service of services) {
    if (!service.selector) continue;
    const { checkable } = withoutRuntimeLabels(service.selector);
    if (!Object.keys(checkable).length) continue;
    const templates = [...lookup.templatesSelectedBy(service.resource.namespace, checkable)];
    const hits = service.ports.filter(p => {
      const target = effectiveTargetPort(p);
      return (
        typeof target === 'string' &&
        templates.some(t =>
          portsByName(t, target).some(m => m.port.containerPort === n && m.port.protocol === p.protocol),
        )
      );
    });
    if (hits.length === 1) return { service, port: hits[0], via: 'containerPort' };
  }
  return undefined;
}

export function describeServicePorts(svc: ServiceInfo): string {
  return (
    svc.ports
      .map(p => `${p.port ?? '?'}${p.name ? ` (${p.name})` : ''} → ${String(effectiveTargetPort(p) ?? '?')}`)
      .join(', ') || 'no ports'
  );
}

/** What happens to traffic routed to an invalid backend, per Route kind. */
export function invalidBackendOutcome(kind: RouteInfo['kind']): string {
  switch (kind) {
    case 'HTTPRoute':
      return 'requests routed to this backend get HTTP 500';
    case 'GRPCRoute':
      return 'calls routed to this backend fail (HTTP 500, gRPC UNAVAILABLE)';
    case 'UDPRoute':
      return 'datagrams routed to this backend are dropped';
    default:
      return 'connections routed to this backend are rejected';
  }
}
