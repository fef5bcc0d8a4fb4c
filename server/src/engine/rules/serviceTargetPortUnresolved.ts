import { Rule, at, relatedTo } from './rule';
import { effectiveTargetPort } from '../model/service';
import { displayName } from '../model/resource';
import { servicePods } from './support/servicePods';
import { portsByName, servingContainers } from './support/ports';
import { closest } from './support/nearMiss';
import { isPlaceholder } from './support/placeholders';

/**
 * A named targetPort is looked up per pod, by name and protocol. Pods that have no such port
 * are left out of the endpoints, so traffic to that Service port never reaches them.
 */
export const serviceTargetPortUnresolved: Rule = {
  id: 'service-target-port-unresolved',
  defaultSeverity: 'error',
  summary:
    'A named targetPort does not resolve to a container port (by name and protocol) in the pods the Service selects.',
  kinds: new Set(['Service']),
  check({ subject, cluster, report }) {
    const selected = servicePods(subject, cluster);
    if (!selected || selected.templates.length === 0) return;
    const { svc, templates } = selected;
    for (const p of svc.ports) {
      const target = effectiveTargetPort(p);
      if (typeof target !== 'string' || isPlaceholder(target)) continue;
      const missing = templates.filter(t => !portsByName(t, target).some(m => m.port.protocol === p.protocol));
      if (missing.length === 0) continue;
      // A port with the right name but another protocol is the protocol rule's finding.
      const wrongProtocolOnly = missing.every(t => portsByName(t, target).length > 0);
      if (wrongProtocolOnly) continue;
      const names = missing.flatMap(t =>
        servingContainers(t).flatMap(c => c.ports.filter(x => x.protocol === p.protocol && x.name).map(x => x.name!)),
      );
      const byNumber = missing.flatMap(t =>
        servingContainers(t).flatMap(c =>
          c.ports.filter(x => x.protocol === p.protocol && x.name && x.containerPort === p.port).map(x => x.name!),
        ),
      );
      const suggestion =
        closest(target, names) ??
        (new Set(byNumber).size === 1 ? byNumber[0] : undefined) ??
        (new Set(names).size === 1 ? names[0] : undefined);
      const anchor = at(subject, [...p.path, 'targetPort']);
      const all = missing.length === templates.length;
      const who =
        missing
          .map(t => displayName(t.owner))
          .slice(0, 3)
          .join(', ') + (missing.length > 3 ? ', …' : '');
      const available = [...new Set(names)].join(', ');
      report({
        anchor,
        severity: all ? 'error' : 'warning',
        message:
          `targetPort "${target}" (${p.protocol}) is not a container port name in ${all ? 'any selected pod' : `some selected pods`} (${who})${all ? ', so this Service port has no endpoints' : '; those pods get no endpoint for this port'}.` +
          (suggestion
            ? ` Did you mean "${suggestion}"?`
            : available
              ? ` Declared ${p.protocol} port names: ${available}.`
              : ` The selected containers declare no named ${p.protocol} ports.`),
        related: missing
          .slice(0, 3)
          .map(t => relatedTo(t.source, `containers of ${displayName(t.owner)}`, [...t.specPath, 'containers'])),
        fixes: suggestion
          ? [
              {
                title: `Change targetPort to "${suggestion}"`,
                preferred: true,
                edits: [{ fileId: subject.fileId, anchor, newText: suggestion }],
              },
            ]
          : [],
      });
    }
  },
};
