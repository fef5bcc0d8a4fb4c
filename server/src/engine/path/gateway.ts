/**
 * A request entering a Gateway (Gateway API): the listener for its Host, the HTTPRoutes that
 * listener accepts, the matching rule, and the rule's weighted backendRefs, each a branch that
 * continues through its Service to the pods.
 */
import type { Hop, Branch } from './model';
import type { TraceContext } from './context';
import type { Entry } from './entry';
import type { GatewayInfo, Listener, RouteInfo, BackendRef } from '../model/gateway';
import { GATEWAY_GROUP, hostnameMatches, isGatewayParent } from '../model/gateway';
import { attachment } from '../gateway/attach';
import { describeServicePorts, invalidBackendOutcome, resolveBackend } from '../gateway/backends';
import { clusterLookup, clusterNamespaceLabels } from '../gateway/lookup';
import { HttpCandidate, matchHttpRoutes } from '../gateway/httpMatch';
import { throughService, LegResult } from './service';
import { closest } from '../rules/support/nearMiss';

export interface GatewayTrace {
  ok: boolean;
  /** The leg that reached pods, for `--to` continuation (the first successful branch). */
  leg: LegResult | undefined;
}

const GATEWAY_NODE = 0;

export function traceGateway(ctx: TraceContext, e: Extract<Entry, { kind: 'gateway' }>, hops: Hop[]): GatewayTrace {
  const gw = [...ctx.cluster.gateways(e.namespace, e.gateway)].sort((a, b) =>
    a.resource.id < b.resource.id ? -1 : 1,
  )[0];
  const nsLabels = clusterNamespaceLabels(ctx.cluster);
  const routes = attachedRoutes(ctx, e.namespace, e.gateway);
  hops.push(
    ctx.hop(
      'client',
      `HTTP request: Host ${e.host ?? '(none)'} path ${e.path} to Gateway ${e.namespace}/${e.gateway}`,
      {
        detail: [
          `The client reaches the Gateway's data plane (its LoadBalancer or NodePort Service); the Gateway pod runs on node-1 (illustrative).`,
        ],
        source: gw ? ctx.at(gw.resource) : undefined,
      },
    ),
  );
  let candidates: HttpCandidate[];
  if (!gw) {
    if (!routes.length) {
      const names = [...ctx.cluster.gatewaysInNamespace(e.namespace)].map(g => g.resource.name);
      const near = closest(e.gateway, names);
      hops.push(
        ctx.failed('network', `No Gateway ${e.namespace}/${e.gateway}`, {
          detail: [
            `The workspace has neither that Gateway nor a Route naming it as parent.${names.length ? ` Gateways in ${e.namespace}: ${names.join(', ')}.` : ''}${near ? ` Did you mean ${near}?` : ''}`,
          ],
        }),
      );
      return { ok: false, leg: undefined };
    }
    ctx.assume(
      `Gateway ${e.namespace}/${e.gateway} is not in the workspace: its listeners are assumed to accept every Route that names it.`,
    );
    candidates = routes.map(r => ({ route: r.route, listener: undefined }));
  } else {
    const listener = pickListener(gw, e.host);
    if (!listener) {
      hops.push(
        ctx.failed(
          'network',
          `No HTTP listener of ${e.namespace}/${e.gateway} serves ${e.host ?? 'requests without a Host'}`,
          {
            detail: [
              `Listeners: ${gw.listeners.map(l => `${l.name} ${l.protocol} ${l.port ?? '?'}${l.hostname ? ` ${l.hostname}` : ''}`).join(', ') || 'none'}. The Gateway answers 404 (or refuses the TLS handshake).`,
            ],
            source: ctx.at(gw.resource, [...gw.resource.base, 'spec', 'listeners']),
          },
        ),
      );
      return { ok: false, leg: undefined };
    }
    hops.push(
      ctx.hop(
        'network',
        `Listener ${listener.name}: ${listener.protocol} ${listener.port ?? '?'}${listener.hostname ? ` ${listener.hostname}` : ''}`,
        {
          detail: [
            listener.hostname
              ? `The listener's hostname ${listener.hostname} matches ${e.host}; the most specific listener hostname wins.`
              : 'The listener has no hostname: it serves every host.',
          ],
          source: ctx.at(gw.resource, listener.path),
        },
      ),
    );
    candidates = routes.flatMap(r =>
      r.refs.some(p => attachment(gw, r.route, p, nsLabels).candidates.some(c => c.ok && c.listener === listener))
        ? [{ route: r.route, listener }]
        : [],
    );
  }
  const { best, skipped } = matchHttpRoutes(candidates, e.host, e.path);
  const skippedNote = skipped.length
    ? [
        `Not evaluated: ${skipped
          .slice(0, 3)
          .map(
            s =>
              `${s.route.resource.name} rule ${s.rule.index + 1} needs ${[s.match.headers ? 'headers' : '', s.match.queryParams ? 'query parameters' : '', s.match.method ? `method ${s.match.method}` : ''].filter(Boolean).join(', ')}`,
          )
          .join(
            '; ',
          )} — the traced request carries none, so those matches are skipped (with them they may take precedence).`,
      ]
    : [];
  if (!best) {
    hops.push(
      ctx.failed('network', `404: no HTTPRoute rule matches ${e.host ?? ''}${e.path}`, {
        detail: [
          candidates.length
            ? `${candidates.length} HTTPRoute(s) are attached here, but none matches this host and path.`
            : "No HTTPRoute is attached to this listener (check the Routes' parentRefs and the listener's allowedRoutes).",
          ...skippedNote,
        ],
      }),
    );
    return { ok: false, leg: undefined };
  }
  const route = best.route.resource;
  const rule = best.rule;
  hops.push(
    ctx.hop('network', `HTTPRoute ${route.namespace}/${route.name} rule ${rule.index + 1}: ${best.how}`, {
      detail: [
        `Host ${best.hostname ? `matched ${best.hostname}` : 'not restricted by the Route'}; precedence: most specific hostname, then Exact before PathPrefix, longest prefix, then oldest Route and namespace/name.`,
        ...(rule.filters.length ? [`Filters: ${rule.filters.join(', ')}.`] : []),
        ...skippedNote,
      ],
      source: ctx.at(route, best.match?.path ?? rule.path),
    }),
  );
  const refs = rule.backendRefs;
  if (!refs.length) {
    const redirect = rule.filters.includes('RequestRedirect');
    hops.push(
      redirect
        ? ctx.hop('network', 'RequestRedirect: the Gateway answers with a redirect', {
            detail: ['The rule has no backends; its RequestRedirect filter answers the client directly.'],
            source: ctx.at(route, rule.path),
          })
        : ctx.failed('network', '500: the rule has no backendRefs', {
            detail: ['A rule without backends (and without a redirect) answers HTTP 500.'],
            source: ctx.at(route, rule.path),
          }),
    );
    return { ok: redirect, leg: undefined };
  }
  const total = refs.reduce((s, b) => s + b.weight, 0);
  if (refs.length === 1) {
    const r = followBackend(ctx, best.route, refs[0]);
    hops.push(...r.hops);
    return { ok: r.ok, leg: r.leg };
  }
  const branches: Branch[] = [];
  let first: LegResult | undefined;
  refs.forEach((b, i) => {
    const r = b.weight > 0 ? followBackend(ctx, best.route, b) : { hops: [], ok: false, leg: undefined };
    if (r.ok && !first) first = r.leg;
    branches.push({
      id: `w${i + 1}`,
      label: `${b.namespace}/${b.name}:${b.port ?? '?'} (weight ${b.weight})`,
      probability: total ? b.weight / total : 0,
      probabilityText: `weight ${b.weight} of ${total}`,
      hops: b.weight > 0 ? r.hops : [ctx.hop('network', 'weight 0: no traffic', { source: ctx.at(route, b.path) })],
      status: r.ok ? 'ok' : 'failed',
    });
  });
  const split = ctx.hop('network', `${refs.length} weighted backends`, {
    detail: [
      `The Gateway splits the rule's requests by weight (weight / sum of weights, ${total} here); an invalid backend's share gets HTTP 500.`,
    ],
    source: ctx.at(route, [...rule.path, 'backendRefs']),
  });
  split.branches = branches;
  hops.push(split);
  return { ok: !!first, leg: first };
}

