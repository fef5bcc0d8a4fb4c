/**
 * A packet meets a Service: the kube-proxy chain walk for the way it arrived (ClusterIP from a
 * pod, NodePort, LoadBalancer IP, externalIP, or an Ingress controller proxying to endpoints),
 * one branch per endpoint with kube-proxy's probability, and delivery to each endpoint. Chain
 * names, addresses, endpoints and rule text come from the kube-proxy model; a Service without
 * usable endpoints ends in kube-proxy's REJECT, with the reason and its diagnostic.
 */
import type { Hop, Branch } from './model';
import type { TraceContext } from './context';
import type { ServiceInfo, ServicePort } from '../model/service';
import { effectiveTargetPort, targetPortPath } from '../model/service';
import type { PodTemplate } from '../model/workload';
import { Resource, asArray, asString, get } from '../model/resource';
import { resolveEndpoints, resolveTarget, EndpointResolution, PathEndpoint } from './endpoints';
import { proxyPort, ruleLines, masqMark, ServicePortProxy, WeightedEndpoint, ProxyEndpoint } from './adapters';
import { deliver } from './delivery';
import { evaluatePolicies, Peer } from './policy';
import { nodeName } from './placement';

export type Via = 'cluster-ip' | 'nodeport' | 'lb' | 'external-ip' | 'ingress' | 'gateway' | 'headless';

/** Ingress controllers and Gateway implementations proxy to endpoints themselves, past kube-proxy. */
function proxied(via: Via): boolean {
  return via === 'ingress' || via === 'gateway';
}

export interface ServiceLeg {
  svc: ServiceInfo;
  sp: ServicePort;
  via: Via;
  /** Node whose netfilter sees the packet first (client pod's node, receiving node, controller's node). */
  entryNode: number;
  source: Peer;
  clientPod?: { template: PodTemplate; ip: string; describe: string };
  /** The LB IP or external IP the packet was sent to. */
  address?: string;
}

export interface LegResult {
  hops: Hop[];
  ok: boolean;
  reached: PathEndpoint[];
}

export function spnOf(svc: ServiceInfo, sp: ServicePort): string {
  return `${svc.resource.namespace}/${svc.resource.name}${sp.name ? `:${sp.name}` : ''}`;
}

