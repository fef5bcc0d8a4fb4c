/**
 * One equivalence class's answers for one direction: what its policies allow from (ingress) or
 * to (egress) each kind of peer. A pod peer's answer only depends on which of the matchers the
 * subject's rules mention it satisfies (and, for egress, how it resolves the port names those
 * rules use), so answers are memoised on that restricted key: a class with a default-deny
 * policy and two allow rules has at most a handful of distinct answers, whatever the cluster size.
 */
import type { AddressRange } from './addresses';
import { Decision, evaluateDirection, MatcherIds, PodParty, SubjectPolicies } from './evaluate';
import { Connections } from './ports';
import type { Direction } from './policies';

const NO_FEATURES: ReadonlySet<number> = new Set();

export class DirectionTable {
  /** Matcher ids the subject's rules name as peers: a peer matching none gets `defaultForPods()`. */
  readonly relevant: readonly number[];
  private readonly portNames: readonly string[];
  private readonly memo = new Map<string, Connections>();

  constructor(
    private readonly dir: Direction,
    private readonly policies: SubjectPolicies,
    private readonly subject: PodParty,
    private readonly ids: MatcherIds,
  ) {
    const rel = new Set<number>();
    const names = new Set<string>();
    for (const p of [...policies.admin, ...policies.namespaced, ...(policies.baseline ? [policies.baseline] : [])]) {
      for (const r of (dir === 'Ingress' ? p.ingress : p.egress) ?? []) {
        for (const peer of r.peers) if (peer.kind === 'pods') rel.add(ids.idOf(peer.matcher));
        if (dir === 'Egress') for (const port of r.ports ?? []) if (port.kind === 'named') names.add(port.name);
      }
    }
    this.relevant = [...rel].sort((a, b) => a - b);
    this.portNames = [...names].sort();
  }

  /** Whether this table was built for exactly these policies (so its answers still hold). */
  hasPolicies(p: SubjectPolicies): boolean {
    const q = this.policies;
    const same = (a: readonly unknown[], b: readonly unknown[]) =>
      a.length === b.length && a.every((x, i) => x === b[i]);
    return q.baseline === p.baseline && same(q.admin, p.admin) && same(q.namespaced, p.namespaced);
  }

  /** Whether answers depend on the peer's port names (egress rules with named ports). */
  get usesPortNames(): boolean {
    return this.portNames.length > 0;
  }

  /** No policy acts on the subject in this direction: everything is allowed. */
  get open(): boolean {
    const p = this.policies;
    return !p.admin.length && !p.namespaced.length && !p.baseline;
  }

  forPod(peer: PodParty): Connections {
    if (this.open) return Connections.ALL;
    let key = '';
    for (const id of this.relevant) if (peer.features.has(id)) key += `${id},`;
    if (this.portNames.length) {
      key += '|';
      for (const n of this.portNames) {
        const hit = peer.ports.find(p => p.name === n);
        key += hit ? `${hit.protocol}/${hit.port},` : '-,';
      }
    }
    if (peer.addresses?.length) key += `|${peer.addresses.join(',')}`;
    let hit = this.memo.get(key);
    if (!hit) {
      hit = this.evaluate(peer);
      this.memo.set(key, hit);
    }
    return hit;
  }

  forAddress(range: AddressRange): Connections {
    if (this.open) return Connections.ALL;
    const key = `@${range.first}-${range.last}`;
    let hit = this.memo.get(key);
    if (!hit) {
      // A named port means nothing to an address outside the cluster: for egress the destination
      // is the address; for ingress the subject is.
      const peer = { kind: 'address' as const, range };
      hit =
        this.dir === 'Ingress'
          ? evaluateDirection('Ingress', this.policies, peer, this.subject, this.ids)
          : evaluateDirection('Egress', this.policies, peer, peer, this.ids);
      this.memo.set(key, hit);
    }
    return hit;
  }

  /** The answer for a pod that matches none of the relevant matchers (and declares no ports). */
  defaultForPods(): Connections {
    return this.forPod({ kind: 'pod', features: NO_FEATURES, ports: [] });
  }

  private evaluate(peer: PodParty, trace?: Decision[]): Connections {
    return this.dir === 'Ingress'
      ? evaluateDirection('Ingress', this.policies, peer, this.subject, this.ids, trace)
      : evaluateDirection('Egress', this.policies, peer, peer, this.ids, trace);
  }
}
