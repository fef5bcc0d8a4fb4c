/**
 * A packet meets a Service: the kube-proxy chain walk for the way it arrived (ClusterIP from a
 * pod, NodePort, LoadBalancer IP, externalIP, or an Ingress controller proxying to endpoints),
 * one branch per endpoint with kube-proxy's probability, and delivery to each endpoint. A Service
 * without usable endpoints ends in kube-proxy's REJECT, with the reason and its diagnostic.
 */
import type { Hop, Branch } from './model';
import type { TraceContext } from './context';
import type { ServiceInfo, ServicePort } from '../model/service';
import { effectiveTargetPort, targetPortPath } from '../model/service';
import type { PodTemplate } from '../model/workload';
import { resolveEndpoints, PathEndpoint, EndpointResolution } from './endpoints';
import { chainNames, sepChainName, probabilityText, MASQ_MARK } from './adapters';
import { deliver } from './delivery';
import { evaluatePolicies, Peer } from './policy';
import { nodeName } from './placement';

export type Via = 'cluster-ip' | 'nodeport' | 'lb' | 'external-ip' | 'ingress';

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

export interface LegResult { hops: Hop[]; ok: boolean; reached: PathEndpoint[] }

export function spnOf(svc: ServiceInfo, sp: ServicePort): string {
  return `${svc.resource.namespace}/${svc.resource.name}${sp.name ? `:${sp.name}` : ''}`;
}

