/**
 * One direction of one connection, decided tier by tier as the Network Policy API defines it:
 *
 * 1. AdminNetworkPolicies selecting the subject (the source for egress, the destination for
 *    ingress), by ascending priority; within one policy the first rule whose peers and ports
 *    match decides. Allow and Deny are final; Pass skips the remaining admin policies.
 * 2. Whatever the admin tier left undecided or passed: if any NetworkPolicy selects the subject
 *    for this direction, it is allowed exactly when some rule of some such policy admits it.
 * 3. Otherwise the BaselineAdminNetworkPolicy (first matching rule), and what it leaves is allowed.
 *
 * The evaluator works on whole port sets at once, so one call answers every port and protocol.
 * Each decided slice can be recorded with the policy and rule that decided it (explain).
 */
import { Connections, Protocol } from './ports';
import type { Direction, Policy, Rule, RulePeer, RulePort } from './policies';
import type { AddressRange } from './addresses';
import { addressIn, rangeWithin } from './addresses';
import type { WorkloadPort } from './workloads';

/** A pod (or a workload standing for its pods) as the evaluator sees it. */
export interface PodParty {
  kind: 'pod';
  /** Ids of the pod matchers (subjects and peers of all policies) this pod satisfies. */
  features: ReadonlySet<number>;
  ports: readonly WorkloadPort[];
  /** Known addresses of the pod on the network evaluated (secondary networks only). */
  addresses?: readonly number[];
}
export interface AddressParty {
  kind: 'address';
  range: AddressRange;
}
export type Party = PodParty | AddressParty;

/** Policies that act on one subject for one direction, by tier. */
export interface SubjectPolicies {
  admin: readonly Policy[];
  namespaced: readonly Policy[];
  baseline: Policy | undefined;
}

export type Verdict = 'allow' | 'deny' | 'pass';

export interface Decision {
  direction: Direction;
  /** The ports and protocols this decision covers. */
  connections: Connections;
  verdict: Verdict;
  tier: 'admin' | 'namespaced' | 'baseline' | 'default';
  policy?: Policy;
  rule?: Rule;
  /** For NetworkPolicy denials: every policy that isolates the subject. */
  isolatedBy?: readonly Policy[];
  text: string;
}

export interface MatcherIds {
  idOf(p: Policy['subject']): number;
}

function ruleFor(p: Policy, dir: Direction): readonly Rule[] | undefined {
  return dir === 'Ingress' ? p.ingress : p.egress;
}

function peerMatches(peer: RulePeer, party: Party, ids: MatcherIds): boolean {
  switch (peer.kind) {
    case 'pods':
      return party.kind === 'pod' && party.features.has(ids.idOf(peer.matcher));
    case 'addresses':
      // ipBlock and networks name addresses outside the cluster; pods are matched by selectors,
      // except on secondary networks where an attachment's address is declared.
      if (party.kind === 'address') return rangeWithin(party.range, peer.ranges);
      return !!party.addresses?.some(a => addressIn(a, peer.ranges));
    default:
      return false;
  }
}

function rulePeersMatch(rule: Rule, party: Party, ids: MatcherIds): boolean {
  if (rule.anyPeer) return true;
  for (const p of rule.peers) if (peerMatches(p, party, ids)) return true;
  return false;
}

/** The connections a rule's ports cover when the destination is `dst`. */
export function rulePortsOn(ports: readonly RulePort[] | undefined, dst: Party): Connections {
  if (!ports) return Connections.ALL;
  let out = Connections.NONE;
  for (const p of ports) {
    if (p.kind === 'range') out = out.union(Connections.of(p.protocol, p.start, p.end));
    else if (p.kind === 'protocol') out = out.union(Connections.of(p.protocol));
    else if (dst.kind === 'pod') {
      // A named port means the destination pod's port of that name; NetworkPolicy also requires
      // the protocol to agree. Addresses outside the cluster have no port names.
      const hit = dst.ports.find(x => x.name === p.name);
      if (hit && (p.protocol === undefined || p.protocol === hit.protocol))
        out = out.union(Connections.of(hit.protocol as Protocol, hit.port, hit.port));
    }
  }
  return out;
}

