/**
 * Which pod matchers each workload satisfies ("features"), kept up to date across edits: a
 * matcher's members are computed once, over the workloads of the namespaces it can select; a new
 * or changed workload is checked against the matchers of its namespace and the cluster-wide ones;
 * a namespace whose labels changed has its workloads re-checked. Matchers no policy uses any
 * more are dropped.
 */
import { MatcherRegistry, namespaceMatches, selects } from './matchers';
import type { Workload } from './workloads';
import { addTo } from '../collections';

type Labels = Readonly<Record<string, string>>;

/** Set on every namespace by the API server (and by the model) to the namespace's name. */
const NAME_LABEL = 'kubernetes.io/metadata.name';

function labelsKey(l: Labels | undefined): string {
  if (!l) return '';
  return Object.keys(l)
    .sort()
    .map(k => `${k}=${l[k]}`)
    .join('\u0000');
}

interface MatcherGroups {
  /** Matchers of one namespace, by its name. */
  byName: Map<string, number[]>;
  /** The others, and each one's position among them. */
  wide: number[];
  widePos: Map<number, number>;
  /** Of `wide`: those whose namespace selector names one namespace by its name label, and the rest. */
  byNameLabel: Map<string, number[]>;
  anyName: number[];
  /** See wideFor. */
  perNamespace: Map<string, { key: string; ids: number[] }>;
}

export class FeatureIndex {
  private readonly members = new Map<number, Set<Workload>>();
  private readonly features = new Map<Workload, Set<number>>();
  /** The indexed version of each workload id. */
  private readonly byId = new Map<string, Workload>();
  private readonly nsKeys = new Map<string, string>();
  /** Bumped whenever a workload's feature set changes, so derived keys can be cached. */
  private readonly versions = new Map<Workload, number>();
  private clock = 0;
  private lastNamespaces: ReadonlyMap<string, Labels> | undefined;
  /** The matchers grouped by the namespaces they can select; undefined when matchers came or went. */
  private groups: MatcherGroups | undefined;
  /** The workload list of the last update (a change given relative to it can be applied alone). */
  private lastWorkloads: readonly Workload[] | undefined;

  versionOf(w: Workload): number {
    return this.versions.get(w) ?? -1;
  }

  private touch(w: Workload): void {
    this.versions.set(w, ++this.clock);
  }

  constructor(private readonly registry: MatcherRegistry) {}

  /**
   * Brings the index to the given world and returns each workload's features (ids of `used`
   * matchers it satisfies). The returned sets are owned by the index: copy before keeping them.
   * `change`, when given, says which workloads differ from `change.before` (`gone`: not in
   * `workloads` any more; `fresh`: new in it); if `before` is the last update's list, only those
   * are visited instead of every workload.
   */
  update(
    workloads: readonly Workload[],
    namespaces: ReadonlyMap<string, Labels>,
    used: readonly number[],
    change?: { before: readonly Workload[]; gone: readonly Workload[]; fresh: readonly Workload[] },
  ): ReadonlyMap<Workload, ReadonlySet<number>> {
    const delta = change && change.before === this.lastWorkloads ? change : undefined;
    this.lastWorkloads = workloads;
    const nsLabels = (ns: string): Labels => namespaces.get(ns) ?? {};
    // Namespaces whose labels changed: their workloads are re-checked from scratch.
    const changedNs = new Set<string>();
    // The same map as last time (the model keeps it while no namespace changed): the same labels.
    if (namespaces !== this.lastNamespaces)
      for (const [ns, labels] of namespaces) {
        const k = labelsKey(labels);
        if (this.nsKeys.get(ns) !== k) changedNs.add(ns);
        this.nsKeys.set(ns, k);
      }
    for (const ns of [...this.nsKeys.keys()]) if (!namespaces.has(ns)) this.nsKeys.delete(ns);
    this.lastNamespaces = namespaces;
    // A workload object replaced by a new version of itself (an edit) is forgotten: it comes back fresh.
    for (const w of delta ? delta.fresh : workloads) {
      const old = this.byId.get(w.id);
      if (old === w) continue;
      if (old) this.forget(old);
      this.byId.set(w.id, w);
    }
    if (delta) {
      // Gone for good (not replaced above).
      for (const w of delta.gone)
        if (this.byId.get(w.id) === w) {
          this.forget(w);
          this.byId.delete(w.id);
        }
    } else if (this.byId.size !== workloads.length) {
      const current = new Set(workloads);
      for (const [id, w] of this.byId)
        if (!current.has(w)) {
          this.forget(w);
          this.byId.delete(id);
        }
    }
    if (changedNs.size) for (const w of workloads) if (changedNs.has(w.namespace)) this.forget(w);
    // Matchers no policy uses any more.
    const usedSet = new Set(used);
    for (const id of [...this.members.keys()]) {
      if (usedSet.has(id)) continue;
      for (const w of this.members.get(id)!) {
        this.features.get(w)?.delete(id);
        this.touch(w);
      }
      this.members.delete(id);
      this.groups = undefined;
    }
    // Workloads by namespace, for new matchers only (an edit that adds none skips the pass).
    let byNs: Map<string, Workload[]> | undefined;
    // New matchers: members among the namespaces they can select.
    for (const id of used) {
      if (this.members.has(id)) continue;
      if (!byNs) {
        byNs = new Map();
        for (const w of workloads) addTo(byNs, w.namespace, w);
      }
      const m = this.registry.matchers[id];
      const set = new Set<Workload>();
      const namespacesToScan = m.namespace.kind === 'name' ? [m.namespace.name] : [...byNs.keys()];
      for (const ns of namespacesToScan) {
        const list = byNs.get(ns);
        if (!list || !namespaceMatches(m, ns, nsLabels(ns))) continue;
        // Workloads not indexed yet get their own pass below (all of them on the first update).
        for (const w of list) if (this.known(w) && selects(m.pods, w.labels)) set.add(w);
      }
      this.members.set(id, set);
      this.groups = undefined;
      for (const w of set) {
        this.features.get(w)!.add(id);
        this.touch(w);
      }
    }
    // New (or re-checked) workloads: against the matchers that can select their namespace.
    // Only the change's new workloads can lack features, unless a namespace's labels changed.
    const fresh = (delta && !changedNs.size ? delta.fresh : workloads).filter(w => !this.features.has(w));
    if (fresh.length) {
      const { byName } = (this.groups ??= this.groupMatchers());
      for (const w of fresh) {
        const f = new Set<number>();
        this.features.set(w, f);
        this.touch(w);
        const nl = nsLabels(w.namespace);
        for (const id of byName.get(w.namespace) ?? []) {
          if (selects(this.registry.matchers[id].pods, w.labels)) {
            f.add(id);
            this.members.get(id)!.add(w);
          }
        }
        const hits = this.wideFor(w.namespace, nl).filter(id => selects(this.registry.matchers[id].pods, w.labels));
        for (const id of hits) {
          f.add(id);
          this.members.get(id)!.add(w);
        }
      }
    }
    return this.features;
  }

