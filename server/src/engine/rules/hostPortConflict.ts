import { Rule, at, relatedTo, WORKLOAD_KINDS } from './rule';
import { ownTemplate } from './support/ports';
import { displayName, objectKey } from '../model/resource';
import type { PodTemplate } from '../model/workload';

/**
 * A hostPort (or a port under hostNetwork) binds the node's own address. Two workloads that
 * can land on the same node cannot both have it: the scheduler keeps the second one Pending.
 */
export const hostPortConflict: Rule = {
  id: 'host-port-conflict',
  defaultSeverity: 'warning',
  summary: 'Two workloads that can run on the same node use the same hostPort (or the same port with hostNetwork).',
  kinds: WORKLOAD_KINDS,
  check({ subject, cluster, report }) {
    const t = ownTemplate(cluster.facts(subject));
    // No pods, no bound port: `replicas: 0`, or a Deployment an Argo Rollout has scaled down.
    if (!t || t.replicas === 0) return;
    const reported = new Set<string>();
    for (const c of t.containers) {
      if (c.role === 'init') continue;
      for (const p of c.ports) {
        const hp = p.hostPort ?? (t.hostNetwork ? p.containerPort : undefined);
        if (!hp) continue;
        const key = `${hp}/${p.protocol}`;
        if (reported.has(key)) continue;
        const others = cluster
          .hostPortUsers(hp, p.protocol)
          .filter(
            u =>
              u.template.owner !== subject &&
              objectKey(u.template.owner) !== objectKey(subject) &&
              u.template.replicas > 0 &&
              ipsOverlap(u.hostIP, p.hostIP) &&
              canShareNode(t, u.template),
          );
        if (others.length === 0) continue;
        reported.add(key);
        const o = others[0];
        report({
          anchor: at(subject, p.hostPort !== undefined ? [...p.path, 'hostPort'] : [...p.path, 'containerPort']),
          message: `Host port ${key} is also used by ${displayName(o.template.owner)} (container ${o.containerName})${t.hostNetwork || o.template.hostNetwork ? ' (hostNetwork)' : ''}; pods of both cannot run on the same node, and nothing here keeps them apart (nodeSelector). Use different host ports or separate them by node.`,
          related: others
            .slice(0, 3)
            .map(u =>
              relatedTo(u.template.source, `${displayName(u.template.owner)} binds ${key} on the node`, u.path),
            ),
        });
      }
    }
  },
};

function ipsOverlap(a: string | undefined, b: string | undefined): boolean {
  const any = (x: string | undefined) => !x || x === '0.0.0.0' || x === '::';
  return any(a) || any(b) || a === b;
}

/** Disjoint nodeSelectors (same key, different value) keep two workloads on different nodes. */
function canShareNode(a: PodTemplate, b: PodTemplate): boolean {
  for (const [k, v] of Object.entries(a.nodeSelector))
    if (b.nodeSelector[k] !== undefined && b.nodeSelector[k] !== v) return false;
  return true;
}
