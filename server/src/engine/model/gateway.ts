/**
 * Gateway API (`gateway.networking.k8s.io`, any version): Gateways and their listeners, the
 * Routes that attach to them (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute) and
 * ReferenceGrants. Defaults are the API's: a parentRef is a Gateway (group
 * gateway.networking.k8s.io) in the Route's namespace, a backendRef a Service (core group) in
 * the Route's namespace with weight 1, a listener admits Routes of its own namespace, an
 * HTTPRoute match without a path is `PathPrefix /`.
 */
import type { Path } from '../parse/locate';
import { Resource, asArray, asObj, asString, get, isObj } from './resource';
import { apiGroupOf } from './apiGroups';
import { LabelExpression, readLabelSelector } from './workload';

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

export const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'] as const;
export type RouteKind = (typeof ROUTE_KINDS)[number];

export function isGatewayApi(r: Resource): boolean {
  return apiGroupOf(r.apiVersion) === GATEWAY_GROUP;
}

export function isRouteKind(kind: string): kind is RouteKind {
  return (ROUTE_KINDS as readonly string[]).includes(kind);
}

// ---------------------------------------------------------------- Gateway

export interface Listener {
  index: number;
  name: string;
  hostname: string | undefined;
  port: number | undefined;
  /** As written (the API treats the core protocols case-insensitively). */
  protocol: string;
  from: 'Same' | 'All' | 'Selector' | 'None';
  selector: { matchLabels: Record<string, string>; matchExpressions: LabelExpression[] } | undefined;
  /** `allowedRoutes.kinds`, or undefined when the listener's protocol decides. */
  kinds: { group: string; kind: string }[] | undefined;
  path: Path;
}

export interface GatewayInfo {
  resource: Resource;
  className: string | undefined;
  listeners: Listener[];
}

export function gatewayOf(r: Resource): GatewayInfo | undefined {
  if (r.kind !== 'Gateway' || !isGatewayApi(r)) return undefined;
  const listeners: Listener[] = [];
  asArray(get(r.value, 'spec', 'listeners')).forEach((l, i) => {
    if (!isObj(l)) return;
    const ns = asObj(get(l, 'allowedRoutes', 'namespaces'));
    const from = asString(ns?.from);
    const sel = asObj(ns?.selector);
    const kinds = get(l, 'allowedRoutes', 'kinds');
    listeners.push({
      index: i,
      name: asString(l.name) ?? '',
      hostname: asString(l.hostname) || undefined,
      port: typeof l.port === 'number' ? l.port : undefined,
      protocol: asString(l.protocol) ?? '',
      from: from === 'All' || from === 'Selector' || from === 'None' ? from : 'Same',
      selector: sel ? readLabelSelector(sel) : undefined,
      kinds:
        Array.isArray(kinds) && kinds.length
          ? kinds.flatMap(k => {
              const kind = asString(get(k, 'kind'));
              const group = get(k, 'group');
              return kind ? [{ group: typeof group === 'string' ? group : GATEWAY_GROUP, kind }] : [];
            })
          : undefined,
      path: [...r.base, 'spec', 'listeners', i],
    });
  });
  return { resource: r, className: asString(get(r.value, 'spec', 'gatewayClassName')), listeners };
}

/** The Route kinds a listener admits when `allowedRoutes.kinds` is not set. */
export function defaultRouteKinds(protocol: string): RouteKind[] | undefined {
  switch (protocol.toUpperCase()) {
    case 'HTTP':
    case 'HTTPS':
      return ['HTTPRoute', 'GRPCRoute'];
    case 'TLS':
      // Passthrough carries TLSRoutes; Terminate hands the decrypted stream to TCPRoutes.
      return ['TLSRoute', 'TCPRoute'];
    case 'TCP':
      return ['TCPRoute'];
    case 'UDP':
      return ['UDPRoute'];
    default:
      // An implementation's own protocol (`example.com/foo`): its kinds are its business.
      return undefined;
  }
}