export function throughService(ctx: TraceContext, leg: ServiceLeg): LegResult {
  const { svc, sp } = leg;
  const hops: Hop[] = [];
  const entry = nodeName(leg.entryNode);
  const pp = proxyPort(ctx.ws, svc, sp, entry);
  const spn = pp.spn;
  const chains = pp.chains;
  const svcWhere = ctx.at(svc.resource, sp.path);
  for (const n of pp.notes) if (relevantNote(n, leg.via)) ctx.assume(n);
  const res = resolveEndpoints(ctx.cluster, svc, sp, ctx.placement);
  const clusterIP = pp.clusterIP.value;
  const mark = masqMark(ctx.ws);

  if (!pp.hasEndpoints) {
    hops.push(noEndpoints(ctx, leg, pp, res));
    return { hops, ok: false, reached: [] };
  }

  const external = leg.via === 'nodeport' || leg.via === 'lb' || leg.via === 'external-ip';
  const masq = external && !pp.externalPolicyLocal;
  let pool: WeightedEndpoint[] = pp.clusterEndpoints;
  let chain = chains.svc;

  if (proxied(leg.via) || leg.via === 'headless') {
    if (proxied(leg.via)) {
      hops.push(
        ctx.hop('network', `${leg.via === 'gateway' ? 'Gateway' : 'Controller'} picks an endpoint of ${spn}`, {
          detail: [
            leg.via === 'gateway'
              ? `Gateway implementations (Envoy Gateway, Istio, Cilium, NGINX Gateway Fabric, …) read the EndpointSlices and proxy straight to a pod address, bypassing the ClusterIP and kube-proxy.`
              : `Most controllers (ingress-nginx, Traefik, HAProxy) read the EndpointSlices and proxy straight to a pod address, bypassing the ClusterIP and kube-proxy.`,
            `${pool.length} endpoint(s), balanced by the ${leg.via === 'gateway' ? 'Gateway' : 'controller'} (round robin by default).`,
            ...droppedNotes(res),
          ],
          source: svcWhere,
        }),
      );
    } else {
      hops.push(
        ctx.hop('network', `Client picks one of ${svc.resource.name}'s pod addresses`, {
          detail: [
            `DNS returned every ready pod address; no kube-proxy rule is involved (headless Service).`,
            ...droppedNotes(res),
          ],
          source: svcWhere,
        }),
      );
    }
  } else if (leg.via === 'cluster-ip') {
    chain = pp.internalChain;
    hops.push(
      ctx.hop('node-netfilter', `KUBE-SERVICES: ${spn} cluster IP → ${chain}`, {
        detail: [
          `On ${entry}, nat OUTPUT jumps to KUBE-SERVICES; the packet to ${clusterIP}:${sp.port} matches:`,
          ...ruleLines(pp, 'cluster-ip'),
        ],
        source: svcWhere,
      }),
    );
    if (pp.internalPolicyLocal) {
      pool = pp.localEndpoints;
      if (!pp.hasInternalEndpoints || !pool.length) {
        hops.push(
          ctx.failed('node-netfilter', `DROP: ${spn} has no local endpoints on ${entry}`, {
            detail: [
              `internalTrafficPolicy: Local sends only to endpoints on the client's node, and none of the ${pp.endpoints.length} endpoint(s) runs on ${entry}.`,
              ...ruleLines(pp, 'drop-no-local-endpoints'),
            ],
            source: ctx.at(svc.resource, [...svc.resource.base, 'spec', 'internalTrafficPolicy']),
          }),
        );
        return { hops, ok: false, reached: [] };
      }
    }
  } else {
    if (leg.via === 'nodeport') {
      hops.push(
        ctx.hop('node-netfilter', `KUBE-SERVICES → KUBE-NODEPORTS`, {
          detail: [
            `On ${entry}, nat PREROUTING jumps to KUBE-SERVICES; no ClusterIP rule matches a node address, so the last rule sends it on:`,
            `-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`,
          ],
        }),
      );
      hops.push(
        ctx.hop('node-netfilter', `KUBE-NODEPORTS: ${spn} → ${chains.ext}`, {
          detail: ruleLines(pp, 'nodeport'),
          source: sp.nodePort !== undefined ? ctx.at(svc.resource, [...sp.path, 'nodePort']) : svcWhere,
        }),
      );
    } else {
      const role = leg.via === 'lb' ? 'loadbalancer-ip' : 'external-ip';
      const lines = ruleLines(pp, role).filter(l => !leg.address || l.includes(` -d ${leg.address} `));
      hops.push(
        ctx.hop(
          'node-netfilter',
          `KUBE-SERVICES: ${spn} ${leg.via === 'lb' ? 'loadbalancer IP' : 'external IP'} → ${pp.usesFirewallChain && leg.via === 'lb' ? chains.fw : chains.ext}`,
          {
            detail: [`On ${entry}, nat PREROUTING jumps to KUBE-SERVICES:`, ...lines],
            source: svcWhere,
          },
        ),
      );
      if (pp.usesFirewallChain && leg.via === 'lb') {
        hops.push(
          ctx.hop('node-netfilter', `${chains.fw}: loadBalancerSourceRanges`, {
            detail: [
              ...ruleLines(pp, 'firewall-allow'),
              ...ruleLines(pp, 'firewall-end'),
              ...ruleLines(pp, 'firewall-drop'),
              `Whether this client passes depends on its source address.`,
            ],
            source: ctx.at(svc.resource, [...svc.resource.base, 'spec', 'loadBalancerSourceRanges']),
          }),
        );
      }
    }
    if (pp.externalPolicyLocal) {
      chain = chains.svl;
      pool = pp.localEndpoints;
      hops.push(
        ctx.hop(
          'node-netfilter',
          `${chains.ext}: externalTrafficPolicy Local → ${pool.length ? chains.svl : 'no local endpoints'}`,
          {
            detail: [
              `External traffic keeps its client source address and may only go to endpoints on ${entry}.`,
              ...ruleLines(pp, 'ext-pod-shortcut'),
              ...ruleLines(pp, 'ext-local-masquerade'),
              ...ruleLines(pp, 'ext-local-shortcut'),
              ...ruleLines(pp, 'ext-policy'),
            ],
            source: ctx.at(svc.resource, [...svc.resource.base, 'spec', 'externalTrafficPolicy']),
          },
        ),
      );
      if (!pool.length) {
        hops.push(
          ctx.failed('node-netfilter', `DROP: ${spn} has no local endpoints on ${entry}`, {
            detail: [
              ...ruleLines(pp, 'drop-no-local-endpoints'),
              `A cloud load balancer health-checks healthCheckNodePort and stops sending to ${entry}; a client aiming at ${entry} directly is dropped.`,
            ],
            source: ctx.at(svc.resource, [...svc.resource.base, 'spec', 'externalTrafficPolicy']),
          }),
        );
        return { hops, ok: false, reached: [] };
      }
    } else {
      hops.push(
        ctx.hop('node-netfilter', `${chains.ext}: mark for masquerade → ${chains.svc}`, {
          detail: [
            ...ruleLines(pp, 'ext-masquerade'),
            `-A KUBE-MARK-MASQ -j MARK --or-mark ${mark}`,
            ...ruleLines(pp, 'ext-policy'),
          ],
        }),
      );
    }
  }

  const branches: Branch[] = [];
  const reached: PathEndpoint[] = [];
  const n = pool.length;
  pool.forEach((w, i) => {
    const ep = toPathEndpoint(ctx, svc, sp, w.endpoint, res);
    const bHops: Hop[] = [];
    if (proxied(leg.via) || leg.via === 'headless') {
      bHops.push(
        ctx.hop(
          'network',
          `${leg.via === 'gateway' ? 'Gateway proxies' : leg.via === 'ingress' ? 'Controller proxies' : 'Connect directly'} to ${ep.ip}:${ep.port}`,
          {
            detail: [
              `A new connection from ${leg.via === 'gateway' ? 'the Gateway pod' : leg.via === 'ingress' ? 'the controller pod' : (leg.clientPod?.describe ?? 'the client')} on ${entry} to ${ep.podName === 'endpoint' ? ep.ip : ep.podName}${ep.illustrative ? ' (illustrative address)' : ''}.`,
            ],
            source: ep.where,
          },
        ),
      );
    } else {
      bHops.push(
        ctx.hop('node-netfilter', `${w.endpoint.sepChain}: DNAT to ${w.endpoint.endpoint}`, {
          detail: [
            ...ruleLines(pp, 'affinity-check', w.endpoint.endpoint).filter(l => l.startsWith(`-A ${chain} `)),
            ...ruleLines(pp, 'endpoint-select', w.endpoint.endpoint).filter(l => l.startsWith(`-A ${chain} `)),
            ...ruleLines(pp, 'endpoint-dnat', w.endpoint.endpoint),
            `Endpoint ${ep.podName === 'endpoint' ? ep.ip : ep.podName} on ${ep.node ?? 'an unknown node'}${ep.illustrative ? ' (illustrative)' : ` (from ${w.endpoint.origin.kind} ${w.endpoint.origin.name})`}; targetPort ${String(effectiveTargetPort(sp))} → ${ep.port}.`,
          ],
          source: ep.where,
        }),
      );
      if (masq) {
        bHops.push(
          ctx.hop('node-netfilter', `KUBE-POSTROUTING: MASQUERADE (mark ${mark})`, {
            detail: [
              `-A KUBE-POSTROUTING -m mark ! --mark ${mark}/${mark} -j RETURN`,
              `-A KUBE-POSTROUTING -j MARK --xor-mark ${mark}`,
              `-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully`,
              `The pod sees ${entry}'s address as the source, not the client's (externalTrafficPolicy: Cluster).`,
            ],
          }),
        );
      }
    }
    let ok = true;
    if (leg.clientPod && ep.template) {
      const c = leg.clientPod;
      const v = evaluatePolicies(
        ctx.connectivity,
        'Egress',
        { namespace: c.template.namespace, labels: c.template.labels, describe: c.describe },
        {
          kind: 'pod',
          namespace: ep.template.namespace,
          labels: ep.template.labels,
          ip: ep.ip,
          ipIllustrative: ep.illustrative,
          describe: ep.podName === 'endpoint' ? `the pod at ${ep.ip}` : `pod ${ep.podName}`,
        },
        { number: ep.port, name: ep.containerPort?.name, protocol: sp.protocol },
      );
      if (v.isolated) {
        bHops.push(
          v.allowed
            ? ctx.hop('client', `Egress NetworkPolicy: ${v.text}`, {
                detail: [`${c.describe} is isolated for egress; policies see the pod destination ${ep.ip}:${ep.port}.`],
                source: v.where,
              })
            : ctx.failed('client', `Egress NetworkPolicy ${v.text}`, {
                detail: [`The packet is dropped on ${entry} as it leaves ${c.describe}; the client sees a timeout.`],
                source: v.where,
              }),
        );
        ok = v.allowed;
      }
    }
    if (ok) {
      const source: Peer = masq
        ? { kind: 'external', ip: undefined, describe: `${entry}'s node address (after SNAT)` }
        : leg.source;
      const d = deliver(ctx, ep, { fromNode: leg.entryNode, source, protocol: sp.protocol });
      bHops.push(...d.hops);
      ok = d.ok;
    }
    if (ok) reached.push(ep);
    const share = `1/${n}`;
    branches.push({
      id: `b${i + 1}`,
      label: `${ep.podName} ${ep.ip}:${ep.port} on ${ep.node ?? 'unknown node'}`,
      probability: w.share,
      probabilityText: proxied(leg.via)
        ? `${share} (${leg.via === 'gateway' ? 'Gateway' : 'controller'} round robin)`
        : leg.via === 'headless'
          ? `${share} (resolver order)`
          : w.probability !== undefined
            ? `--probability ${w.probability} (${share} overall)`
            : n === 1
              ? 'always (single endpoint)'
              : `last rule, no statistic match (${share} overall)`,
      hops: bHops,
      status: ok ? 'ok' : 'failed',
    });
  });

  if (!proxied(leg.via) && leg.via !== 'headless') {
    hops.push(
      ctx.hop('node-netfilter', `${chain}: ${n} endpoint${n === 1 ? '' : 's'}${n > 1 ? `, 1/${n} each` : ''}`, {
        detail: [
          ...ruleLines(pp, 'cluster-ip-masquerade')
            .filter(l => l.startsWith(`-A ${chain} `))
            .map(l => `${l}${leg.via === 'cluster-ip' ? '   (not taken: the source is a pod)' : ''}`),
          `kube-proxy orders endpoints by "ip:port" as strings; rule i of n matches with probability 1/(n-i), so each endpoint gets 1/n.`,
          ...(pp.affinitySeconds !== undefined
            ? [
                `sessionAffinity: ClientIP — a client keeps its endpoint for ${pp.affinitySeconds}s (the -m recent --rcheck rules come first).`,
              ]
            : []),
          ...droppedNotes(res),
        ],
        source: svcWhere,
      }),
    );
  }
  hops[hops.length - 1].branches = branches;
  return { hops, ok: reached.length > 0, reached };
}

