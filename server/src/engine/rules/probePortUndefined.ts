import { Rule, at, WORKLOAD_KINDS } from './rule';
import { ownTemplate } from './support/ports';
import { isPlaceholder } from './support/placeholders';
import { describeSlip, portTypo } from './support/portTypo';

/**
 * A probe that names a port must find it in its own container; the kubelet resolves the name
 * in that container only. Probes speak TCP (HTTP, TCP socket, gRPC), so a UDP port never works.
 * A numeric probe port that no container of the pod declares is information: the kubelet
 * connects to the number whether or not it is declared, and health listeners often go
 * undeclared. It is a warning (with the fix) only when the number is clearly a typing slip of a
 * declared TCP port (support/portTypo.ts). Named ports resolve in the probing container only,
 * as the kubelet does.
 */
export const probePortUndefined: Rule = {
  id: 'probe-port-undefined',
  defaultSeverity: 'error',
  summary: 'A liveness/readiness/startup probe uses a port its container does not declare.',
  kinds: WORKLOAD_KINDS,
  check({ subject, cluster, report }) {
    const t = ownTemplate(cluster.facts(subject));
    if (!t) return;
    for (const c of t.containers) {
      for (const pr of c.probes) {
        if (pr.port === undefined || isPlaceholder(pr.port)) continue;
        const numeric = typeof pr.port === 'number' || /^[0-9]+$/.test(pr.port);
        if (!numeric) {
          const byName = c.ports.filter(p => p.name === pr.port);
          const tcp = byName.filter(p => p.protocol === 'TCP');
          if (tcp.length) continue;
          const names = c.ports.filter(p => p.name && p.protocol === 'TCP').map(p => p.name!);
          report({
            anchor: at(subject, pr.path),
            message: byName.length
              ? `${pr.kind} of container ${c.name} uses port "${pr.port}", which is ${byName[0].protocol}; ${pr.handler} probes connect over TCP. Point the probe at a TCP port.`
              : `${pr.kind} of container ${c.name} uses port "${pr.port}", but the container declares no port with that name${names.length ? ` (it has ${names.join(', ')})` : ''}; the probe fails and the container is ${pr.kind === 'readinessProbe' ? 'never Ready' : 'restarted'}.`,
            fixes:
              names.length === 1
                ? [
                    {
                      title: `Use port "${names[0]}"`,
                      edits: [{ fileId: subject.fileId, anchor: at(subject, pr.path), newText: names[0] }],
                    },
                  ]
                : [],
          });
          continue;
        }
        // The kubelet probes the pod IP, which every container shares: a sibling's port counts.
        const n = Number(pr.port);
        const podPorts = t.containers.filter(x => x.role !== 'init').flatMap(x => x.ports);
        if (c.ports.length === 0 || podPorts.some(p => p.containerPort === n)) continue;
        const tcp = podPorts.filter(p => p.protocol === 'TCP' && p.containerPort !== undefined);
        const typo = portTypo(
          n,
          tcp.map(p => p.containerPort!),
        );
        const declared = c.ports.map(p => `${p.containerPort}/${p.protocol}`).join(', ');
        const anchor = at(subject, pr.path);
        report({
          anchor,
          severity: typo ? 'warning' : 'information',
          message: typo
            ? `${pr.kind} of container ${c.name} probes port ${n}, which looks like ${describeSlip(typo)} (the container declares ${declared}); if nothing listens on ${n} the probe fails and the container is ${pr.kind === 'readinessProbe' ? 'never Ready' : 'restarted'}. Use ${typo.declared}.`
            : `${pr.kind} of container ${c.name} probes port ${n}, which the container does not declare (it declares ${declared}). The kubelet does not need the declaration, so this works if the app listens there (health and metrics listeners often go undeclared); declaring the port documents it.`,
          fixes: typo
            ? [
                {
                  title: `Probe port ${typo.declared}`,
                  preferred: true,
                  edits: [{ fileId: subject.fileId, anchor, newText: String(typo.declared) }],
                },
              ]
            : [],
        });
      }
    }
  },
};