// ---------------------------------------------------------------- Routes

export interface ParentRef {
  index: number;
  group: string;
  kind: string;
  name: string;
  namespace: string;
  sectionName: string | undefined;
  port: number | undefined;
  path: Path;
}

export interface BackendRef {
  rule: number;
  index: number;
  group: string;
  kind: string;
  name: string;
  namespace: string;
  /** True when `namespace` is written and differs from the Route's. */
  crossNamespace: boolean;
  port: number | undefined;
  weight: number;
  path: Path;
  namePath: Path;
  portPath: Path;
}

export type PathMatchType = 'Exact' | 'PathPrefix' | 'RegularExpression';

export interface HttpMatch {
  pathType: PathMatchType | string;
  pathValue: string;
  /** Conditions the tracer does not evaluate (headers, query parameters, method). */
  headers: number;
  queryParams: number;
  method: string | undefined;
  path: Path;
}

export interface RouteRule {
  index: number;
  /** HTTPRoute only; empty means the default `PathPrefix /`. GRPCRoute matches are not modelled. */
  matches: HttpMatch[];
  backendRefs: BackendRef[];
  filters: string[];
  path: Path;
}

export interface RouteInfo {
  resource: Resource;
  kind: RouteKind;
  hostnames: string[];
  parentRefs: ParentRef[];
  rules: RouteRule[];
}

export function routeOf(r: Resource): RouteInfo | undefined {
  if (!isRouteKind(r.kind) || !isGatewayApi(r)) return undefined;
  const specPath = [...r.base, 'spec'];
  const parentRefs: ParentRef[] = [];
  asArray(get(r.value, 'spec', 'parentRefs')).forEach((p, i) => {
    if (!isObj(p)) return;
    parentRefs.push({
      index: i,
      group: typeof p.group === 'string' ? p.group : GATEWAY_GROUP,
      kind: asString(p.kind) ?? 'Gateway',
      name: asString(p.name) ?? '',
      namespace: asString(p.namespace) || r.namespace,
      sectionName: asString(p.sectionName) || undefined,
      port: typeof p.port === 'number' ? p.port : undefined,
      path: [...specPath, 'parentRefs', i],
    });
  });
  const rules: RouteRule[] = [];
  asArray(get(r.value, 'spec', 'rules')).forEach((rule, ri) => {
    if (!isObj(rule)) return;
    const rulePath = [...specPath, 'rules', ri];
    const backendRefs: BackendRef[] = [];
    asArray(rule.backendRefs).forEach((b, bi) => {
      if (!isObj(b)) return;
      const path = [...rulePath, 'backendRefs', bi];
      const ns = asString(b.namespace);
      const w = b.weight;
      backendRefs.push({
        rule: ri,
        index: bi,
        group: typeof b.group === 'string' ? b.group : '',
        kind: asString(b.kind) ?? 'Service',
        name: asString(b.name) ?? '',
        namespace: ns || r.namespace,
        crossNamespace: !!ns && ns !== r.namespace,
        port: typeof b.port === 'number' ? b.port : undefined,
        weight: typeof w === 'number' && w >= 0 ? w : 1,
        path,
        namePath: [...path, 'name'],
        portPath: 'port' in b ? [...path, 'port'] : path,
      });
    });
    const matches: HttpMatch[] = [];
    if (r.kind === 'HTTPRoute')
      asArray(rule.matches).forEach((m, mi) => {
        if (!isObj(m)) return;
        const p = asObj(m.path);
        matches.push({
          pathType: asString(p?.type) ?? 'PathPrefix',
          pathValue: asString(p?.value) ?? '/',
          headers: asArray(m.headers).length,
          queryParams: asArray(m.queryParams).length,
          method: asString(m.method),
          path: [...rulePath, 'matches', mi],
        });
      });
    rules.push({
      index: ri,
      matches,
      backendRefs,
      filters: asArray(rule.filters).flatMap(f => {
        const t = asString(get(f, 'type'));
        return t ? [t] : [];
      }),
      path: rulePath,
    });
  });
  return {
    resource: r,
    kind: r.kind,
    hostnames: asArray(get(r.value, 'spec', 'hostnames')).filter((h): h is string => typeof h === 'string'),
    parentRefs,
    rules,
  };
}

