/**
 * The tracer: from an entry (Ingress, NodePort, LoadBalancer/externalIP, a pod calling a DNS
 * name, a container calling localhost) to the containers that finally receive the packet. The
 * result is a PathModel; a path that cannot complete ends in a failed hop naming the reason.
 */
import type { Workspace } from '../workspace';
import type { ServiceInfo, ServicePort } from '../model/service';
import type { PodTemplate } from '../model/workload';
import type { Hop, PathModel } from './model';
import { TraceContext } from './context';
import { Destination, Entry, EntryError, formatEntry, parseDestination, parseEntry } from './entry';
import { matchIngress, IngressCandidate } from './ingressMatch';
import { traceGateway } from './gateway';
import { resolveServiceName } from './dns';
import { throughService, LegResult } from './service';
import { evaluatePolicies } from './policy';
import { nodeName } from './placement';
import { nodeAddress, proxyPort } from './adapters';
import { servingContainers } from '../rules/support/ports';
import { closest } from '../rules/support/nearMiss';

export interface TraceRequest {
  from: string;
  to?: string;
}

export { EntryError };

export function tracePath(ws: Workspace, req: TraceRequest): PathModel {
  const entry = parseEntry(req.from);
  const dest = req.to ? parseDestination(req.to) : undefined;
  const ctx = new TraceContext(ws);
  const hops: Hop[] = [];
  let ok: boolean;
  switch (entry.kind) {
    case 'ingress':
      ok = traceIngress(ctx, entry, hops, dest);
      break;
    case 'gateway': {
      const g = traceGateway(ctx, entry, hops);
      ok = g.ok && g.leg ? continueFrom(ctx, g.leg, hops, dest) : g.ok && !dest;
      break;
    }
    case 'nodeport':
      ok = traceNodePort(ctx, entry, hops, dest);
      break;
    case 'lb':
    case 'externalip':
      ok = traceExternalAddress(ctx, entry, hops, dest);
      break;
    case 'pod':
    case 'container': {
      if (!dest)
        throw new EntryError(
          `a ${entry.kind} entry needs a destination: --to <service>[.<ns>]:<port> or --to localhost:<port>`,
        );
      ok = tracePodCall(ctx, entry, dest, hops);
      break;
    }
  }
  const title = `${formatEntry(entry)}${dest ? ` → ${dest.kind === 'localhost' ? `localhost:${dest.port}` : `${dest.name}:${dest.port}`}` : ''}`;
  const model: PathModel = {
    from: req.from,
    title,
    hops,
    status: ok ? 'ok' : 'failed',
    assumptions: [...ctx.assumptions],
  };
  if (req.to) model.to = req.to;
  return model;
}

// ---------------------------------------------------------------- entries from outside