function followBackend(
  ctx: TraceContext,
  route: RouteInfo,
  b: BackendRef,
): { hops: Hop[]; ok: boolean; leg: LegResult | undefined } {
  const r = route.resource;
  const res = resolveBackend(clusterLookup(ctx.cluster), route, b);
  const fail = (title: string, rule: string, detail: string, path = b.path) => ({
    hops: [
      ctx.failed('network', title, {
        rule,
        detail: [detail, `${invalidBackendOutcome(route.kind)}.`],
        source: ctx.at(r, path),
      }),
    ],
    ok: false,
    leg: undefined,
  });
  switch (res.status) {
    case 'other-kind':
      return {
        hops: [
          ctx.hop('network', `Backend ${b.kind} ${b.name} (${b.group || 'core'})`, {
            detail: ['An implementation-specific backend kind: not followed further.'],
            source: ctx.at(r, b.path),
          }),
        ],
        ok: true,
        leg: undefined,
      };
    case 'service-missing':
      return fail(
        `Backend Service ${b.namespace}/${b.name} does not exist`,
        'route-backend-service-missing',
        `No Service ${b.name} in namespace ${b.namespace}.`,
        b.namePath,
      );
    case 'not-permitted':
      return fail(
        `Reference to ${b.namespace}/${b.name} not permitted`,
        'route-backend-not-permitted',
        `No ReferenceGrant in ${b.namespace} allows ${route.kind}s from ${r.namespace} (group ${GATEWAY_GROUP}).`,
      );
    case 'port-absent':
    case 'port-missing':
      return fail(
        `Service ${b.namespace}/${b.name} has no port ${b.port ?? '(none)'}`,
        'route-backend-port-missing',
        `The Service's ports: ${describeServicePorts(res.services[0])}; a backendRef names the Service port.`,
        b.portPath,
      );
    case 'ok': {
      const out: Hop[] = [
        ctx.hop('network', `Backend ${b.namespace}/${b.name}:${b.port}`, {
          detail: [`Service port ${res.port.port}${res.port.name ? ` (${res.port.name})` : ''}/${res.port.protocol}.`],
          source: ctx.at(r, b.path),
        }),
      ];
      if (res.service.type === 'ExternalName') {
        out.push(
          ctx.hop('dns', `ExternalName ${res.service.resource.name} → ${res.service.externalName ?? '?'}`, {
            detail: [
              'Implementations that support ExternalName backends resolve the name and proxy there; the path leaves the cluster.',
            ],
            source: ctx.at(res.service.resource),
          }),
        );
        return { hops: out, ok: true, leg: undefined };
      }
      const leg = throughService(ctx, {
        svc: res.service,
        sp: res.port,
        via: 'gateway',
        entryNode: GATEWAY_NODE,
        source: { kind: 'unknown-pod', describe: 'the Gateway pod' },
      });
      out.push(...leg.hops);
      return { hops: out, ok: leg.ok, leg };
    }
  }
}

