/**
 * NetworkPolicy evaluation for one connection. A pod is isolated for a direction when any
 * policy of its namespace selects it with that policy type; an isolated pod accepts (or sends)
 * only what some rule of some selecting policy admits (policies are additive). A rule admits a
 * peer when one of its `from`/`to` entries matches (none listed = any peer) and one of its ports
 * matches (none listed = every port). Facts the manifests cannot settle (an external client's
 * address, the namespace of the ingress controller) make the verdict "maybe", which the hop
 * text says in words.
 */
import { IPv4, IPv4CidrRange } from 'ip-num';
import type { Cluster } from '../cluster/cluster';
import type { NetworkPolicyInfo, PolicyPeer, PolicyRule, Selector } from '../model/networkPolicy';
import { labelSelectorMatches } from '../model/workload';
import type { Where } from './adapters';
import { dictOf } from '../model/dict';

export type Peer =
  | {
      kind: 'pod';
      namespace: string;
      labels: Record<string, string>;
      ip?: string;
      ipIllustrative?: boolean;
      describe: string;
    }
  | { kind: 'external'; ip?: string; describe: string }
  | { kind: 'unknown-pod'; describe: string };

export interface PolicySubject {
  namespace: string;
  labels: Record<string, string>;
  describe: string;
}

export interface PolicyVerdict {
  /** No policy selects the subject for this direction. */
  isolated: boolean;
  allowed: boolean;
  uncertain: boolean;
  text: string;
  where?: Where;
  selecting: NetworkPolicyInfo[];
}

type Tri = 'yes' | 'no' | 'maybe';

export function namespaceLabels(cluster: Cluster): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const f of cluster.allFacts()) {
    if (f.resource.kind !== 'Namespace') continue;
    out.set(f.resource.name, dictOf(f.resource.labels, ['kubernetes.io/metadata.name', f.resource.name]));
  }
  return out;
}

export function evaluatePolicies(
  cluster: Cluster,
  nsLabels: Map<string, Record<string, string>>,
  direction: 'Ingress' | 'Egress',
  subject: PolicySubject,
  peer: Peer,
  port: { number: number; name?: string; protocol: string },
): PolicyVerdict {
  const selecting = [...cluster.policiesInNamespace(subject.namespace)]
    .filter(p => p.policyTypes.includes(direction) && labelSelectorMatches(p.podSelector, subject.labels))
    .sort((a, b) => (a.resource.name < b.resource.name ? -1 : 1));
  const dir = direction === 'Ingress' ? 'ingress' : 'egress';
  if (!selecting.length) {
    return {
      isolated: false,
      allowed: true,
      uncertain: false,
      selecting,
      text: `no NetworkPolicy selects ${subject.describe} for ${dir}: not isolated, everything allowed`,
    };
  }
  let maybe: { p: NetworkPolicyInfo; r: PolicyRule } | undefined;
  for (const p of selecting) {
    const rules = direction === 'Ingress' ? p.ingress : p.egress;
    for (const r of rules) {
      const v = and(peersAdmit(r.peers, p, peer, nsLabels), portsAdmit(r, port));
      if (v === 'yes') {
        return {
          isolated: true,
          allowed: true,
          uncertain: false,
          selecting,
          where: where(p, r.path),
          text: `allowed by ${p.resource.name} ${dir} rule ${r.index + 1}`,
        };
      }
      if (v === 'maybe' && !maybe) maybe = { p, r };
    }
  }
  if (maybe) {
    return {
      isolated: true,
      allowed: true,
      uncertain: true,
      selecting,
      where: where(maybe.p, maybe.r.path),
      text: `allowed by ${maybe.p.resource.name} ${dir} rule ${maybe.r.index + 1} only if ${peer.describe} matches its peers (not decidable from the manifests)`,
    };
  }
  const names = selecting.map(p => p.resource.name).join(', ');
  const first = selecting[0];
  return {
    isolated: true,
    allowed: false,
    uncertain: false,
    selecting,
    where: where(first, first.podSelectorPath),
    text: `dropped: selected by ${names}, no ${dir} rule admits ${direction === 'Ingress' ? peer.describe : `traffic to ${peer.describe}`} on ${port.number}/${port.protocol}`,
  };
}

