import { Rule, at, relatedTo } from './rule';
import { GATEWAY_GROUP, ROUTE_KINDS, isServiceBackend } from '../model/gateway';
import { invalidBackendOutcome, referencePermitted } from '../gateway/backends';

/**
 * A backendRef into another namespace needs a ReferenceGrant in that namespace that lets Routes
 * of this kind from the Route's namespace reference the Service; without one the reference is
 * refused (ResolvedRefs False, RefNotPermitted) and no traffic reaches the Service.
 */
export const routeBackendNotPermitted: Rule = {
  id: 'route-backend-not-permitted',
  defaultSeverity: 'error',
  summary: 'A Gateway API Route backendRef points into another namespace, and no ReferenceGrant there allows it.',
  kinds: new Set(ROUTE_KINDS),
  check({ subject, cluster, report }) {
    const route = cluster.facts(subject)?.route;
    if (!route) return;
    for (const rule of route.rules)
      for (const b of rule.backendRefs) {
        if (!isServiceBackend(b) || !b.crossNamespace) continue;
        // When the Service itself is missing, route-backend-service-missing says so.
        const services = cluster.services(b.namespace, b.name);
        if (services.length === 0 || referencePermitted(cluster, route, b)) continue;
        const grants = cluster.referenceGrants(b.namespace);
        report({
          anchor: at(subject, [...b.path, 'namespace']),
          message: `No ReferenceGrant in namespace ${b.namespace} lets ${route.kind}s from namespace ${subject.namespace} reference Service ${b.name}, so the reference is refused (RefNotPermitted) and ${invalidBackendOutcome(route.kind)}. Add one in ${b.namespace}: from {group: ${GATEWAY_GROUP}, kind: ${route.kind}, namespace: ${subject.namespace}}, to {group: "", kind: Service${b.name ? `, name: ${b.name}` : ''}}.`,
          related: [
            relatedTo(services[0].resource, `Service ${b.namespace}/${b.name}`),
            ...grants
              .slice(0, 2)
              .map(g => relatedTo(g.resource, `ReferenceGrant ${g.resource.name} does not cover this reference`)),
          ],
        });
      }
  },
};