/** The HTTP/HTTPS listener serving a host: the most specific hostname wins, then no hostname. */
function pickListener(gw: GatewayInfo, host: string | undefined): Listener | undefined {
  const http = gw.listeners.filter(l => ['HTTP', 'HTTPS'].includes(l.protocol.toUpperCase()));
  const fits = http.filter(l => !l.hostname || (host !== undefined && hostnameMatches(l.hostname, host)));
  const rank = (l: Listener) =>
    !l.hostname ? 0 : l.hostname.startsWith('*.') ? l.hostname.length : 1000 + l.hostname.length;
  return fits.sort((a, b) => rank(b) - rank(a) || a.index - b.index)[0];
}

/** HTTPRoutes naming this Gateway as a parent, with the parentRefs that do. */
function attachedRoutes(
  ctx: TraceContext,
  ns: string,
  name: string,
): { route: RouteInfo; refs: RouteInfo['parentRefs'] }[] {
  const out: { route: RouteInfo; refs: RouteInfo['parentRefs'] }[] = [];
  const seen = new Set<string>();
  const facts = [...ctx.cluster.allFacts()].sort((a, b) => (a.resource.id < b.resource.id ? -1 : 1));
  for (const f of facts) {
    const route = f.route;
    if (!route || route.kind !== 'HTTPRoute') continue;
    const key = `${route.resource.namespace}/${route.resource.name}`;
    if (seen.has(key)) continue;
    const refs = route.parentRefs.filter(p => isGatewayParent(p) && p.namespace === ns && p.name === name);
    if (!refs.length) continue;
    seen.add(key);
    out.push({ route, refs });
  }
  return out;
}