function traceIngress(
  ctx: TraceContext,
  e: Extract<Entry, { kind: 'ingress' }>,
  hops: Hop[],
  dest: Destination | undefined,
): boolean {
  const candidates: IngressCandidate[] = [];
  for (const f of ctx.cluster.allFacts())
    for (const b of f.backends) candidates.push({ ingress: f.resource, backend: b });
  candidates.sort((a, b) => (a.ingress.fileId < b.ingress.fileId ? -1 : a.ingress.fileId > b.ingress.fileId ? 1 : 0));
  const controllerNode = 0;
  hops.push(
    ctx.hop('client', `HTTP request: Host ${e.host ?? '(any)'} path ${e.path}`, {
      detail: [
        `The client reaches the Ingress controller (through its own LoadBalancer or NodePort Service); the controller runs on ${nodeName(controllerNode)} (illustrative).`,
      ],
    }),
  );
  const m = matchIngress(candidates, e.host, e.path);
  if (!m) {
    const hosts = [...new Set(candidates.map(c => c.backend.host).filter((h): h is string => !!h))];
    const near = e.host ? closest(e.host, hosts) : undefined;
    hops.push(
      ctx.failed('network', `No Ingress rule matches ${e.host ?? ''}${e.path}`, {
        detail: [
          candidates.length
            ? `No rule's host and path match, and no matching Ingress has a defaultBackend; the controller's own default backend answers 404.`
            : 'The workspace has no Ingress with a Service backend.',
          ...(near ? [`Did you mean host ${near}?`] : []),
        ],
      }),
    );
    return false;
  }
  const ing = m.ingress;
  const b = m.backend;
  const how =
    m.how === 'default-backend'
      ? 'defaultBackend (no rule matched)'
      : `rule host ${b.host ?? '(any)'}, path ${m.pathMatch}${m.how === 'wildcard-host' ? ' (wildcard host)' : ''}`;
  const cls =
    typeof ing.value.spec === 'object' && ing.value.spec
      ? (ing.value.spec as Record<string, unknown>).ingressClassName
      : undefined;
  hops.push(
    ctx.hop('network', `Ingress ${ing.namespace}/${ing.name}: ${how} → ${b.serviceName || '?'}:${b.port ?? '?'}`, {
      detail: [
        `Matched by ${m.how === 'exact-host' ? 'exact host' : m.how === 'wildcard-host' ? 'wildcard host' : m.how === 'any-host' ? 'a rule without host' : 'defaultBackend'}; longest path wins, Exact before Prefix.`,
        ...(typeof cls === 'string' ? [`ingressClassName: ${cls}`] : []),
      ],
      source: ctx.at(ing, b.path),
    }),
  );
  if (b.albAction) {
    const a = b.albAction;
    const detail = [
      `servicePort use-annotation: the AWS Load Balancer Controller reads the action "${a.name}" from the annotation ${a.annotation} (a redirect, a fixed response or a weighted forward to target groups) instead of a Service.`,
    ];
    hops.push(
      a.defined
        ? ctx.hop('network', `ALB action ${a.name} (annotation)`, {
            detail: [...detail, 'The path is not traced further: the action is configured in the load balancer.'],
            source: ctx.at(ing, [...ing.base, 'metadata', 'annotations', a.annotation]),
          })
        : ctx.failed('network', `ALB action ${a.name} is not defined`, {
            rule: 'ingress-backend-service-missing',
            detail: [
              ...detail,
              `The Ingress has no annotation ${a.annotation}, so the controller cannot build this rule.`,
            ],
            source: ctx.at(ing, b.portPath),
          }),
    );
    return a.defined;
  }
  const svc = firstService(ctx, ing.namespace, b.serviceName);
  if (!svc) {
    const near = closest(
      b.serviceName,
      [...ctx.cluster.servicesInNamespace(ing.namespace)].map(s => s.resource.name),
    );
    hops.push(
      ctx.failed('network', `Backend Service ${ing.namespace}/${b.serviceName || '(none)'} does not exist`, {
        rule: 'ingress-backend-service-missing',
        detail: [
          `No Service ${b.serviceName || '(empty name)'} in namespace ${ing.namespace}; the controller answers 503.`,
          ...(near ? [`Did you mean ${near}?`] : []),
        ],
        source: ctx.at(ing, b.namePath),
      }),
    );
    return false;
  }
  const sp = svc.ports.find(p => (typeof b.port === 'number' ? p.port === b.port : p.name === b.port));
  if (!sp) {
    hops.push(
      ctx.failed('network', `Service ${svc.resource.name} has no port ${b.port ?? '(none)'}`, {
        rule: 'ingress-backend-port-missing',
        detail: [
          `The Ingress backend asks for ${typeof b.port === 'number' ? 'port number' : 'port name'} ${b.port ?? '(missing)'}; the Service offers ${svc.ports.map(p => `${p.name ? `${p.name} ` : ''}${p.port}`).join(', ') || 'no ports'}.`,
        ],
        source: ctx.at(ing, b.portPath),
      }),
    );
    return false;
  }
  if (svc.type === 'ExternalName') {
    hops.push(
      ctx.hop('dns', `ExternalName ${svc.resource.name} → ${svc.externalName ?? '?'}`, {
        detail: ['The controller resolves the external name and proxies there; the path leaves the cluster.'],
        source: ctx.at(svc.resource),
      }),
    );
    return true;
  }
  const leg = throughService(ctx, {
    svc,
    sp,
    via: 'ingress',
    entryNode: controllerNode,
    source: { kind: 'unknown-pod', describe: 'the ingress controller pod' },
  });
  hops.push(...leg.hops);
  return continueFrom(ctx, leg, hops, dest);
}

