import { Rule, at, relatedTo } from './rule';
import { effectiveTargetPort, targetPortPath } from '../model/service';
import { displayName } from '../model/resource';
import { servicePods } from './support/servicePods';
import { declaresAnyPort, portsByNumber, servingContainers, describePort } from './support/ports';
import { describeSlip, portTypo } from './support/portTypo';

/**
 * containerPort declarations are informational: kube-proxy forwards to podIP:targetPort whether
 * or not a container declares it, and apps often serve ports they never declare. So a numeric
 * targetPort the pods do not declare is information, unless the number is clearly a typing slip
 * of a declared port of the same protocol (support/portTypo.ts): then a warning with the fix.
 * Pods that declare no ports at all say nothing either way and are not reported.
 */
export const serviceTargetPortUndeclared: Rule = {
  id: 'service-target-port-undeclared',
  defaultSeverity: 'information',
  summary:
    'A numeric targetPort is not declared by the selected pods (a warning when it is clearly a typo of a declared port).',
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
      const sameProtocol = missing.flatMap(t =>
        servingContainers(t).flatMap(c =>
          c.ports.filter(x => x.protocol === p.protocol && x.containerPort !== undefined).map(x => x.containerPort!),
        ),
      );
      const typo = portTypo(target, sameProtocol);
      const implied = p.targetPort === undefined || p.targetPort === 0;
      const anchor = at(subject, targetPortPath(p));
      const who = `${missing.length === templates.length ? 'the selected pods' : 'some selected pods'} (${missing
        .map(t => displayName(t.owner))
        .slice(0, 3)
        .join(', ')})`;
      const head = `${implied ? `targetPort defaults to port ${target}, which` : `targetPort ${target}`} is not declared by ${who}, which declare ${declared.join(', ')}.`;
      report({
        severity: typo ? 'warning' : undefined,
        anchor,
        message: typo
          ? `${head} ${target} looks like ${describeSlip(typo)}: traffic to this Service port goes to ${target}, where nothing is declared to listen. Use ${typo.declared}${implied ? ' (set targetPort)' : ''}.`
          : `${head} Kubernetes does not need the declaration (kube-proxy forwards to ${target} either way), so this works if the app listens there; declaring the port documents it.`,
        related: missing
          .slice(0, 3)
          .map(t => relatedTo(t.source, `containers of ${displayName(t.owner)}`, [...t.specPath, 'containers'])),
        // Changing an implied target would mean changing the Service port clients use; offer the
        // edit only where targetPort is written.
        fixes:
          typo && !implied
            ? [
                {
                  title: `Change targetPort to ${typo.declared}`,
                  preferred: true,
                  edits: [{ fileId: subject.fileId, anchor, newText: String(typo.declared) }],
                },
              ]
            : [],
      });
    }
  },
};