export function throughService(ctx: TraceContext, leg: ServiceLeg): LegResult {
  const { svc, sp } = leg;
  const hops: Hop[] = [];
  const spn = spnOf(svc, sp);
  const p = sp.protocol.toLowerCase();
  const chains = chainNames(svc.resource.namespace, svc.resource.name, sp.name, sp.protocol);
  if (!chains.exact) ctx.assume('Chain hashes (KUBE-SVC-…, KUBE-SEP-…) are shown as "…" until the kube-proxy model is available to the tracer.');
  const clusterIP = svc.clusterIP && svc.clusterIP !== 'None' ? svc.clusterIP : '<cluster-ip>';
  if (clusterIP === '<cluster-ip>') ctx.assume(`ClusterIPs not written in the YAML are allocated at creation from the service CIDR ${ctx.plan.serviceCidr}${ctx.plan.isDefault.serviceCidr ? ' (default)' : ''}.`);
  const entry = nodeName(leg.entryNode);
  const svcWhere = ctx.at(svc.resource, sp.path);

  const res = resolveEndpoints(ctx.cluster, svc, sp, ctx.placement);
  if (res.endpoints.some(e => e.illustrative)) ctx.assume(`Pod addresses and nodes are illustrative: replica i runs on node-${'{'}i mod 3 + 1${'}'}, addresses from ${ctx.plan.podCidr} (${ctx.plan.podCidrOrigin}) in /${ctx.plan.nodeMask} node blocks.`);

  if (!res.endpoints.length) {
    hops.push(noEndpoints(ctx, leg, res, spn, clusterIP));
    return { hops, ok: false, reached: [] };
  }

  const external = leg.via === 'nodeport' || leg.via === 'lb' || leg.via === 'external-ip';
  const masq = external && svc.externalTrafficPolicy === 'Cluster';
  let pool = res.endpoints;
  let chain = chains.svc;

  if (leg.via === 'ingress') {
    hops.push(ctx.hop('network', `Controller picks an endpoint of ${spn}`, {
      detail: [
        `Most controllers (ingress-nginx, Traefik, HAProxy) read the EndpointSlices and proxy straight to a pod address, bypassing the ClusterIP and kube-proxy.`,
        `${res.endpoints.length} endpoint(s), balanced by the controller (round robin by default).`,
        ...droppedNotes(res),
      ],
      source: svcWhere,
    }));
  } else if (leg.via === 'cluster-ip') {
    const local = svc.internalTrafficPolicy === 'Local';
    hops.push(ctx.hop('node-netfilter', `KUBE-SERVICES: ${spn} cluster IP → ${local ? chains.svl : chains.svc}`, {
      detail: [
        `On ${entry}, nat OUTPUT jumps to KUBE-SERVICES; the packet to ${clusterIP}:${sp.port} matches:`,
        `-A KUBE-SERVICES -m comment --comment "${spn} cluster IP" -m ${p} -p ${p} -d ${clusterIP} --dport ${sp.port} -j ${local ? chains.svl : chains.svc}`,
      ],
      source: svcWhere,
    }));
    if (local) {
      chain = chains.svl;
      pool = res.endpoints.filter(e => e.node === entry);
      if (!pool.length) {
        hops.push(ctx.failed('node-netfilter', `DROP: ${spn} has no local endpoints on ${entry}`, {
          detail: [
            `internalTrafficPolicy: Local sends only to endpoints on the client's node, and none of the ${res.endpoints.length} endpoint(s) runs on ${entry}.`,
            `-A KUBE-SERVICES -m comment --comment "${spn} has no local endpoints" -m ${p} -p ${p} -d ${clusterIP} --dport ${sp.port} -j DROP   (filter table)`,
          ],
          source: ctx.at(svc.resource, [...svc.resource.base, 'spec', 'internalTrafficPolicy']),
        }));
        return { hops, ok: false, reached: [] };
      }
    }
  } else {
    const address = leg.address;
    if (leg.via === 'nodeport') {
      hops.push(ctx.hop('node-netfilter', `KUBE-SERVICES → KUBE-NODEPORTS`, {
        detail: [
          `On ${entry}, nat PREROUTING jumps to KUBE-SERVICES; no ClusterIP rule matches a node address, so the last rule sends it on:`,
          `-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`,
        ],
      }));
      hops.push(ctx.hop('node-netfilter', `KUBE-NODEPORTS: ${spn} → ${chains.ext}`, {
        detail: [`-A KUBE-NODEPORTS -m comment --comment ${spn} -m ${p} -p ${p} --dport ${sp.nodePort ?? '<nodePort>'} -j ${chains.ext}`],
        source: sp.nodePort !== undefined ? ctx.at(svc.resource, [...sp.path, 'nodePort']) : svcWhere,
      }));
    } else {
      const fw = leg.via === 'lb' && svc.loadBalancerSourceRanges.length > 0;
      const what = leg.via === 'lb' ? 'loadbalancer IP' : 'external IP';
      hops.push(ctx.hop('node-netfilter', `KUBE-SERVICES: ${spn} ${what} → ${fw ? chains.fw : chains.ext}`, {
        detail: [
          `On ${entry}, nat PREROUTING jumps to KUBE-SERVICES:`,
          `-A KUBE-SERVICES -m comment --comment "${spn} ${what}" -m ${p} -p ${p} -d ${address ?? '<address>'} --dport ${sp.port} -j ${fw ? chains.fw : chains.ext}`,
        ],
        source: svcWhere,
      }));
      if (fw) {
        hops.push(ctx.hop('node-netfilter', `${chains.fw}: loadBalancerSourceRanges`, {
          detail: [
            ...svc.loadBalancerSourceRanges.map(r => `-A ${chains.fw} -m comment --comment "${spn} loadbalancer IP" -s ${r} -j ${chains.ext}`),
            `Other sources are dropped by KUBE-PROXY-FIREWALL (filter). Whether this client passes depends on its address.`,
          ],
          source: ctx.at(svc.resource, [...svc.resource.base, 'spec', 'loadBalancerSourceRanges']),
        }));
      }
    }
    if (svc.externalTrafficPolicy === 'Local') {
      chain = chains.svl;
      pool = res.endpoints.filter(e => e.node === entry);
      hops.push(ctx.hop('node-netfilter', `${chains.ext}: externalTrafficPolicy Local → ${pool.length ? chains.svl : 'no local endpoints'}`, {
        detail: [
          `External traffic keeps its client source address and may only go to endpoints on ${entry}.`,
          pool.length ? `-A ${chains.ext} -j ${chains.svl}` : `No KUBE-SVL chain exists on ${entry}.`,
        ],
        source: ctx.at(svc.resource, [...svc.resource.base, 'spec', 'externalTrafficPolicy']),
      }));
      if (!pool.length) {
        hops.push(ctx.failed('node-netfilter', `DROP: ${spn} has no local endpoints on ${entry}`, {
          detail: [`-A KUBE-EXTERNAL-SERVICES -m comment --comment "${spn} has no local endpoints" ... -j DROP   (filter table)`,
            `A cloud load balancer health-checks healthCheckNodePort and stops sending to ${entry}; a client aiming at ${entry} directly is dropped.`],
          source: ctx.at(svc.resource, [...svc.resource.base, 'spec', 'externalTrafficPolicy']),
        }));
        return { hops, ok: false, reached: [] };
      }
    } else {
      hops.push(ctx.hop('node-netfilter', `${chains.ext}: mark for masquerade → ${chains.svc}`, {
        detail: [
          `-A ${chains.ext} -m comment --comment "masquerade traffic for ${spn} external destinations" -j KUBE-MARK-MASQ`,
          `-A KUBE-MARK-MASQ -j MARK --or-mark ${MASQ_MARK}`,
          `-A ${chains.ext} -j ${chains.svc}`,
        ],
      }));
    }
  }

  const branches: Branch[] = [];
  const reached: PathEndpoint[] = [];
  pool.forEach((ep, i) => {
    const n = pool.length;
    const last = i === n - 1;
    const bHops: Hop[] = [];
    const sep = sepChainName(svc.resource.namespace, svc.resource.name, sp.name, sp.protocol, `${ep.ip}:${ep.port}`);
    if (leg.via === 'ingress') {
      bHops.push(ctx.hop('network', `Controller proxies to ${ep.ip}:${ep.port}`, {
        detail: [`A new connection from the controller pod on ${entry} to the endpoint${ep.illustrative ? ' (illustrative address)' : ''}.`],
        source: ep.where,
      }));
    } else {
      bHops.push(ctx.hop('node-netfilter', `${sep}: DNAT to ${ep.ip}:${ep.port}`, {
        detail: [
          `-A ${chain} -m comment --comment "${spn} -> ${ep.ip}:${ep.port}"${last ? '' : ` -m statistic --mode random --probability ${probabilityText(n - i)}`} -j ${sep}`,
          `-A ${sep} -m comment --comment ${spn} -m ${p} -p ${p} -j DNAT --to-destination ${ep.ip}:${ep.port}`,
          `Endpoint ${ep.podName} on ${ep.node ?? 'an unknown node'}${ep.illustrative ? ' (illustrative)' : ' (from the EndpointSlice)'}; targetPort ${String(effectiveTargetPort(sp))} → ${ep.port}.`,
        ],
        source: ep.where,
      }));
      if (masq) {
        bHops.push(ctx.hop('node-netfilter', `KUBE-POSTROUTING: MASQUERADE (mark ${MASQ_MARK})`, {
          detail: [
            `-A KUBE-POSTROUTING -m mark ! --mark ${MASQ_MARK}/${MASQ_MARK} -j RETURN`,
            `-A KUBE-POSTROUTING -j MARK --xor-mark ${MASQ_MARK}`,
            `-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE`,
            `The pod sees ${entry}'s address as the source, not the client's (externalTrafficPolicy: Cluster).`,
          ],
        }));
      }
    }
    let ok = true;
    if (leg.clientPod && ep.template) {
      const c = leg.clientPod;
      const v = evaluatePolicies(ctx.cluster, ctx.nsLabels, 'Egress', { namespace: c.template.namespace, labels: c.template.labels, describe: c.describe },
        { kind: 'pod', namespace: ep.template.namespace, labels: ep.template.labels, ip: ep.ip, ipIllustrative: ep.illustrative, describe: `pod ${ep.podName}` },
        { number: ep.port, name: ep.containerPort?.name, protocol: sp.protocol });
      if (v.isolated) {
        bHops.push(v.allowed
          ? ctx.hop('client', `Egress NetworkPolicy: ${v.text}`, { detail: [`${c.describe} is isolated for egress; the policy sees the DNAT-ed destination ${ep.ip}:${ep.port}.`], source: v.where })
          : ctx.failed('client', `Egress NetworkPolicy ${v.text}`, { detail: [`The packet is dropped on ${entry} as it leaves ${c.describe}; the client sees a timeout.`], source: v.where }));
        ok = v.allowed;
      }
    }
    if (ok) {
      const source: Peer = masq ? { kind: 'external', ip: undefined, describe: `${entry}'s node address (after SNAT)` } : leg.source;
      const d = deliver(ctx, ep, { fromNode: leg.entryNode, source, protocol: sp.protocol });
      bHops.push(...d.hops);
      ok = d.ok;
    }
    if (ok) reached.push(ep);
    branches.push({
      id: `b${i + 1}`,
      label: `${ep.podName} ${ep.ip}:${ep.port} on ${ep.node ?? 'unknown node'}`,
      probability: 1 / n,
      probabilityText: leg.via === 'ingress' ? `1/${n} (controller round robin)` : last ? (n === 1 ? 'always (single endpoint, no statistic match)' : `remainder: last rule, no statistic match (1/${n} overall)`) : `--probability ${probabilityText(n - i)} (1/${n} overall)`,
      hops: bHops,
      status: ok ? 'ok' : 'failed',
    });
  });

  const affinity = svc.sessionAffinity === 'ClientIP' ? [`sessionAffinity: ClientIP — a client keeps its endpoint for ${svc.sessionAffinityTimeout}s (-m recent --rcheck --seconds ${svc.sessionAffinityTimeout} --reap rules come first).`] : [];
  if (leg.via !== 'ingress') {
    hops.push(ctx.hop('node-netfilter', `${chain}: ${pool.length} endpoint${pool.length === 1 ? '' : 's'}${pool.length > 1 ? `, 1/${pool.length} each` : ''}`, {
      detail: [
        ...(leg.via === 'cluster-ip' && chain === chains.svc ? [`-A ${chains.svc} -m comment --comment "${spn} cluster IP" -m ${p} -p ${p} -d ${clusterIP} --dport ${sp.port} ! -s ${ctx.plan.podCidr} -j KUBE-MARK-MASQ   (not taken: the source is a pod)`] : []),
        `kube-proxy orders endpoints by "ip:port" as strings; rule i of n matches with probability 1/(n-i), so each endpoint gets 1/n.`,
        ...affinity,
        ...droppedNotes(res),
      ],
      source: svcWhere,
    }));
  }
  hops[hops.length - 1].branches = branches;
  return { hops, ok: reached.length > 0, reached };
}