function traceNodePort(
  ctx: TraceContext,
  e: Extract<Entry, { kind: 'nodeport' }>,
  hops: Hop[],
  dest: Destination | undefined,
): boolean {
  const nodeIdx = e.node && /^node-(\d+)$/.test(e.node) ? Number(e.node.slice(5)) - 1 : 0;
  let svc: ServiceInfo | undefined;
  let sp: ServicePort | undefined;
  if (e.service) {
    svc = firstService(ctx, e.service.namespace ?? ctx.defaultNamespace, e.service.name);
    sp = svc?.ports.find(p => e.port === undefined || p.nodePort === e.port || p.port === e.port) ?? undefined;
  } else if (e.port !== undefined) {
    const users = [...ctx.cluster.nodePortUsers(e.port)].sort((a, b) =>
      a.service.resource.fileId < b.service.resource.fileId ? -1 : 1,
    );
    svc = users[0]?.service;
    sp = users[0]?.port;
  }
  const nodeLabel = e.node ?? nodeName(nodeIdx);
  const np = svc && sp ? proxyPort(ctx.ws, svc, sp, nodeName(nodeIdx)).nodePort : undefined;
  hops.push(
    ctx.hop(
      'client',
      `Packet to ${nodeLabel} (${nodeAddress(ctx.plan, nodeIdx)}):${np?.value ?? e.port ?? '<nodePort>'}${np?.illustrative ? ' (illustrative nodePort)' : ''}`,
      {
        detail: [
          `Any node accepts a NodePort on every address; ${nodeLabel} is the receiving node${e.node ? '' : ' (illustrative)'}.`,
        ],
      },
    ),
  );
  if (!svc || !sp) {
    hops.push(
      ctx.failed(
        'node-netfilter',
        e.service ? `No Service ${e.service.name} with that port` : `No Service has nodePort ${e.port}`,
        {
          missing: e.service && !svc ? `Service ${e.service.name}` : undefined,
          detail: [
            'KUBE-NODEPORTS has no rule for this port; nothing listens on it, so the node answers with a TCP reset (or ICMP port unreachable for UDP).',
          ],
        },
      ),
    );
    return false;
  }
  if (svc.type !== 'NodePort' && svc.type !== 'LoadBalancer') {
    hops.push(
      ctx.failed('node-netfilter', `${svc.resource.name} is type ${svc.type}: no nodePort is opened`, {
        source: ctx.at(svc.resource, [...svc.resource.base, 'spec']),
      }),
    );
    return false;
  }
  const leg = throughService(ctx, {
    svc,
    sp,
    via: 'nodeport',
    entryNode: nodeIdx,
    source: { kind: 'external', describe: 'the external client' },
  });
  hops.push(...leg.hops);
  return continueFrom(ctx, leg, hops, dest);
}

