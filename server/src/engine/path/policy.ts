/**
 * Policy verdicts for one packet of the traffic path, asked of the connectivity engine (the one
 * evaluator of NetworkPolicy, AdminNetworkPolicy and BaselineAdminNetworkPolicy). The path knows
 * a pod's namespace and labels, sometimes an address; the engine answers for such hypothetical
 * pods and addresses. Facts the manifests cannot settle (an external client whose address is
 * unknown, the namespace of the ingress controller) make the verdict "maybe" when the answer
 * depends on them, which the hop text says in words.
 */
import type { ConnectivityModel, Decision, Endpoint, Policy, Protocol } from '../connectivity';
import { PROTOCOLS } from '../connectivity';
import type { Where } from './adapters';

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
  /** Some policy selects the subject for this direction (otherwise everything is allowed). */
  isolated: boolean;
  allowed: boolean;
  uncertain: boolean;
  text: string;
  where?: Where;
  /** The policies that select the subject for this direction. */
  selecting: Policy[];
}

/** A namespace name no manifest can declare: where the probe for an unknown pod lives. */
const UNKNOWN_NAMESPACE = '\u0000unknown';

function ruleText(d: Decision): string {
  const p = d.policy!;
  const r = d.rule!;
  const dir = d.direction.toLowerCase();
  // NetworkPolicies are named as in `kubectl get networkpolicy` output (their namespace is the subject's).
  const name = p.kind === 'NetworkPolicy' ? p.name : `${p.kind} ${p.name}`;
  return `${name} ${dir} rule ${r.index + 1}${r.name ? ` "${r.name}"` : ''}`;
}

function asProtocol(p: string): Protocol {
  return (PROTOCOLS as readonly string[]).includes(p) ? (p as Protocol) : 'TCP';
}

export function evaluatePolicies(
  model: ConnectivityModel,
  direction: 'Ingress' | 'Egress',
  subject: PolicySubject,
  peer: Peer,
  port: { number: number; name?: string; protocol: string },
): PolicyVerdict {
  const protocol = asProtocol(port.protocol);
  // The destination's port name lets named-port rules resolve (on the subject for ingress, on the peer for egress).
  const named = port.name ? [{ name: port.name, protocol, port: port.number }] : [];
  const subj: Endpoint = {
    kind: 'pod',
    namespace: subject.namespace,
    labels: subject.labels,
    ports: direction === 'Ingress' ? named : [],
  };
  let probes: Endpoint[];
  if (peer.kind === 'pod')
    probes = [
      { kind: 'pod', namespace: peer.namespace, labels: peer.labels, ports: direction === 'Egress' ? named : [] },
    ];
  else if (peer.kind === 'external')
    probes = peer.ip
      ? [{ kind: 'address', ip: peer.ip }]
      : (direction === 'Ingress' ? model.externalSources : model.externalDestinations).map(range => ({
          kind: 'external' as const,
          range,
        }));
  else probes = [{ kind: 'pod', namespace: UNKNOWN_NAMESPACE, labels: {} }];

  const q = { protocol, start: port.number };
  const answers = probes.map(p => {
    const e = direction === 'Ingress' ? model.explain(p, subj, q) : model.explain(subj, p, q);
    const part = direction === 'Ingress' ? e.ingress : e.egress;
    return { allowed: part.allowed.has(protocol, port.number), decisions: part.decisions };
  });
  const all = answers.flatMap(a => a.decisions);
  const selecting = [...new Set(all.flatMap(d => [...(d.isolatedBy ?? []), ...(d.policy ? [d.policy] : [])]))];
  const isolated = all.some(d => d.tier !== 'default');
  const dir = direction === 'Ingress' ? 'ingress' : 'egress';
  if (!isolated) {
    return {
      isolated: false,
      allowed: true,
      uncertain: false,
      selecting,
      text: `no NetworkPolicy selects ${subject.describe} for ${dir}: not isolated, everything allowed`,
    };
  }
  const where = (d: Decision | undefined): Where | undefined =>
    d?.rule ? d.rule.source : d?.policy ? d.policy.subjectSource : undefined;
  const decidedBy = (a: (typeof answers)[number]) =>
    a.decisions.find(d => d.verdict === (a.allowed ? 'allow' : 'deny'));
  const yes = answers.filter(a => a.allowed);
  // An unknown pod denied here might still be admitted by a namespaceSelector peer somewhere.
  const unknownMaybe =
    peer.kind === 'unknown-pod' &&
    !yes.length &&
    selecting.some(p =>
      ((direction === 'Ingress' ? p.ingress : p.egress) ?? []).some(r =>
        r.peers.some(x => x.kind === 'pods' && x.matcher.namespace.kind !== 'name'),
      ),
    );
  if (yes.length === answers.length) {
    const d = decidedBy(yes[0]);
    return {
      isolated: true,
      allowed: true,
      uncertain: false,
      selecting,
      where: where(d),
      text: d?.rule ? `allowed by ${ruleText(d)}` : `allowed: ${d?.text ?? 'no policy denies it'}`,
    };
  }
  if (yes.length || unknownMaybe) {
    const d = yes.length ? decidedBy(yes[0]) : undefined;
    const via = d?.rule ? `by ${ruleText(d)} ` : '';
    return {
      isolated: true,
      allowed: true,
      uncertain: true,
      selecting,
      where: where(d) ?? where(answers[0].decisions.find(x => x.policy)),
      text: `allowed ${via}only if ${peer.describe} matches its peers (not decidable from the manifests)`,
    };
  }
  const deny = answers[0].decisions.find(d => d.verdict === 'deny');
  const target = direction === 'Ingress' ? peer.describe : `traffic to ${peer.describe}`;
  const names = (deny?.isolatedBy ?? selecting).map(p => p.name).join(', ');
  return {
    isolated: true,
    allowed: false,
    uncertain: false,
    selecting,
    where: where(deny),
    text:
      deny?.rule && deny.tier !== 'namespaced'
        ? `dropped: denied by ${ruleText(deny)}`
        : `dropped: selected by ${names}, no ${dir} rule admits ${target} on ${port.number}/${port.protocol}`,
  };
}