function droppedNotes(res: EndpointResolution): string[] {
  return res.dropped.map(d => `${d.template.owner.kind} ${d.template.owner.name} is not an endpoint: ${d.detail}${d.reason === 'target-port-unresolved' ? ' (service-target-port-unresolved)' : ''}.`);
}

function noEndpoints(ctx: TraceContext, leg: ServiceLeg, res: EndpointResolution, spn: string, clusterIP: string): Hop {
  const { svc, sp } = leg;
  const p = sp.protocol.toLowerCase();
  const reject = leg.via === 'ingress'
    ? `The controller has no upstream for ${spn} and answers 503 Service Unavailable.`
    : `kube-proxy writes no nat rules for ${spn}, only a filter-table REJECT: -A ${leg.via === 'cluster-ip' ? 'KUBE-SERVICES' : 'KUBE-EXTERNAL-SERVICES'} -m comment --comment "${spn} has no endpoints" -m ${p} -p ${p} -d ${leg.via === 'cluster-ip' ? clusterIP : leg.address ?? '<address>'} --dport ${sp.port} -j REJECT. The client gets "connection refused".`;
  const title = leg.via === 'ingress' ? `503: ${spn} has no endpoints` : `REJECT: ${spn} has no endpoints`;
  const lane = leg.via === 'ingress' ? 'network' : 'node-netfilter';
  const unresolved = res.dropped.filter(d => d.reason === 'target-port-unresolved');
  if (res.selected.length && unresolved.length === res.selected.length) {
    return ctx.failed(lane, title, {
      rule: 'service-target-port-unresolved',
      detail: [`targetPort "${String(effectiveTargetPort(sp))}" resolves in none of the selected pods: ${unresolved.map(d => d.detail).join('; ')}. Pods whose named port does not resolve get no endpoint.`, reject],
      source: ctx.at(svc.resource, targetPortPath(sp)),
    });
  }
  if (res.selected.length && res.dropped.every(d => d.reason === 'scaled-to-zero' || d.reason === 'target-port-unresolved')) {
    const zero = res.dropped.find(d => d.reason === 'scaled-to-zero')!;
    return ctx.failed(lane, title, {
      detail: [`Every selected workload is scaled to zero (${res.dropped.map(d => d.detail).join('; ')}).`, reject],
      source: ctx.at(zero.template.owner, [...zero.template.owner.base, 'spec', 'replicas']),
    });
  }
  if (!svc.selector) {
    return ctx.failed(lane, title, {
      detail: [`The Service has no selector, and no EndpointSlice or Endpoints object for it is in the workspace.`, reject],
      source: ctx.at(svc.resource),
    });
  }
  if (res.from === 'templates' || Object.keys(svc.selector).length) {
    const runtime = res.runtimeLabels.length ? ` (ignoring run-time label${res.runtimeLabels.length > 1 ? 's' : ''} ${res.runtimeLabels.join(', ')})` : '';
    return ctx.failed(lane, title, {
      rule: 'service-selector-no-match',
      detail: [`The selector {${Object.entries(svc.selector).map(([k, v]) => `${k}: ${v}`).join(', ')}}${runtime} matches no pod template in namespace ${svc.resource.namespace}.`, reject],
      source: ctx.at(svc.resource, svc.selectorPath),
      sourceLabel: 'selector',
    });
  }
  return ctx.failed(lane, title, { detail: ['The Service selects no pods (empty selector).', reject], source: ctx.at(svc.resource, svc.selectorPath) });
}