function traceExternalAddress(
  ctx: TraceContext,
  e: Extract<Entry, { kind: 'lb' | 'externalip' }>,
  hops: Hop[],
  dest: Destination | undefined,
): boolean {
  const all = [...ctx.cluster.allFacts()]
    .map(f => f.service)
    .filter((s): s is ServiceInfo => !!s)
    .sort((a, b) => (a.resource.fileId < b.resource.fileId ? -1 : 1));
  let svc: ServiceInfo | undefined;
  if (e.address)
    svc =
      all.find(s => (e.kind === 'lb' ? s.loadBalancerIPs : s.externalIPs).includes(e.address!)) ??
      all.find(s => [...s.loadBalancerIPs, ...s.externalIPs].includes(e.address!));
  else if (e.service) svc = firstService(ctx, e.service.namespace ?? ctx.defaultNamespace, e.service.name);
  if (!svc && e.address && e.kind === 'lb') {
    // An address the tracer itself made up for a LoadBalancer (TEST-NET) names that Service too.
    svc = all.find(
      s =>
        s.type === 'LoadBalancer' &&
        s.ports[0] &&
        proxyPort(ctx.ws, s, s.ports[0], nodeName(0)).loadBalancerIPs.some(x => x.value === e.address),
    );
  }
  const what = e.kind === 'lb' ? 'LoadBalancer' : 'externalIP';
  const sp0 = svc ? pickPort(svc, e.port) : undefined;
  const lbIP = svc && sp0 && e.kind === 'lb' ? proxyPort(ctx.ws, svc, sp0, nodeName(0)).loadBalancerIPs[0] : undefined;
  const address = e.address ?? (svc ? (e.kind === 'lb' ? lbIP?.value : svc.externalIPs[0]) : undefined);
  hops.push(
    ctx.hop(
      'client',
      `Packet to ${what} ${address ?? `of ${e.service?.name ?? '?'}`}${e.port !== undefined ? `:${e.port}` : ''}`,
      {
        detail: [
          e.kind === 'lb'
            ? 'The cloud load balancer forwards to a node with the VIP as destination (ipMode VIP), where kube-proxy catches it.'
            : 'The network routes the external IP to a node; kube-proxy catches it there.',
          ...(lbIP?.illustrative && !e.address
            ? [`${lbIP.value} is illustrative: the cloud provider fills in status.loadBalancer.ingress.`]
            : []),
          `Receiving node: ${nodeName(0)} (illustrative).`,
        ],
      },
    ),
  );
  if (!svc) {
    hops.push(
      ctx.failed(
        'node-netfilter',
        e.address
          ? `No Service has ${what} ${e.address}`
          : `No Service ${e.service?.namespace ?? ctx.defaultNamespace}/${e.service?.name}`,
        {
          missing: e.service ? `Service ${e.service.namespace ?? ctx.defaultNamespace}/${e.service.name}` : undefined,
          detail: ['kube-proxy programs no rule for this address; the packet is not delivered to any pod.'],
        },
      ),
    );
    return false;
  }
  if (e.kind === 'lb' && svc.type !== 'LoadBalancer') {
    hops.push(
      ctx.failed('node-netfilter', `${svc.resource.name} is type ${svc.type}, not LoadBalancer`, {
        source: ctx.at(svc.resource, [...svc.resource.base, 'spec']),
      }),
    );
    return false;
  }
  const sp = sp0;
  if (!sp) {
    hops.push(
      ctx.failed('node-netfilter', `${svc.resource.name} has no port ${e.port}`, {
        detail: [`Ports: ${svc.ports.map(p => p.port).join(', ')}.`],
        source: ctx.at(svc.resource, [...svc.resource.base, 'spec', 'ports']),
      }),
    );
    return false;
  }
  const leg = throughService(ctx, {
    svc,
    sp,
    via: e.kind === 'lb' ? 'lb' : 'external-ip',
    entryNode: 0,
    source: { kind: 'external', describe: 'the external client' },
    address,
  });
  hops.push(...leg.hops);
  return continueFrom(ctx, leg, hops, dest);
}

/** After an external entry lands in a pod, `--to` continues the trace as a call made by that pod. */
function continueFrom(ctx: TraceContext, leg: LegResult, hops: Hop[], dest: Destination | undefined): boolean {
  if (!leg.ok || !dest) return leg.ok;
  const ep = leg.reached.find(r => r.template);
  if (!ep?.template) {
    hops.push(ctx.failed('client', 'Cannot continue: the receiving pod has no template in the workspace'));
    return false;
  }
  const t = ep.template;
  const container = ep.container?.name ?? servingContainers(t)[0]?.name ?? '';
  return traceFromTemplate(
    ctx,
    t,
    container,
    dest,
    hops,
    `then ${t.owner.kind} ${t.owner.name} (container ${container}) calls`,
  );
}

// ---------------------------------------------------------------- calls made by a pod

