/**
 * HTTPRoute request matching as the Gateway API specifies it, for one listener:
 *
 * - Hostnames: a Route's hostnames (those the listener accepts; none = the listener's) must
 *   match the Host: exactly, or `*.example.com` as a suffix over one or more labels. Among
 *   Routes, the most specific matching hostname wins (most characters of a non-wildcard match,
 *   then of any match).
 * - Paths: `Exact`; `PathPrefix` element-wise on `/` (`/foo` matches `/foo` and `/foo/bar`, not
 *   `/foobar`; a trailing slash is ignored); `RegularExpression` as a full match (its precedence
 *   is implementation-specific: here after every Exact and PathPrefix match). A rule without
 *   matches is `PathPrefix /`.
 * - Ties: Exact before PathPrefix, longer prefix first, then the number of header, query and
 *   method conditions; then the oldest Route (creationTimestamp), then `namespace/name`, then
 *   rule and match order.
 * - Header, query-parameter and method conditions are not evaluated: the traced request carries
 *   none, so matches that need them are skipped, and the result says which.
 */
import type { HttpMatch, Listener, RouteInfo, RouteRule } from '../model/gateway';
import { acceptedHostnames, hostnameMatches } from '../model/gateway';
import { asString, get } from '../model/resource';

export interface HttpCandidate {
  route: RouteInfo;
  listener: Listener | undefined;
}

export interface HttpRouteMatch {
  route: RouteInfo;
  rule: RouteRule;
  /** Undefined when the rule has no matches (the default `PathPrefix /`). */
  match: HttpMatch | undefined;
  listener: Listener | undefined;
  /** The Route hostname that matched, or undefined when the Route sets none. */
  hostname: string | undefined;
  how: string;
}

export interface HttpMatchResult {
  best: HttpRouteMatch | undefined;
  /** Matches skipped because they need headers, query parameters or a method. */
  skipped: { route: RouteInfo; rule: RouteRule; match: HttpMatch }[];
}

export function pathMatches(type: string, value: string, path: string): boolean {
  switch (type) {
    case 'Exact':
      return path === value;
    case 'RegularExpression':
      try {
        return new RegExp(`^(?:${value})$`).test(path);
      } catch {
        return false;
      }
    default: {
      const want = value.split('/').filter(s => s);
      const got = path.split('/').filter(s => s);
      return want.length <= got.length && want.every((s, i) => s === got[i]);
    }
  }
}

interface Scored {
  m: HttpRouteMatch;
  key: (number | string)[];
}

export function matchHttpRoutes(candidates: HttpCandidate[], host: string | undefined, path: string): HttpMatchResult {
  const scored: Scored[] = [];
  const skipped: HttpMatchResult['skipped'] = [];
  for (const c of candidates) {
    const route = c.route;
    if (route.kind !== 'HTTPRoute') continue;
    const accepted = acceptedHostnames(c.listener?.hostname, route.hostnames);
    let hostname: string | undefined;
    let exactChars = 0;
    let anyChars = 0;
    if (accepted === 'any') {
      // The Route takes the listener's hostname (or every host when the listener has none).
      const lh = c.listener?.hostname;
      if (lh && (!host || !hostnameMatches(lh, host))) continue;
    } else {
      if (!host) continue;
      const hits = accepted.filter(h => hostnameMatches(h, host));
      if (!hits.length) continue;
      hostname = hits.sort((a, b) => b.length - a.length)[0];
      exactChars = Math.max(0, ...hits.filter(h => !h.startsWith('*.')).map(h => h.length));
      anyChars = hostname.length;
    }
    const created = asString(get(route.resource.value, 'metadata', 'creationTimestamp')) ?? '\uffff';
    const id = `${route.resource.namespace}/${route.resource.name}`;
    for (const rule of route.rules) {
      const matches = rule.matches.length ? rule.matches : [undefined];
      matches.forEach((m, mi) => {
        const type = m?.pathType ?? 'PathPrefix';
        const value = m?.pathValue ?? '/';
        if (!pathMatches(type, value, path)) return;
        if (m && (m.headers || m.queryParams || m.method)) {
          skipped.push({ route, rule, match: m });
          return;
        }
        const typeRank = type === 'Exact' ? 0 : type === 'PathPrefix' ? 1 : 2;
        const prefixLen = type === 'PathPrefix' ? value.replace(/\/+$/, '').length : 0;
        scored.push({
          m: {
            route,
            rule,
            match: m,
            listener: c.listener,
            hostname,
            how: `${type} ${value}${m ? '' : ' (the rule has no matches)'}`,
          },
          key: [-exactChars, -anyChars, typeRank, -prefixLen, created, id, rule.index, mi],
        });
      });
    }
  }
  scored.sort((a, b) => compareKeys(a.key, b.key));
  return { best: scored[0]?.m, skipped };
}

function compareKeys(a: (number | string)[], b: (number | string)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    return x < y ? -1 : 1;
  }
  return 0;
}