/** Ties a kube-proxy endpoint back to its pod template and the container that owns the port. */
function toPathEndpoint(
  ctx: TraceContext,
  svc: ServiceInfo,
  sp: ServicePort,
  e: ProxyEndpoint,
  res: EndpointResolution,
): PathEndpoint {
  const fromFacts = ctx.cluster.facts.get(e.origin.resourceId)?.template;
  const template =
    fromFacts ??
    res.selected.find(t => t.owner.kind === e.origin.kind && t.owner.name === e.origin.name) ??
    (e.source !== 'illustrative' ? res.selected[0] : undefined);
  const match = template ? resolveTarget(template, effectiveTargetPort(sp), sp) : undefined;
  const own = match && match.port === e.port ? match : undefined;
  const m = e.nodeName ? /^node-(\d+)$/.exec(e.nodeName) : null;
  const origin = ctx.cluster.facts.get(e.origin.resourceId)?.resource;
  return {
    ip: e.ip,
    port: e.port,
    node: e.nodeName,
    nodeIndex: m ? Number(m[1]) - 1 : undefined,
    ready: e.ready,
    illustrative: e.source === 'illustrative',
    podName: e.podName ?? (origin ? targetRefName(origin, e.ip) : undefined) ?? 'endpoint',
    template,
    container: own?.container,
    containerPort: own?.containerPort,
    where:
      template && own?.containerPort
        ? ctx.at(template.source, own.containerPort.path)
        : origin
          ? ctx.at(origin, origin.base.length ? origin.base : [...origin.base, 'metadata', 'name'])
          : ctx.at(svc.resource, sp.path),
  };
}