function tracePodCall(
  ctx: TraceContext,
  e: Extract<Entry, { kind: 'pod' | 'container' }>,
  dest: Destination,
  hops: Hop[],
): boolean {
  const ns = e.namespace ?? ctx.defaultNamespace;
  const t = findTemplate(ctx, ns, e.workload);
  if (!t) {
    const names = [...ctx.cluster.templatesInNamespace(ns)].map(x => x.owner.name);
    const near = closest(e.workload, names);
    hops.push(
      ctx.failed('client', `No workload ${ns}/${e.workload}`, {
        missing: `workload ${ns}/${e.workload}`,
        detail: [
          names.length
            ? `Workloads in ${ns}: ${[...new Set(names)].slice(0, 10).join(', ')}.${near ? ` Did you mean ${near}?` : ''}`
            : `The workspace has no workload in namespace ${ns}.`,
        ],
      }),
    );
    return false;
  }
  let container = servingContainers(t)[0]?.name ?? '';
  if (e.kind === 'container') {
    const c = t.containers.find(x => x.name === e.container);
    if (!c) {
      hops.push(
        ctx.failed('client', `${t.owner.kind} ${t.owner.name} has no container ${e.container}`, {
          missing: `container ${e.container} in ${t.owner.kind} ${ns}/${t.owner.name}`,
          detail: [`Containers: ${t.containers.map(x => x.name).join(', ')}.`],
          source: ctx.at(t.source, [...t.specPath, 'containers']),
        }),
      );
      return false;
    }
    container = c.name;
  }
  return traceFromTemplate(ctx, t, container, dest, hops, undefined);
}

