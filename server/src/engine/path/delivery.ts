/**
 * The last stretch of a packet whose destination is now a pod address: node routing (same node:
 * the bridge; another node: the route to the node that owns the pod block, encapsulated as the
 * CNI does it), the destination pod's ingress NetworkPolicies, the pod's network namespace and
 * the container that listens on the port.
 */
import type { Hop } from './model';
import type { TraceContext } from './context';
import type { PathEndpoint } from './endpoints';
import { evaluatePolicies, Peer } from './policy';
import { blockOf, nodeAddress } from './adapters';
import { nodeName } from './placement';
import { servingContainers } from '../rules/support/ports';

export interface DeliveryOptions {
  /** Node the packet is on when it has its pod destination (undefined: outside the cluster). */
  fromNode: number | undefined;
  /** Who the destination pod sees as the source (after any SNAT). */
  source: Peer;
  protocol: string;
}

export function deliver(ctx: TraceContext, ep: PathEndpoint, opts: DeliveryOptions): { hops: Hop[]; ok: boolean } {
  const hops: Hop[] = [];
  const plan = ctx.plan;
  const illus = ep.illustrative ? ' (illustrative)' : '';
  const block = blockOf(plan, ep.ip);
  const fromName = opts.fromNode === undefined ? undefined : nodeName(opts.fromNode);
  const cniNote = plan.cniLabel;
  const lastMile = plan.bridge
    ? {
        short: `${plan.bridge} bridge → veth`,
        long: `to the ${plan.bridge} bridge, which forwards it to the pod's veth`,
      }
    : {
        short: 'host route → veth',
        long: `over a per-pod host route straight into the pod's veth (${plan.cniPlugin} uses no bridge)`,
      };
  const cniWhere = plan.cniWhere ?? plan.podCidrWhere;

  if (ep.node === undefined) {
    hops.push(
      ctx.hop('network', `Route to ${ep.ip}`, {
        detail: [
          `The EndpointSlice gives no nodeName for ${ep.ip}; the node that owns its pod block${block ? ` ${block}` : ''} receives it.`,
        ],
        source: ep.where,
      }),
    );
  } else if (fromName === ep.node) {
    hops.push(
      ctx.hop('network', `Same node (${ep.node}): ${lastMile.short}`, {
        detail: [
          `${ep.ip} is in ${ep.node}'s pod block ${block ?? '(outside the pod CIDR)'}${illus}; the node routes it ${lastMile.long}.`,
          `No encapsulation: the packet never leaves ${ep.node}. CNI: ${cniNote}.`,
        ],
        source: cniWhere ?? ep.where,
      }),
    );
  } else {
    const nodeIP = ep.nodeIndex !== undefined ? ` (${nodeAddress(plan, ep.nodeIndex)})` : '';
    const tunnel = encapsulation(plan);
    const how = tunnel
      ? `encapsulated in ${tunnel}: outer header ${fromName ?? 'node'} → ${ep.node}${nodeIP}`
      : plan.encapsulation === 'host-gw'
        ? `sent unencapsulated with ${ep.node}${nodeIP} as next hop (host-gw: the nodes must share one L2 segment)`
        : `routed unencapsulated to ${ep.node}${nodeIP}; the underlay (or BGP) knows the pod block`;
    hops.push(
      ctx.hop('network', `Cross-node: route ${block ?? ep.ip} via ${ep.node}`, {
        detail: [
          `${fromName ? `${fromName} has` : 'The receiving node has'} a route for ${block ?? ep.ip} (${ep.node}'s pod block${illus}) via ${ep.node}; the packet is ${how}.`,
          `CNI: ${cniNote}.`,
        ],
        source: cniWhere ?? ep.where,
      }),
    );
    hops.push(
      ctx.hop('network', `${ep.node}: ${tunnel ? 'decapsulate, ' : ''}${lastMile.short}`, {
        detail: [
          `${ep.node} ${tunnel ? `strips the ${tunnel.split(' ')[0]} header and ` : ''}routes ${ep.ip} ${lastMile.long}.`,
        ],
      }),
    );
  }

  const named = ep.podName !== 'endpoint';
  const podDescribe = named ? `pod ${ep.podName}` : `the pod at ${ep.ip}`;
  if (ep.template) {
    const t = ep.template;
    const verdict = evaluatePolicies(
      ctx.connectivity,
      'Ingress',
      { namespace: t.namespace, labels: t.labels, describe: podDescribe },
      opts.source,
      {
        number: ep.port,
        name: ep.containerPort?.name,
        protocol: opts.protocol,
      },
    );
    if (verdict.isolated) {
      const h = verdict.allowed
        ? ctx.hop('pod', `NetworkPolicy: ${verdict.text}`, {
            detail: [
              `${podDescribe} is isolated for ingress by ${verdict.selecting.map(p => p.resource.name).join(', ')}; source: ${opts.source.describe}.`,
            ],
            source: verdict.where,
          })
        : ctx.failed('pod', `NetworkPolicy ${verdict.text}`, {
            detail: [
              `The CNI's policy agent drops the packet before it reaches ${podDescribe}; the client sees a timeout.`,
            ],
            source: verdict.where,
          });
      hops.push(h);
      if (!verdict.allowed) return { hops, ok: false };
    }
    hops.push(
      ctx.hop('pod', `${named ? `Pod ${ep.podName}` : 'Pod'}: network namespace, eth0 ${ep.ip}`, {
        detail: [
          `The veth's pod end is eth0 in the pod's network namespace, held by the pause container and ${sharedBy(servingContainers(t).length)}.`,
          ...(verdict.isolated ? [] : [`No NetworkPolicy selects this pod for ingress: nothing filters it.`]),
          ...(ep.illustrative
            ? [`Pod name and address are illustrative; replicas come from ${t.owner.kind} ${t.owner.name}.`]
            : []),
        ],
        source: ctx.at(t.source, t.labelsPath),
      }),
    );
    if (ep.container && ep.containerPort) {
      hops.push(
        ctx.hop('pod', `Container ${ep.container.name} listens on ${ep.port}/${opts.protocol}`, {
          detail: [
            `containerPort ${ep.port}${ep.containerPort.name ? ` (name ${ep.containerPort.name})` : ''} of container ${ep.container.name}${ep.container.role === 'sidecar' ? ' (native sidecar)' : ''}.`,
          ],
          source: ctx.at(t.source, ep.containerPort.path),
        }),
      );
    } else {
      hops.push(
        ctx.hop('pod', `Port ${ep.port}/${opts.protocol}: no container declares it`, {
          rule: 'service-target-port-undeclared',
          detail: [
            `No container of ${t.owner.kind} ${t.owner.name} declares containerPort ${ep.port}/${opts.protocol}. The packet still arrives; it is answered only if some process listens there without declaring it.`,
          ],
          source: ctx.at(t.source, t.specPath),
        }),
      );
    }
  } else {
    hops.push(
      ctx.hop('pod', `${named ? `Pod ${ep.podName}` : 'Pod'}: ${ep.ip}:${ep.port}`, {
        detail: ['No pod template in the workspace is known for this endpoint; the container cannot be named.'],
        source: ep.where,
      }),
    );
  }
  return { hops, ok: true };
}

/** The tunnel a CNI wraps cross-node pod traffic in, or undefined when it routes natively. */
function encapsulation(plan: TraceContext['plan']): string | undefined {
  const p = plan.cniPlugin;
  switch (plan.encapsulation) {
    case 'vxlan':
      return p === 'calico'
        ? 'VXLAN (vxlan.calico, UDP 4789)'
        : p === 'cilium'
          ? 'VXLAN (cilium_vxlan, UDP 8472)'
          : p === 'weave'
            ? 'VXLAN (weave fast datapath)'
            : 'VXLAN (flannel.1, UDP 8472)';
    case 'ipip':
      return 'IP-in-IP (tunl0, IP protocol 4)';
    case 'geneve':
      return 'Geneve (cilium_geneve, UDP 6081)';
    case 'wireguard':
      return 'WireGuard (encrypted, UDP)';
    case 'udp':
      return 'UDP (flannel0, port 8285)';
    default:
      return undefined;
  }
}

/** Who shares the pod's network namespace, in words that fit one container as well as many. */
export function sharedBy(containers: number): string {
  return containers === 1 ? "used by the pod's one container" : `shared by all ${containers} containers of the pod`;
}
