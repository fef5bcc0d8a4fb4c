import { Rule, at, WORKLOAD_KINDS } from './rule';
import type { ContainerPort, Container } from '../model/workload';

/** Port names must be unique across all containers of a pod (the API server validates it). */
export const podPortNameDuplicate: Rule = {
  id: 'pod-port-name-duplicate',
  defaultSeverity: 'error',
  summary: 'Two container ports of one pod have the same name.',
  appliesTo: r => WORKLOAD_KINDS.has(r.kind),
  check({ subject, cluster, report }) {
    const t = cluster.facts(subject)?.template;
    if (!t) return;
    const seen = new Map<string, { container: Container; port: ContainerPort }>();
    for (const c of t.containers) {
      for (const p of c.ports) {
        if (!p.name) continue;
        const first = seen.get(p.name);
        if (!first) { seen.set(p.name, { container: c, port: p }); continue; }
        report({
          anchor: at(subject, [...p.path, 'name']),
          message: `Port name "${p.name}" is already used by ${first.container === c ? 'another port of this container' : `container ${first.container.name}`} (${first.port.containerPort}/${first.port.protocol}); port names must be unique in a pod, and a Service targetPort "${p.name}" could not tell them apart.`,
          related: [{ fileId: subject.fileId, anchor: at(subject, [...first.port.path, 'name']), message: `first use of "${p.name}"` }],
        });
      }
    }
  },
};