function traceFromTemplate(
  ctx: TraceContext,
  t: PodTemplate,
  container: string,
  dest: Destination,
  hops: Hop[],
  prefix: string | undefined,
): boolean {
  const me = ctx.clientPod(t);
  const describe = `pod ${me.name}`;
  const c = t.containers.find(x => x.name === container);
  const target = dest.kind === 'localhost' ? `localhost:${dest.port}` : `${dest.name}:${dest.port}`;
  hops.push(
    ctx.hop(
      'client',
      `${prefix ? `${prefix} ` : `Container ${container} of ${t.owner.kind} ${t.owner.name} calls `}${target}`,
      {
        detail: [
          `${describe} on ${me.node}, address ${me.ip}${t.hostNetwork ? " (hostNetwork: the node's own address)" : ' (illustrative)'}.`,
        ],
        source: ctx.at(t.source, c ? c.path : t.specPath),
      },
    ),
  );
  if (dest.kind === 'localhost') return traceLocalhost(ctx, t, container, dest.port, hops);

  // DNS: the query itself is UDP to the cluster DNS Service, and egress policies apply to it.
  const dnsEgress = evaluatePolicies(
    ctx.connectivity,
    'Egress',
    { namespace: t.namespace, labels: t.labels, describe },
    {
      kind: 'pod',
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns' },
      describe: 'CoreDNS (kube-system, k8s-app=kube-dns)',
    },
    { number: 53, name: 'dns', protocol: 'UDP' },
  );
  if (dnsEgress.isolated && !dnsEgress.allowed) {
    hops.push(
      ctx.failed('dns', `DNS query ${dnsEgress.text}`, {
        detail: [
          `${describe} is isolated for egress and no rule admits UDP 53 to kube-system/kube-dns, so the name never resolves.`,
        ],
        source: dnsEgress.where,
      }),
    );
    return false;
  }
  const domain = ctx.plan.clusterDomain;
  const r = resolveServiceName(ctx.cluster, dest.name, t.namespace, domain);
  const tried = r.queries
    .filter(q => q.answer !== 'not-tried')
    .map(q => `${q.name} → ${q.answer === 'hit' ? 'found' : 'NXDOMAIN'}`);
  const resolvConf = [
    `resolv.conf: nameserver ${ctx.plan.dnsServiceIP} · search ${r.searchPath.join(' ')} · options ndots:5`,
  ];
  if (!r.service) {
    const wanted = r.wantedService!;
    const near = closest(
      wanted.name,
      [...ctx.cluster.servicesInNamespace(wanted.namespace)].map(s => s.resource.name),
    );
    hops.push(
      ctx.failed('dns', `NXDOMAIN: no Service answers ${dest.name}`, {
        missing: `Service ${wanted.namespace}/${wanted.name}`,
        detail: [
          ...resolvConf,
          ...tried,
          `No Service ${wanted.name} in namespace ${wanted.namespace}.${near ? ` Did you mean ${near}?` : ''}`,
        ],
      }),
    );
    return false;
  }
  const svc = r.service;
  const dotsNote =
    (dest.name.match(/\./g) ?? []).length < 5
      ? `"${dest.name}" has fewer than 5 dots, so the search list is tried first.`
      : `"${dest.name}" has 5 or more dots, so it is tried as given first.`;
  if (svc.type === 'ExternalName') {
    hops.push(
      ctx.hop('dns', `${r.fqdn} → CNAME ${svc.externalName ?? '?'}`, {
        detail: [
          ...resolvConf,
          dotsNote,
          ...tried,
          `ExternalName Service: cluster DNS answers a CNAME; kube-proxy programs nothing. The connection leaves the cluster to ${svc.externalName ?? '?'}:${dest.port}.`,
        ],
        source: ctx.at(svc.resource, [...svc.resource.base, 'spec', 'externalName']),
      }),
    );
    return true;
  }
  const sp =
    typeof dest.port === 'number'
      ? (svc.ports.find(p => p.port === dest.port && p.protocol === 'TCP') ?? svc.ports.find(p => p.port === dest.port))
      : svc.ports.find(p => p.name === dest.port);
  if (svc.headless) {
    hops.push(
      ctx.hop('dns', `${r.fqdn} → pod addresses (headless)`, {
        detail: [
          ...resolvConf,
          dotsNote,
          ...tried,
          `clusterIP: None: the A records are the ready pods' addresses; kube-proxy programs nothing, the client picks an address (usually the first).`,
        ],
        source: ctx.at(svc.resource, [...svc.resource.base, 'spec', 'clusterIP']),
      }),
    );
    // Endpoints come from the same selector and ports; the client dials pod addresses directly.
    const port = sp ?? {
      index: 0,
      name: undefined,
      protocol: 'TCP' as const,
      port: typeof dest.port === 'number' ? dest.port : undefined,
      rawPort: dest.port,
      targetPort: dest.port,
      rawTargetPort: dest.port,
      nodePort: undefined,
      rawNodePort: undefined,
      path: [...svc.resource.base, 'spec'],
    };
    const leg = throughService(ctx, {
      svc,
      sp: port,
      via: 'headless',
      entryNode: me.nodeIndex,
      source: { kind: 'pod', namespace: t.namespace, labels: t.labels, ip: me.ip, ipIllustrative: true, describe },
      clientPod: { template: t, ip: me.ip, describe },
    });
    hops.push(...leg.hops);
    return leg.ok;
  }
  const vip = svc.ports[0] ? proxyPort(ctx.ws, svc, sp ?? svc.ports[0], me.node).clusterIP : undefined;
  hops.push(
    ctx.hop('dns', `${r.fqdn} → ClusterIP ${vip?.value ?? '(none)'}${vip?.illustrative ? ' (illustrative)' : ''}`, {
      detail: [
        ...resolvConf,
        dotsNote,
        ...tried,
        `The query goes to the kube-dns Service (${ctx.plan.dnsServiceIP}:53/UDP), itself load-balanced by kube-proxy to CoreDNS.`,
      ],
      source: ctx.at(svc.resource),
    }),
  );
  if (!sp) {
    hops.push(
      ctx.failed('node-netfilter', `${svc.resource.name} has no port ${dest.port}`, {
        detail: [
          `The Service offers ${svc.ports.map(p => `${p.name ? `${p.name} ` : ''}${p.port}/${p.protocol}`).join(', ') || 'no ports'}. KUBE-SERVICES has no rule for this port; a ClusterIP is virtual, so the packet goes unanswered (timeout).`,
        ],
        source: ctx.at(svc.resource, [...svc.resource.base, 'spec', 'ports']),
      }),
    );
    return false;
  }
  const leg = throughService(ctx, {
    svc,
    sp,
    via: 'cluster-ip',
    entryNode: me.nodeIndex,
    source: { kind: 'pod', namespace: t.namespace, labels: t.labels, ip: me.ip, ipIllustrative: true, describe },
    clientPod: { template: t, ip: me.ip, describe },
  });
  hops.push(...leg.hops);
  return leg.ok;
}

