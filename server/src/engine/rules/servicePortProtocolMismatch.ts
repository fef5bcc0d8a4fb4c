import { Rule, at, relatedTo } from './rule';
import { effectiveTargetPort } from '../model/service';
import { displayName } from '../model/resource';
import { servicePods } from './support/servicePods';
import { portsByName, portsByNumber } from './support/ports';

/** The Service port's protocol must match the container port's: a UDP Service never reaches a TCP listener. */
export const servicePortProtocolMismatch: Rule = {
  id: 'service-port-protocol-mismatch',
  defaultSeverity: 'error',
  summary: "A Service port's protocol differs from the protocol of the container port its targetPort points at.",
  kinds: new Set(['Service']),
  check({ subject, cluster, report }) {
    const selected = servicePods(subject, cluster);
    if (!selected) return;
    const { svc, templates } = selected;
    for (const p of svc.ports) {
      const target = effectiveTargetPort(p);
      if (target === undefined) continue;
      for (const t of templates) {
        const matches = typeof target === 'string' ? portsByName(t, target) : portsByNumber(t, target);
        if (matches.length === 0 || matches.some(m => m.port.protocol === p.protocol)) continue;
        const m = matches[0];
        const named = typeof target === 'string';
        report({
          anchor: at(subject, named || p.targetPort !== undefined ? [...p.path, 'targetPort'] : [...p.path, 'port']),
          severity: named ? 'error' : 'warning',
          message:
            `Service port ${p.name ?? p.port} is ${p.protocol}, but ${displayName(t.owner)} container ${m.container.name} declares ${named ? `port "${target}"` : `port ${target}`} as ${m.port.protocol}` +
            (named
              ? `; the name does not resolve for ${p.protocol}, so these pods get no endpoint.`
              : `. Set the same protocol on both sides.`),
          related: [
            relatedTo(t.source, `${m.container.name} declares ${m.port.containerPort}/${m.port.protocol}`, m.port.path),
          ],
        });
        break;
      }
    }
  },
};
