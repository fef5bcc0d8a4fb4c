import { Rule, at, relatedTo } from './rule';
import { ROUTE_KINDS } from '../model/gateway';
import { displayName } from '../model/resource';
import { describeServicePorts, invalidBackendOutcome, resolveBackend } from '../gateway/backends';

/**
 * A backendRef to a Service names one of the Service's ports (`port`), which the Service then
 * forwards to its targetPort. Using the targetPort or the containerPort instead is a common
 * mistake: the Gateway finds no such Service port and the backend is invalid.
 */
export const routeBackendPortMissing: Rule = {
  id: 'route-backend-port-missing',
  defaultSeverity: 'error',
  summary:
    'A Gateway API Route backendRef names no port, or a port its Service does not expose (often the targetPort instead of the Service port).',
  kinds: new Set(ROUTE_KINDS),
  check({ subject, cluster, report }) {
    const route = cluster.facts(subject)?.route;
    if (!route) return;
    for (const rule of route.rules)
      for (const b of rule.backendRefs) {
        const res = resolveBackend(cluster, route, b, { checkPermission: false });
        if (res.status === 'port-absent') {
          report({
            anchor: at(subject, b.path, 'key'),
            message: `backendRef to Service ${b.namespace}/${b.name} has no port; a Service backend must name one of the Service's ports (${describeServicePorts(res.services[0])}), and the API server rejects the ${route.kind} without it.`,
            related: [
              relatedTo(res.services[0].resource, `ports of ${displayName(res.services[0].resource)}`, [
                ...res.services[0].resource.base,
                'spec',
                'ports',
              ]),
            ],
          });
          continue;
        }
        if (res.status !== 'port-missing') continue;
        const svc = res.services[0];
        const anchor = at(subject, b.portPath);
        const mix = res.mixUp;
        const only = svc.ports.length === 1 ? svc.ports[0] : undefined;
        const replacement = mix?.port.port ?? only?.port;
        report({
          anchor,
          message: mix
            ? `port ${b.port} is the ${mix.via === 'targetPort' ? 'targetPort' : 'container port'} behind Service port ${mix.port.port}${mix.port.name ? ` (${mix.port.name})` : ''} of ${displayName(mix.service.resource)}; a backendRef names the Service port, so the Gateway finds no port ${b.port} and the backend is invalid (${invalidBackendOutcome(route.kind)}). Use ${mix.port.port}.`
            : `${displayName(svc.resource)} has no port ${b.port}; it exposes ${describeServicePorts(svc)}. The backend is invalid: ${invalidBackendOutcome(route.kind)}.`,
          related: [
            relatedTo(
              (mix?.service ?? svc).resource,
              `ports of ${displayName((mix?.service ?? svc).resource)}`,
              mix ? mix.port.path : [...svc.resource.base, 'spec', 'ports'],
            ),
          ],
          fixes:
            replacement !== undefined
              ? [
                  {
                    title: `Use Service port ${replacement}`,
                    preferred: true,
                    edits: [{ fileId: subject.fileId, anchor, newText: String(replacement) }],
                  },
                ]
              : [],
        });
      }
  },
};