function traceLocalhost(ctx: TraceContext, t: PodTemplate, caller: string, port: number, hops: Hop[]): boolean {
  hops.push(
    ctx.hop('pod', `Loopback of the pod's shared network namespace`, {
      detail: [
        t.hostNetwork
          ? "hostNetwork: true — localhost is the node's own loopback; any process on the node may answer."
          : `All containers of the pod join the network namespace held by the pause container, so they share lo and every port: ${servingContainers(
              t,
            )
              .map(c => c.name)
              .join(', ')}.`,
      ],
      source: ctx.at(t.source, t.specPath),
    }),
  );
  const listeners = servingContainers(t).flatMap(c =>
    c.ports.filter(p => p.containerPort === port && p.protocol === 'TCP').map(p => ({ c, p })),
  );
  if (!listeners.length) {
    hops.push(
      ctx.failed('pod', `Nothing declares ${port}/TCP in this pod: connection refused`, {
        detail: [
          `No container of ${t.owner.kind} ${t.owner.name} declares containerPort ${port}; unless a process listens without declaring it, the kernel answers with a reset.`,
        ],
        source: ctx.at(t.source, t.specPath),
      }),
    );
    return false;
  }
  if (listeners.length > 1) {
    const names = listeners.map(l => l.c.name).join(' and ');
    hops.push(
      ctx.failed('pod', `${names} both declare ${port}/TCP: only one can bind`, {
        rule: 'pod-port-conflict',
        detail: [
          `One network namespace has one port ${port}; the second container to bind fails with EADDRINUSE (and usually crash-loops). Whichever bound first answers.`,
        ],
        source: ctx.at(t.source, listeners[1].p.path),
      }),
    );
    return false;
  }
  const l = listeners[0];
  hops.push(
    ctx.hop('pod', `Container ${l.c.name}${l.c.name === caller ? ' (the caller itself)' : ''} listens on ${port}/TCP`, {
      detail: [
        `containerPort ${port}${l.p.name ? ` (name ${l.p.name})` : ''} of container ${l.c.name}${l.c.role === 'sidecar' ? ' (native sidecar)' : ''}; the packet never leaves the pod.`,
      ],
      source: ctx.at(t.source, l.p.path),
    }),
  );
  return true;
}

// ---------------------------------------------------------------- lookups

export function firstService(ctx: TraceContext, ns: string, name: string): ServiceInfo | undefined {
  return [...ctx.cluster.services(ns, name)].sort((a, b) => (a.resource.fileId < b.resource.fileId ? -1 : 1))[0];
}

const KIND_ORDER = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Pod',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
  'DeploymentConfig',
];

export function findTemplate(ctx: TraceContext, ns: string, name: string): PodTemplate | undefined {
  const found = [...ctx.cluster.templatesInNamespace(ns)].filter(t => t.owner.name === name);
  // A workload that runs pods beats one scaled to zero (a Deployment whose pods an Argo Rollout
  // runs through workloadRef has the same name); built-in kinds before custom ones.
  const rank = (t: PodTemplate) => {
    const i = KIND_ORDER.indexOf(t.owner.kind);
    return (t.replicas === 0 ? 100 : 0) + (i === -1 ? KIND_ORDER.length : i);
  };
  found.sort((a, b) => rank(a) - rank(b) || (a.owner.fileId < b.owner.fileId ? -1 : 1));
  return found[0];
}

function pickPort(svc: ServiceInfo, port: number | string | undefined): ServicePort | undefined {
  if (port === undefined) return svc.ports[0];
  return svc.ports.find(p => (typeof port === 'number' ? p.port === port : p.name === port));
}