/** A parentRef to a Gateway (the only parent this model checks; Service parents are the mesh's). */
export function isGatewayParent(p: ParentRef): boolean {
  return p.group === GATEWAY_GROUP && p.kind === 'Gateway';
}

/** A backendRef to a Kubernetes Service (other kinds are implementation-specific). */
export function isServiceBackend(b: BackendRef): boolean {
  return b.group === '' && b.kind === 'Service';
}

// ---------------------------------------------------------------- ReferenceGrant

export interface ReferenceGrantInfo {
  resource: Resource;
  from: { group: string; kind: string; namespace: string }[];
  to: { group: string; kind: string; name: string | undefined }[];
}

export function referenceGrantOf(r: Resource): ReferenceGrantInfo | undefined {
  if (r.kind !== 'ReferenceGrant' || !isGatewayApi(r)) return undefined;
  const from = asArray(get(r.value, 'spec', 'from')).flatMap(f => {
    const kind = asString(get(f, 'kind'));
    const namespace = asString(get(f, 'namespace'));
    return kind && namespace ? [{ group: asString(get(f, 'group')) ?? '', kind, namespace }] : [];
  });
  const to = asArray(get(r.value, 'spec', 'to')).flatMap(t => {
    const kind = asString(get(t, 'kind'));
    return kind ? [{ group: asString(get(t, 'group')) ?? '', kind, name: asString(get(t, 'name')) || undefined }] : [];
  });
  return { resource: r, from, to };
}

/** Whether a grant in the Service's namespace lets Routes of this kind and namespace reference it. */
export function grantAllows(g: ReferenceGrantInfo, route: RouteInfo, serviceName: string): boolean {
  return (
    g.from.some(f => f.group === GATEWAY_GROUP && f.kind === route.kind && f.namespace === route.resource.namespace) &&
    g.to.some(t => t.group === '' && t.kind === 'Service' && (t.name === undefined || t.name === serviceName))
  );
}

// ---------------------------------------------------------------- hostnames

/** Gateway API hostname matching: `*.example.com` is a suffix match over one or more labels. */
export function hostnameMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (!p.startsWith('*.')) return p === h;
  return h.endsWith(p.slice(1)) && h.length > p.length - 1;
}

/** Whether a listener hostname and a Route hostname have a host in common. */
export function hostnamesIntersect(a: string, b: string): boolean {
  const aw = a.startsWith('*.');
  const bw = b.startsWith('*.');
  if (!aw && !bw) return a.toLowerCase() === b.toLowerCase();
  if (aw && !bw) return hostnameMatches(a, b);
  if (!aw && bw) return hostnameMatches(b, a);
  // Two wildcards meet when one suffix contains the other.
  const as = a.slice(1).toLowerCase();
  const bs = b.slice(1).toLowerCase();
  return as.endsWith(bs) || bs.endsWith(as);
}

/** Route hostnames that a listener accepts (all of them when either side sets none). */
export function acceptedHostnames(listenerHostname: string | undefined, routeHostnames: string[]): string[] | 'any' {
  if (!routeHostnames.length) return 'any';
  if (!listenerHostname) return routeHostnames;
  return routeHostnames.filter(h => hostnamesIntersect(listenerHostname, h));
}

/** Route kinds whose listener hostnames matter (TCP and UDP routes have none). */
export function routeHasHostnames(kind: RouteKind): boolean {
  return kind === 'HTTPRoute' || kind === 'GRPCRoute' || kind === 'TLSRoute';
}
