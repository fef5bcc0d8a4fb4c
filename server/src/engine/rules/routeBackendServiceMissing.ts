import { Rule, at, relatedTo } from './rule';
import { ROUTE_KINDS, isServiceBackend } from '../model/gateway';
import { closest } from './support/nearMiss';
import { knativeServiceOwner, operatorServiceOwner } from './support/operators';
import { displayName } from '../model/resource';
import { invalidBackendOutcome } from '../gateway/backends';

/**
 * A Gateway API Route's backendRef (default kind Service, core group) must name a Service in
 * its namespace (the Route's unless `namespace` is set). Other backend kinds are
 * implementation-specific and not judged.
 */
export const routeBackendServiceMissing: Rule = {
  id: 'route-backend-service-missing',
  defaultSeverity: 'error',
  summary: 'A Gateway API Route backendRef names a Service that does not exist in its namespace.',
  kinds: new Set(ROUTE_KINDS),
  check({ subject, cluster, report }) {
    const route = cluster.facts(subject)?.route;
    if (!route) return;
    for (const rule of route.rules)
      for (const b of rule.backendRefs) {
        if (!isServiceBackend(b) || !b.name) continue;
        if (cluster.services(b.namespace, b.name).length > 0) continue;
        // Knative creates the Kubernetes Services of its Services (route and revisions) itself.
        if (knativeServiceOwner(cluster, b.namespace, b.name)) continue;
        const anchor = at(subject, b.namePath);
        const operator = operatorServiceOwner(cluster, b.namespace, b.name);
        if (operator) {
          report({
            severity: 'information',
            anchor,
            message: `Service ${b.namespace}/${b.name} is not defined in the workspace; it is probably created at run time by an operator from ${displayName(operator)}.`,
            related: [relatedTo(operator, displayName(operator))],
          });
          continue;
        }
        const names = cluster.servicesInNamespace(b.namespace).map(s => s.resource.name);
        // Another namespace with nothing of it in the workspace is most likely defined elsewhere.
        const foreign =
          b.crossNamespace && names.length === 0 && cluster.templatesInNamespace(b.namespace).length === 0;
        const suggestion = closest(b.name, names);
        report({
          severity: foreign ? 'warning' : undefined,
          anchor,
          message: foreign
            ? `Service ${b.namespace}/${b.name} is not in the workspace, which has nothing of namespace ${b.namespace}; if it does not exist in the cluster either, ${invalidBackendOutcome(route.kind)}.`
            : `Service "${b.name}" does not exist in namespace ${b.namespace}; ${invalidBackendOutcome(route.kind)}.` +
              (suggestion ? ` Did you mean "${suggestion}"?` : ''),
          related: suggestion
            ? cluster
                .services(b.namespace, suggestion)
                .slice(0, 1)
                .map(s => relatedTo(s.resource, `Service ${suggestion}`))
            : [],
          fixes: suggestion
            ? [
                {
                  title: `Change to "${suggestion}"`,
                  preferred: true,
                  edits: [{ fileId: subject.fileId, anchor, newText: suggestion }],
                },
              ]
            : [],
        });
      }
  },
};
