import { Rule, at } from './rule';
import { closest } from './support/nearMiss';
import { operatorServiceOwner, knativeServiceOwner } from './support/operators';
import { ALB_USE_ANNOTATION } from '../model/ingress';
import { displayName } from '../model/resource';

export const ingressBackendServiceMissing: Rule = {
  id: 'ingress-backend-service-missing',
  defaultSeverity: 'error',
  summary: 'An Ingress backend names a Service that does not exist in the Ingress namespace.',
  kinds: new Set(['Ingress']),
  check({ subject, cluster, report }) {
    const backends = cluster.facts(subject)?.backends ?? [];
    for (const b of backends) {
      if (b.serviceName === '') {
        report({
          anchor: at(subject, b.namePath, 'key'),
          message:
            subject.apiVersion === 'networking.k8s.io/v1'
              ? 'networking.k8s.io/v1 Ingress backends use service.name and service.port.number/name; serviceName/servicePort are the old v1beta1 fields and are dropped, leaving this backend empty.'
              : 'Ingress backend has no serviceName.',
        });
        continue;
      }
      if (b.albAction) {
        if (!b.albAction.defined)
          report({
            severity: 'warning',
            anchor: at(subject, b.portPath),
            message: `servicePort ${ALB_USE_ANNOTATION} makes "${b.serviceName}" an AWS Load Balancer Controller action, but this Ingress has no annotation ${b.albAction.annotation}; the controller cannot build this rule.`,
          });
        continue;
      }
      if (cluster.services(subject.namespace, b.serviceName).length > 0) continue;
      // Knative creates the Kubernetes Services of its Services (route and revisions) itself.
      if (knativeServiceOwner(cluster, subject.namespace, b.serviceName)) continue;
      const operator = operatorServiceOwner(cluster, subject.namespace, b.serviceName);
      if (operator) {
        report({
          severity: 'information',
          anchor: at(subject, b.namePath),
          message: `Service "${b.serviceName}" is not defined in the workspace; it is probably created at run time by an operator from ${displayName(operator)}.`,
          related: [
            {
              fileId: operator.fileId,
              anchor: at(operator, [...operator.base, 'metadata', 'name']),
              message: displayName(operator),
            },
          ],
        });
        continue;
      }
      const names = cluster.servicesInNamespace(subject.namespace).map(s => s.resource.name);
      const suggestion = closest(b.serviceName, names);
      const where = b.isDefault ? 'default backend' : `backend for ${b.host ?? '*'}${b.httpPath ?? ''}`;
      report({
        anchor: at(subject, b.namePath),
        message:
          `Service "${b.serviceName}" (${where}) does not exist in namespace ${subject.namespace}; the Ingress controller answers 503 for this route.` +
          (suggestion ? ` Did you mean "${suggestion}"?` : ''),
        related: suggestion
          ? cluster
              .services(subject.namespace, suggestion)
              .slice(0, 1)
              .map(s => ({
                fileId: s.resource.fileId,
                anchor: at(s.resource, [...s.resource.base, 'metadata', 'name']),
                message: `Service ${suggestion}`,
              }))
          : [],
        fixes: suggestion
          ? [
              {
                title: `Change to "${suggestion}"`,
                preferred: true,
                edits: [{ fileId: subject.fileId, anchor: at(subject, b.namePath), newText: suggestion }],
              },
            ]
          : [],
      });
    }
  },
};
