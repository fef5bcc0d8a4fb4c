import { Rule, at } from './rule';

/** With more than one port, every Service port needs a name (the API server rejects it otherwise; EndpointSlices and SRV records key on it). */
export const servicePortNameRequired: Rule = {
  id: 'service-port-name-required',
  defaultSeverity: 'error',
  summary: 'A multi-port Service has a port without a name.',
  kinds: new Set(['Service']),
  check({ subject, cluster, report }) {
    const svc = cluster.facts(subject)?.service;
    if (!svc || svc.ports.length < 2) return;
    const used = new Set(svc.ports.map(p => p.name).filter(Boolean));
    for (const p of svc.ports) {
      if (p.name) continue;
      const base =
        typeof p.targetPort === 'string' && !used.has(p.targetPort)
          ? p.targetPort
          : `${p.protocol.toLowerCase()}-${p.port ?? p.index}`;
      report({
        anchor: at(subject, p.path),
        message: `This Service has ${svc.ports.length} ports, so each needs a name; ports[${p.index}] (${p.port ?? '?'}/${p.protocol}) has none. Add e.g. name: ${base}.`,
      });
    }
  },
};
