import { Rule, at, relatedTo } from './rule';
import { displayName } from '../model/resource';

/** The backend port must be one of the Service's ports, by number or by port name. */
export const ingressBackendPortMissing: Rule = {
  id: 'ingress-backend-port-missing',
  defaultSeverity: 'error',
  summary: 'An Ingress backend names a port that its Service does not expose.',
  kinds: new Set(['Ingress']),
  check({ subject, cluster, report }) {
    for (const b of cluster.facts(subject)?.backends ?? []) {
      if (!b.serviceName || b.albAction) continue;
      const services = cluster.services(subject.namespace, b.serviceName);
      if (services.length === 0) continue;
      if (b.port === undefined) {
        report({
          anchor: at(subject, b.portPath, 'key'),
          message: `Backend for Service ${b.serviceName} has no port; set service.port.number or service.port.name.`,
        });
        continue;
      }
      // Alternative definitions of the Service in several files: any one that has the port will do.
      const ok = services.some(s =>
        s.ports.some(p => (typeof b.port === 'number' ? p.port === b.port : p.name === b.port)),
      );
      if (ok) continue;
      const svc = services[0];
      const ports = svc.ports.map(p => (p.name ? `${p.name} (${p.port})` : String(p.port)));
      const byName =
        typeof b.port === 'string' ? svc.ports.find(p => p.name === undefined && String(p.port) === b.port) : undefined;
      const onlyPort = svc.ports.length === 1 ? svc.ports[0] : undefined;
      const replacement = onlyPort
        ? typeof b.port === 'number'
          ? String(onlyPort.port)
          : onlyPort.name
        : byName
          ? String(byName.port)
          : undefined;
      report({
        anchor: at(subject, b.portPath),
        message: `${displayName(svc.resource)} has no port ${typeof b.port === 'number' ? b.port : `named "${b.port}"`}; it exposes ${ports.join(', ') || 'no ports'}.`,
        related: [
          relatedTo(svc.resource, `ports of ${displayName(svc.resource)}`, [...svc.resource.base, 'spec', 'ports']),
        ],
        fixes: replacement
          ? [
              {
                title: `Use port ${replacement}`,
                preferred: true,
                edits: [{ fileId: subject.fileId, anchor: at(subject, b.portPath), newText: replacement }],
              },
            ]
          : [],
      });
    }
  },
};