function where(p: NetworkPolicyInfo, path: readonly (string | number)[]): Where {
  return { fileId: p.resource.fileId, anchor: { doc: p.resource.doc, path } };
}

function and(a: Tri, b: Tri): Tri {
  if (a === 'no' || b === 'no') return 'no';
  if (a === 'maybe' || b === 'maybe') return 'maybe';
  return 'yes';
}

function peersAdmit(
  peers: PolicyPeer[],
  policy: NetworkPolicyInfo,
  peer: Peer,
  nsLabels: Map<string, Record<string, string>>,
): Tri {
  // A rule with `from`/`to` absent (or empty) admits every peer.
  if (!peers.length) return 'yes';
  let best: Tri = 'no';
  for (const p of peers) {
    const v = peerMatches(p, policy, peer, nsLabels);
    if (v === 'yes') return 'yes';
    if (v === 'maybe') best = 'maybe';
  }
  return best;
}

function selects(sel: Selector | undefined, labels: Record<string, string>): boolean {
  return !sel || labelSelectorMatches(sel, labels);
}

function isEmpty(sel: Selector | undefined): boolean {
  return !!sel && Object.keys(sel.matchLabels).length === 0 && sel.matchExpressions.length === 0;
}

function peerMatches(
  p: PolicyPeer,
  policy: NetworkPolicyInfo,
  peer: Peer,
  nsLabels: Map<string, Record<string, string>>,
): Tri {
  if (p.ipBlock) {
    if (peer.kind === 'unknown-pod') return 'maybe';
    const ip = peer.ip;
    // 0.0.0.0/0 without exceptions admits every IPv4 source, whatever its address.
    if (!ip && /^0\.0\.0\.0\/0$/.test(p.ipBlock.cidr.trim()) && !p.ipBlock.except.length) return 'yes';
    if (!ip) return peer.kind === 'pod' ? 'no' : 'maybe';
    const inside = cidrContains(p.ipBlock.cidr, ip) && !p.ipBlock.except.some(e => cidrContains(e, ip));
    if (!inside) return 'no';
    return peer.kind === 'pod' && peer.ipIllustrative ? 'maybe' : 'yes';
  }
  if (peer.kind === 'external') return 'no';
  if (peer.kind === 'unknown-pod') {
    // Only a selector that admits pods of every namespace certainly covers an unknown pod.
    if (isEmpty(p.namespaceSelector) && (!p.podSelector || isEmpty(p.podSelector))) return 'yes';
    return p.namespaceSelector ? 'maybe' : 'no';
  }
  if (p.namespaceSelector) {
    const labels = nsLabels.get(peer.namespace) ?? { 'kubernetes.io/metadata.name': peer.namespace };
    if (!selects(p.namespaceSelector, labels)) return 'no';
    return selects(p.podSelector, peer.labels) ? 'yes' : 'no';
  }
  // podSelector alone: pods of the policy's own namespace.
  if (peer.namespace !== policy.resource.namespace) return 'no';
  return selects(p.podSelector, peer.labels) ? 'yes' : 'no';
}

function portsAdmit(r: PolicyRule, port: { number: number; name?: string; protocol: string }): Tri {
  if (!r.ports.length) return 'yes';
  for (const p of r.ports) {
    if ((p.protocol || 'TCP') !== port.protocol) continue;
    if (p.port === undefined) return 'yes';
    if (typeof p.port === 'number') {
      if (p.endPort !== undefined ? port.number >= p.port && port.number <= p.endPort : port.number === p.port)
        return 'yes';
    } else if (/^\d+$/.test(p.port)) {
      if (Number(p.port) === port.number) return 'yes';
    } else if (port.name !== undefined && p.port === port.name) {
      return 'yes';
    }
  }
  return 'no';
}

function cidrContains(cidr: string, ip: string): boolean {
  try {
    const r = IPv4CidrRange.fromCidr(cidr);
    const v = IPv4.fromString(ip).getValue();
    return v >= r.getFirst().getValue() && v <= r.getLast().getValue();
  } catch {
    return false;
  }
}
