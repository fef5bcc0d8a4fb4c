import { Rule, at, WORKLOAD_KINDS } from './rule';
import { ownTemplate } from './support/ports';
import type { ContainerPort, Container } from '../model/workload';

/**
 * The API server rejects two ports with one name in the same container. Across containers of a
 * pod it accepts them, but a Service targetPort of that name then resolves to the first
 * container only, which is rarely what was meant: a warning.
 */
export const podPortNameDuplicate: Rule = {
  id: 'pod-port-name-duplicate',
  defaultSeverity: 'error',
  summary: 'Two container ports of one pod have the same name.',
  kinds: WORKLOAD_KINDS,
  check({ subject, cluster, report }) {
    const t = ownTemplate(cluster.facts(subject));
    if (!t) return;
    const seen = new Map<string, { container: Container; port: ContainerPort }>();
    for (const c of t.containers) {
      for (const p of c.ports) {
        if (!p.name) continue;
        const first = seen.get(p.name);
        if (!first) {
          seen.set(p.name, { container: c, port: p });
          continue;
        }
        const same = first.container === c;
        report({
          severity: same ? 'error' : 'warning',
          anchor: at(subject, [...p.path, 'name']),
          message: same
            ? `Port name "${p.name}" is already used by another port of this container (${first.port.containerPort}/${first.port.protocol}); the API server rejects duplicate port names in a container.`
            : `Port name "${p.name}" is also used by container ${first.container.name} (${first.port.containerPort}/${first.port.protocol}); a Service targetPort "${p.name}" resolves to the first of them only. Give each port its own name.`,
          related: [
            {
              fileId: subject.fileId,
              anchor: at(subject, [...first.port.path, 'name']),
              message: `first use of "${p.name}"`,
            },
          ],
        });
      }
    }
  },
};
