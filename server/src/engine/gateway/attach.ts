/**
 * Which listeners of a Gateway accept a Route through one parentRef, following the Gateway API:
 * `sectionName` and `port` pick listeners; each picked listener must admit the Route's
 * namespace (`allowedRoutes.namespaces.from` Same/All/Selector), its kind (`allowedRoutes.kinds`,
 * or the kinds of the listener's protocol), and, for HTTP, gRPC and TLS routes, share a hostname.
 * The Route is attached when at least one listener accepts it.
 */
import {
  GATEWAY_GROUP,
  GatewayInfo,
  Listener,
  ParentRef,
  RouteInfo,
  acceptedHostnames,
  defaultRouteKinds,
  routeHasHostnames,
} from '../model/gateway';
import { labelSelectorMatches } from '../model/workload';

export type NamespaceLabels = (ns: string) => { labels: Record<string, string>; known: boolean };

export interface ListenerVerdict {
  listener: Listener;
  ok: boolean;
  /** The only obstacle is a namespace selector on labels of a Namespace the workspace lacks. */
  uncertain: boolean;
  /** Why the listener refuses the Route (empty when ok). */
  reasons: string[];
}

export interface Attachment {
  /** Listeners the parentRef's sectionName/port pick (all when neither is set). */
  candidates: ListenerVerdict[];
  accepted: boolean;
  /** Not accepted, but only because a Namespace's labels are unknown. */
  uncertain: boolean;
}

export function attachment(gw: GatewayInfo, route: RouteInfo, ref: ParentRef, nsLabels: NamespaceLabels): Attachment {
  const picked = gw.listeners.filter(
    l =>
      (ref.sectionName === undefined || l.name === ref.sectionName) && (ref.port === undefined || l.port === ref.port),
  );
  const candidates = picked.map(l => verdict(gw, l, route, nsLabels));
  const accepted = candidates.some(c => c.ok);
  return { candidates, accepted, uncertain: !accepted && candidates.some(c => c.uncertain) };
}

function verdict(gw: GatewayInfo, l: Listener, route: RouteInfo, nsLabels: NamespaceLabels): ListenerVerdict {
  const reasons: string[] = [];
  let uncertain = false;
  const routeNs = route.resource.namespace;
  const gwNs = gw.resource.namespace;
  switch (l.from) {
    case 'None':
      reasons.push(`listener ${l.name} admits no Routes (allowedRoutes.namespaces.from: None)`);
      break;
    case 'Same':
      if (routeNs !== gwNs)
        reasons.push(
          `listener ${l.name} admits Routes from its own namespace ${gwNs} only (allowedRoutes.namespaces.from: Same, the default), and this Route is in ${routeNs}`,
        );
      break;
    case 'Selector': {
      const ns = nsLabels(routeNs);
      if (!l.selector) {
        reasons.push(`listener ${l.name} sets allowedRoutes.namespaces.from: Selector without a selector`);
      } else if (!labelSelectorMatches(l.selector, ns.labels)) {
        const keys = [...Object.keys(l.selector.matchLabels), ...l.selector.matchExpressions.map(e => e.key)];
        // Without the Namespace object only kubernetes.io/metadata.name is known for sure.
        if (!ns.known && keys.some(k => k !== 'kubernetes.io/metadata.name')) uncertain = true;
        reasons.push(
          `listener ${l.name} admits Routes from namespaces selected by ${selectorText(l.selector)}, and namespace ${routeNs} ${ns.known ? 'does not match' : 'is not in the workspace to compare (only kubernetes.io/metadata.name is known)'}`,
        );
      }
      break;
    }
    case 'All':
      break;
  }
  const kinds = l.kinds ?? defaultRouteKinds(l.protocol)?.map(kind => ({ group: GATEWAY_GROUP, kind }));
  if (kinds && !kinds.some(k => k.group === GATEWAY_GROUP && k.kind === route.kind))
    reasons.push(
      `listener ${l.name} (${l.protocol || 'no protocol'}) admits ${kinds.map(k => k.kind).join(', ') || 'no kinds'}${l.kinds ? ' (allowedRoutes.kinds)' : ''}, not ${route.kind}`,
    );
  if (routeHasHostnames(route.kind)) {
    const hosts = acceptedHostnames(l.hostname, route.hostnames);
    if (hosts !== 'any' && hosts.length === 0)
      reasons.push(
        `listener ${l.name} serves hostname ${l.hostname}, which none of the Route's hostnames (${route.hostnames.join(', ')}) matches`,
      );
  }
  return { listener: l, ok: reasons.length === 0, uncertain: uncertain && reasons.length === 1, reasons };
}

function selectorText(sel: NonNullable<Listener['selector']>): string {
  const parts = [
    ...Object.entries(sel.matchLabels).map(([k, v]) => `${k}=${v}`),
    ...sel.matchExpressions.map(e => `${e.key} ${e.operator} [${e.values.join(', ')}]`),
  ];
  return `{${parts.join(', ')}}`;
}
