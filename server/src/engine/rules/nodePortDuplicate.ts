import { Rule, at, relatedTo } from './rule';
import { displayName, objectKey } from '../model/resource';

/** nodePorts are allocated cluster-wide: a second Service asking for the same one is rejected. */
export const nodePortDuplicate: Rule = {
  id: 'nodeport-duplicate',
  defaultSeverity: 'error',
  summary: 'Two Services (in any namespace) request the same nodePort.',
  kinds: new Set(['Service']),
  check({ subject, cluster, report }) {
    const svc = cluster.facts(subject)?.service;
    if (!svc) return;
    for (const p of svc.ports) {
      if (!p.nodePort) continue;
      // The same Service may use one nodePort for TCP and UDP; another definition of the same
      // object in an alternative file is not a second Service.
      const others = cluster
        .nodePortUsers(p.nodePort)
        .filter(u => u.service !== svc && objectKey(u.service.resource) !== objectKey(subject));
      const within = svc.ports.filter(
        q => q !== p && q.nodePort === p.nodePort && q.protocol === p.protocol && q.index < p.index,
      );
      if (within.length) {
        report({
          anchor: at(subject, [...p.path, 'nodePort']),
          message: `nodePort ${p.nodePort}/${p.protocol} is used twice in this Service.`,
          related: [
            { fileId: subject.fileId, anchor: at(subject, [...within[0].path, 'nodePort']), message: 'first use' },
          ],
        });
        continue;
      }
      if (others.length === 0) continue;
      const o = others[0];
      report({
        anchor: at(subject, [...p.path, 'nodePort']),
        message: `nodePort ${p.nodePort} is also requested by ${displayName(o.service.resource)}; node ports are allocated cluster-wide, so one of the two Services is rejected. Choose another port or leave nodePort out.`,
        related: others
          .slice(0, 3)
          .map(u =>
            relatedTo(u.service.resource, `${displayName(u.service.resource)} uses nodePort ${p.nodePort}`, [
              ...u.port.path,
              'nodePort',
            ]),
          ),
      });
    }
  },
};