function describeRule(p: Policy, dir: Direction, r: Rule): string {
  const where = p.namespace !== undefined ? `${p.namespace}/${p.name}` : p.name;
  const label = r.name ? ` "${r.name}"` : '';
  return `${p.kind} ${where} ${dir.toLowerCase()} rule ${r.index + 1}${label}`;
}

/**
 * The connections allowed in one direction between `subject` (the pod the policies select) and
 * `peer`; `dst` is whichever of the two is the destination (named ports resolve there).
 */
export function evaluateDirection(
  dir: Direction,
  policies: SubjectPolicies,
  peer: Party,
  dst: Party,
  ids: MatcherIds,
  trace?: Decision[],
): Connections {
  let allowed = Connections.NONE;
  let undecided = Connections.ALL;
  let passed = Connections.NONE;
  adminTier: for (const p of policies.admin) {
    for (const r of ruleFor(p, dir) ?? []) {
      if (!rulePeersMatch(r, peer, ids)) continue;
      const hit = rulePortsOn(r.ports, dst).intersect(undecided);
      if (hit.isEmpty()) continue;
      undecided = undecided.subtract(hit);
      const verdict: Verdict = r.action === 'Allow' ? 'allow' : r.action === 'Deny' ? 'deny' : 'pass';
      if (verdict === 'allow') allowed = allowed.union(hit);
      else if (verdict === 'pass') passed = passed.union(hit);
      trace?.push({
        direction: dir,
        connections: hit,
        verdict,
        tier: 'admin',
        policy: p,
        rule: r,
        text: `${verdict === 'allow' ? 'allowed' : verdict === 'deny' ? 'denied' : 'passed to NetworkPolicies'} by ${describeRule(p, dir, r)}`,
      });
      if (undecided.isEmpty()) break adminTier;
    }
  }
  let rest = undecided.union(passed);
  if (rest.isEmpty()) return allowed;
  if (policies.namespaced.length) {
    for (const p of policies.namespaced) {
      for (const r of ruleFor(p, dir) ?? []) {
        if (!rulePeersMatch(r, peer, ids)) continue;
        const hit = rulePortsOn(r.ports, dst).intersect(rest);
        if (hit.isEmpty()) continue;
        rest = rest.subtract(hit);
        allowed = allowed.union(hit);
        trace?.push({
          direction: dir,
          connections: hit,
          verdict: 'allow',
          tier: 'namespaced',
          policy: p,
          rule: r,
          text: `allowed by ${describeRule(p, dir, r)}`,
        });
        if (rest.isEmpty()) return allowed;
      }
    }
    trace?.push({
      direction: dir,
      connections: rest,
      verdict: 'deny',
      tier: 'namespaced',
      policy: policies.namespaced[0],
      isolatedBy: policies.namespaced,
      text: `denied: isolated for ${dir.toLowerCase()} by ${policies.namespaced.map(p => `${p.namespace}/${p.name}`).join(', ')} and no rule admits it`,
    });
    return allowed;
  }
  if (policies.baseline) {
    const p = policies.baseline;
    for (const r of ruleFor(p, dir) ?? []) {
      if (!rulePeersMatch(r, peer, ids)) continue;
      const hit = rulePortsOn(r.ports, dst).intersect(rest);
      if (hit.isEmpty()) continue;
      rest = rest.subtract(hit);
      const verdict: Verdict = r.action === 'Allow' ? 'allow' : 'deny';
      if (verdict === 'allow') allowed = allowed.union(hit);
      trace?.push({
        direction: dir,
        connections: hit,
        verdict,
        tier: 'baseline',
        policy: p,
        rule: r,
        text: `${verdict === 'allow' ? 'allowed' : 'denied'} by ${describeRule(p, dir, r)}`,
      });
      if (rest.isEmpty()) return allowed;
    }
  }
  trace?.push({
    direction: dir,
    connections: rest,
    verdict: 'allow',
    tier: 'default',
    text: `allowed: no policy isolates the ${dir === 'Ingress' ? 'destination for ingress' : 'source for egress'}`,
  });
  return allowed.union(rest);
}
