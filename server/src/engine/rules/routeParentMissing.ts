import { Rule, at, relatedTo } from './rule';
import { ROUTE_KINDS, isGatewayParent } from '../model/gateway';
import { closest } from './support/nearMiss';

/**
 * A Route's parentRef (default kind Gateway) must name a Gateway, or the Route attaches to
 * nothing and serves no traffic. Shared Gateways are often defined by a platform team outside
 * the application's repository, so a Gateway missing from a namespace that has none in the
 * workspace is only information; a missing one next to other Gateways is a warning.
 */
export const routeParentMissing: Rule = {
  id: 'route-parent-missing',
  defaultSeverity: 'warning',
  summary: 'A Gateway API Route parentRef names a Gateway that is not in the workspace.',
  kinds: new Set(ROUTE_KINDS),
  check({ subject, cluster, report }) {
    const route = cluster.facts(subject)?.route;
    if (!route) return;
    for (const p of route.parentRefs) {
      if (!isGatewayParent(p) || !p.name) continue;
      if (cluster.gateways(p.namespace, p.name).length > 0) continue;
      const others = cluster.gatewaysInNamespace(p.namespace);
      const names = others.map(g => g.resource.name);
      const suggestion = closest(p.name, names);
      const anchor = at(subject, [...p.path, 'name']);
      if (!others.length) {
        report({
          severity: 'information',
          anchor,
          message: `Gateway ${p.namespace}/${p.name} is not in the workspace (shared Gateways are often managed outside the application, e.g. by the platform team), so whether it admits this ${route.kind} cannot be checked here.`,
        });
        continue;
      }
      report({
        anchor,
        message:
          `No Gateway "${p.name}" in namespace ${p.namespace}; without its parent the ${route.kind} attaches to nothing and serves no traffic. Gateways there: ${names.join(', ')}.` +
          (suggestion ? ` Did you mean "${suggestion}"?` : ''),
        related: others
          .slice(0, 3)
          .map(g => relatedTo(g.resource, `Gateway ${g.resource.namespace}/${g.resource.name}`)),
        fixes: suggestion
          ? [
              {
                title: `Change to "${suggestion}"`,
                preferred: true,
                edits: [{ fileId: subject.fileId, anchor, newText: suggestion }],
              },
            ]
          : [],
      });
    }
  },
};
