import { Rule, at, relatedTo } from './rule';
import { effectiveTargetPort, targetPortPath } from '../model/service';
import { displayName } from '../model/resource';
import { servicePods } from './support/servicePods';
import { declaresAnyPort, portsByNumber, servingContainers, describePort } from './support/ports';

/**
 * containerPort declarations are informational, so a numeric targetPort may still work. But
 * when the pods declare ports and none is this one, a typo is the likely cause. Pods that
 * declare no ports at all say nothing either way and are not reported.
 */
export const serviceTargetPortUndeclared: Rule = {
  id: 'service-target-port-undeclared',
  defaultSeverity: 'warning',
  summary: 'A numeric targetPort is not declared by any container of the selected pods that declare ports.',
  kinds: new Set(['Service']),
  check({ subject, cluster, report }) {
    const selected = servicePods(subject, cluster);
    if (!selected) return;
    const { svc } = selected;
    const templates = selected.templates.filter(declaresAnyPort);
    if (templates.length === 0) return;
    for (const p of svc.ports) {
      const target = effectiveTargetPort(p);
      if (typeof target !== 'number' || target < 1 || target > 65535) continue;
      const missing = templates.filter(t => portsByNumber(t, target).length === 0);
      if (missing.length === 0) continue;
      const declared = [...new Set(missing.flatMap(t => servingContainers(t).flatMap(c => c.ports.map(describePort))))];
      const implied = p.targetPort === undefined || p.targetPort === 0;
      report({
        anchor: at(subject, targetPortPath(p)),
        message: `${implied ? `targetPort defaults to port ${target}, which` : `targetPort ${target}`} is not declared by ${missing.length === templates.length ? 'the selected pods' : 'some selected pods'} (${missing
          .map(t => displayName(t.owner))
          .slice(0, 3)
          .join(
            ', ',
          )}), which declare ${declared.join(', ')}. If the app listens on ${target} this works; otherwise set targetPort to one of the declared ports.`,
        related: missing
          .slice(0, 3)
          .map(t => relatedTo(t.owner, `containers of ${displayName(t.owner)}`, [...t.specPath, 'containers'])),
      });
    }
  },
};