/** Model caveats about addresses this path never uses (a nodePort on an LB path) would only confuse. */
function relevantNote(note: string, via: Via): boolean {
  if (/^nodePort \d+ is illustrative/.test(note)) return via === 'nodeport';
  if (/^healthCheckNodePort/.test(note)) return via === 'lb';
  if (/^The load-balancer IP/.test(note)) return via === 'lb';
  if (/^The ClusterIP/.test(note)) return via !== 'headless' && !proxied(via);
  return true;
}

/** The pod an EndpointSlice (or Endpoints) address belongs to, from its targetRef. */
function targetRefName(slice: Resource, ip: string): string | undefined {
  const lists =
    slice.kind === 'EndpointSlice'
      ? asArray(slice.value.endpoints)
      : asArray(slice.value.subsets).flatMap(ss => [
          ...asArray(get(ss, 'addresses')),
          ...asArray(get(ss, 'notReadyAddresses')),
        ]);
  for (const ep of lists) {
    const ips = slice.kind === 'EndpointSlice' ? asArray(get(ep, 'addresses')) : [get(ep, 'ip')];
    if (ips.includes(ip)) return asString(get(ep, 'targetRef', 'name')) ?? asString(get(ep, 'hostname'));
  }
  return undefined;
}

function droppedNotes(res: EndpointResolution): string[] {
  return res.dropped.map(
    d =>
      `${d.template.owner.kind} ${d.template.owner.name} is not an endpoint: ${d.detail}${d.reason === 'target-port-unresolved' ? ' (service-target-port-unresolved)' : ''}.`,
  );
}

