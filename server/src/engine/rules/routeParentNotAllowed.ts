import { Rule, at, relatedTo } from './rule';
import { ROUTE_KINDS, isGatewayParent } from '../model/gateway';
import { displayName } from '../model/resource';
import { attachment } from '../gateway/attach';
import { closest } from './support/nearMiss';

/**
 * The Gateway a parentRef names must have a listener that accepts the Route: the listener named
 * by `sectionName` / on `port` (any listener when neither is set) must admit the Route's
 * namespace, its kind and, for HTTP/gRPC/TLS routes, one of its hostnames. Otherwise the Route is
 * not accepted (NotAllowedByListeners, NoMatchingListenerHostname, NoMatchingParent).
 */
export const routeParentNotAllowed: Rule = {
  id: 'route-parent-not-allowed',
  defaultSeverity: 'error',
  summary:
    "A Gateway API Route's parent Gateway has no listener that accepts it (sectionName/port, allowed namespaces, kinds, hostnames).",
  kinds: new Set(ROUTE_KINDS),
  check({ subject, cluster, report }) {
    const route = cluster.facts(subject)?.route;
    if (!route) return;
    for (const p of route.parentRefs) {
      if (!isGatewayParent(p) || !p.name) continue;
      const gws = cluster.gateways(p.namespace, p.name);
      if (!gws.length) continue;
      const results = gws.map(gw => ({ gw, a: attachment(gw, route, p, ns => cluster.namespaceLabels(ns)) }));
      if (results.some(r => r.a.accepted)) continue;
      const { gw, a } = results[0];
      const gwName = displayName(gw.resource);
      if (a.candidates.length === 0) {
        const want = [
          p.sectionName !== undefined ? `named "${p.sectionName}"` : '',
          p.port !== undefined ? `on port ${p.port}` : '',
        ]
          .filter(Boolean)
          .join(' and ');
        const listeners = gw.listeners.map(l => `${l.name} (${l.protocol} ${l.port ?? '?'})`).join(', ') || 'none';
        const suggestion =
          p.sectionName !== undefined
            ? closest(
                p.sectionName,
                gw.listeners.map(l => l.name),
              )
            : undefined;
        const anchor = at(subject, [...p.path, p.sectionName !== undefined ? 'sectionName' : 'port']);
        report({
          anchor,
          message:
            `${gwName} has no listener ${want || 'at all'}, so the ${route.kind} is not accepted (NoMatchingParent). Listeners: ${listeners}.` +
            (suggestion ? ` Did you mean "${suggestion}"?` : ''),
          related: [relatedTo(gw.resource, `listeners of ${gwName}`, [...gw.resource.base, 'spec', 'listeners'])],
          fixes: suggestion
            ? [
                {
                  title: `Change sectionName to "${suggestion}"`,
                  preferred: true,
                  edits: [{ fileId: subject.fileId, anchor, newText: suggestion }],
                },
              ]
            : [],
        });
        continue;
      }
      const reasons = a.candidates.flatMap(c => c.reasons);
      report({
        severity: a.uncertain ? 'warning' : undefined,
        anchor: at(subject, [...p.path, 'name']),
        message: `${gwName} does not accept this ${route.kind}${a.uncertain ? ' unless namespace ' + subject.namespace + ' carries the selected labels' : ''}: ${reasons.slice(0, 3).join('; ')}${reasons.length > 3 ? '; …' : ''}. A Route no listener accepts serves no traffic.`,
        related: a.candidates
          .slice(0, 3)
          .map(c => relatedTo(gw.resource, `listener ${c.listener.name}`, c.listener.path)),
      });
    }
  },
};