  /** The matchers by the namespaces they can select (kept while the set of matchers is the same). */
  private groupMatchers(): MatcherGroups {
    const byName = new Map<string, number[]>();
    const wide: number[] = [];
    // Namespace selectors on `kubernetes.io/metadata.name` (how policies name another
    // namespace): only that namespace's workloads need the full check.
    const byNameLabel = new Map<string, number[]>();
    const anyName: number[] = [];
    for (const id of this.members.keys()) {
      const m = this.registry.matchers[id];
      if (m.namespace.kind === 'name') addTo(byName, m.namespace.name, id);
      else {
        wide.push(id);
        const named = m.namespace.kind === 'selector' ? m.namespace.selector?.matchLabels[NAME_LABEL] : undefined;
        if (named !== undefined) addTo(byNameLabel, named, id);
        else anyName.push(id);
      }
    }
    return {
      byName,
      wide,
      widePos: new Map(wide.map((id, i) => [id, i])),
      byNameLabel,
      anyName,
      perNamespace: new Map(),
    };
  }

  /**
   * The matchers not bound to one namespace by name whose namespace part selects `ns` (labels
   * `nl`), in `wide` order (class keys list features in insertion order); kept per namespace
   * while its labels and the matchers stay the same, so a fresh workload is checked against
   * these matchers' pod selectors alone.
   */
  private wideFor(ns: string, nl: Labels): readonly number[] {
    const g = (this.groups ??= this.groupMatchers());
    const key = this.nsKeys.get(ns) ?? labelsKey(nl);
    const hit = g.perNamespace.get(ns);
    if (hit && hit.key === key) return hit.ids;
    // A namespace whose name label is its name is selected by the name-label selectors for it alone.
    const candidates = nl[NAME_LABEL] === ns ? [...(g.byNameLabel.get(ns) ?? []), ...g.anyName] : g.wide;
    const ids = candidates.filter(id => namespaceMatches(this.registry.matchers[id], ns, nl));
    if (candidates !== g.wide && ids.length > 1) ids.sort((a, b) => g.widePos.get(a)! - g.widePos.get(b)!);
    g.perNamespace.set(ns, { key, ids });
    return ids;
  }

  /** Workloads already indexed are updated when new matchers are added; fresh ones wait for their own pass. */
  private known(w: Workload): boolean {
    return this.features.has(w);
  }

  private forget(w: Workload): void {
    for (const id of this.features.get(w) ?? []) this.members.get(id)?.delete(w);
    this.features.delete(w);
    this.versions.delete(w);
  }

  /** The workloads a matcher selects (after the last update). */
  membersOf(id: number): ReadonlySet<Workload> {
    return this.members.get(id) ?? new Set();
  }
}