function noEndpoints(ctx: TraceContext, leg: ServiceLeg, pp: ServicePortProxy, res: EndpointResolution): Hop {
  const { svc, sp } = leg;
  const spn = pp.spn;
  const rejectLines = ruleLines(pp, 'reject-no-endpoints');
  const reject = proxied(leg.via)
    ? [
        leg.via === 'gateway'
          ? `The Gateway has no endpoint for ${spn}; the request fails (HTTP 503 in most implementations).`
          : `The controller has no upstream for ${spn} and answers 503 Service Unavailable.`,
      ]
    : leg.via === 'headless'
      ? ['DNS has no address to answer with, so the client cannot connect.']
      : [
          `kube-proxy writes no nat rules for ${spn}, only filter-table REJECTs; the client gets "connection refused":`,
          ...rejectLines,
        ];
  const title = proxied(leg.via)
    ? `503: ${spn} has no endpoints`
    : leg.via === 'headless'
      ? `No pod addresses: ${spn} has no endpoints`
      : `REJECT: ${spn} has no endpoints`;
  const lane = proxied(leg.via) || leg.via === 'headless' ? 'network' : 'node-netfilter';
  const unresolved = res.dropped.filter(d => d.reason === 'target-port-unresolved');
  if (res.selected.length && unresolved.length === res.selected.length) {
    return ctx.failed(lane, title, {
      rule: 'service-target-port-unresolved',
      detail: [
        `targetPort "${String(effectiveTargetPort(sp))}" resolves in none of the selected pods: ${unresolved.map(d => d.detail).join('; ')}. A pod whose named port does not resolve gets no endpoint.`,
        ...reject,
      ],
      source: ctx.at(svc.resource, targetPortPath(sp)),
    });
  }
  const zero = res.dropped.find(d => d.reason === 'scaled-to-zero');
  if (res.selected.length && zero) {
    return ctx.failed(lane, title, {
      detail: [
        `Every selected workload is scaled to zero or drops out (${res.dropped.map(d => d.detail).join('; ')}).`,
        ...reject,
      ],
      source: zero.template.scaledDownBy
        ? ctx.at(zero.template.scaledDownBy, [...zero.template.scaledDownBy.base, 'spec', 'workloadRef'])
        : ctx.at(zero.template.owner, [...zero.template.owner.base, 'spec', 'replicas']),
    });
  }
  if (res.from === 'slices') {
    return ctx.failed(lane, title, {
      detail: [`The EndpointSlices in the workspace list no ready address for this port.`, ...reject],
      source: ctx.at(svc.resource),
    });
  }
  if (!svc.selector) {
    return ctx.failed(lane, title, {
      detail: [
        `The Service has no selector, and no EndpointSlice or Endpoints object for it is in the workspace.`,
        ...reject,
      ],
      source: ctx.at(svc.resource),
    });
  }
  const runtime = res.runtimeLabels.length
    ? ` (ignoring run-time label${res.runtimeLabels.length > 1 ? 's' : ''} ${res.runtimeLabels.join(', ')})`
    : '';
  return ctx.failed(lane, title, {
    rule: 'service-selector-no-match',
    detail: [
      `The selector {${Object.entries(svc.selector)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ')}}${runtime} matches no pod template in namespace ${svc.resource.namespace}.`,
      ...reject,
    ],
    source: ctx.at(svc.resource, svc.selectorPath),
    sourceLabel: 'selector',
  });
}
