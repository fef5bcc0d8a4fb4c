import { Rule, at, WORKLOAD_KINDS } from './rule';
import { servingContainers, ownTemplate } from './support/ports';
import type { ContainerPort, Container } from '../model/workload';

/**
 * All containers of a pod share one network namespace (the pause container's), so two of them
 * cannot bind the same port and protocol; the second fails at start-up with "address in use".
 */
export const podPortConflict: Rule = {
  id: 'pod-port-conflict',
  defaultSeverity: 'error',
  summary: 'Two containers of one pod (including native sidecars) declare the same port and protocol.',
  kinds: WORKLOAD_KINDS,
  check({ subject, cluster, report }) {
    const t = ownTemplate(cluster.facts(subject));
    if (!t) return;
    const seen = new Map<string, { container: Container; port: ContainerPort }>();
    // Native sidecars start before the main containers, so the main container is the one
    // that fails to bind; report there.
    const ordered = servingContainers(t).sort((a, b) => Number(b.role === 'sidecar') - Number(a.role === 'sidecar'));
    for (const c of ordered) {
      for (const p of c.ports) {
        if (p.containerPort === undefined) continue;
        const key = `${p.containerPort}/${p.protocol}`;
        const first = seen.get(key);
        if (!first) {
          seen.set(key, { container: c, port: p });
          continue;
        }
        const same = first.container === c;
        // One process may declare one port under two names (e.g. http and https both on 80
        // behind a TLS-terminating load balancer); only an identical entry is a mistake.
        if (same && first.port.name !== p.name) continue;
        report({
          severity: same ? 'warning' : undefined,
          anchor: at(subject, [...p.path, 'containerPort']),
          message: same
            ? `Container ${c.name} declares ${key} twice with the same name; remove the duplicate entry.`
            : `Containers ${first.container.name} and ${c.name} both use port ${key}. Containers of a pod share one network namespace, so only one can listen on it; move one of them to another port.`,
          related: [
            {
              fileId: subject.fileId,
              anchor: at(subject, [...first.port.path, 'containerPort']),
              message: `${first.container.name} declares ${key} here`,
            },
          ],
        });
      }
    }
  },
};
