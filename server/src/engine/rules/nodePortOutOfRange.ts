import { Rule, at } from './rule';

export const nodePortOutOfRange: Rule = {
  id: 'nodeport-out-of-range',
  defaultSeverity: 'error',
  summary: "A nodePort lies outside the API server's --service-node-port-range (30000-32767 unless configured).",
  kinds: new Set(['Service']),
  check({ subject, cluster, report }) {
    const svc = cluster.facts(subject)?.service;
    if (!svc) return;
    const [lo, hi] = cluster.nodePortRange;
    for (const p of svc.ports) {
      if (p.nodePort === undefined || p.nodePort === 0) continue;
      if (svc.type === 'ClusterIP' || svc.type === 'ExternalName') {
        report({
          anchor: at(subject, [...p.path, 'nodePort']),
          severity: 'warning',
          message: `nodePort ${p.nodePort} has no effect on a Service of type ${svc.type}; the API server rejects it. Remove it or set type: NodePort.`,
        });
        continue;
      }
      if (p.nodePort >= lo && p.nodePort <= hi) continue;
      report({
        anchor: at(subject, [...p.path, 'nodePort']),
        message: `nodePort ${p.nodePort} is outside the node port range ${lo}-${hi}; the API server rejects it. Pick a port in the range or leave nodePort out to get one assigned.`,
      });
    }
  },
};
