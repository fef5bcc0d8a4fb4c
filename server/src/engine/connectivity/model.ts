/**
 * The connectivity model of one analysis unit (one Workspace). Built from the unit's resources:
 * workloads, namespaces, the three policy kinds, Ingress/Route exposure. Workloads that every
 * policy treats alike (same matched subjects and peers, same resolution of the port names the
 * rules use, same network) form one equivalence class; answers are computed per class pair, on
 * demand, and cached — never per pair of pods.
 */
import type { Resource } from '../model/resource';
import { AddressRange, formatAddress, formatRange, parseCidr4, splitUniverse } from './addresses';
import { evaluateDirection, Decision, Party, PodParty, SubjectPolicies } from './evaluate';
import { Exposure, ExposureCache } from './exposure';
import { MatcherRegistry, podMatches } from './matchers';
import { FeatureIndex } from './features';
import { DirectionTable } from './tables';
import { Connections, Protocol } from './ports';
import { Direction, Policy, RulePeer, policyOf } from './policies';
import { collectWorkloads, positionOf, updateWorkloads, Workload, WorkloadPort } from './workloads';
import type { ResourceChange } from './changes';
import { SharedMap } from './sharedMap';
import {
  NetworkAssignment,
  Networks,
  assignNetworks,
  policyCoversAttachment,
  PRIMARY_POD_NETWORK,
  WorkloadNetworks,
} from './networks';
import { dictOf } from '../model/dict';
import { addTo } from '../collections';

export const NS_NAME_LABEL = 'kubernetes.io/metadata.name';
/** Where netpol-analyzer puts the ingress controller: a pod of its own namespace, without labels. */
export const INGRESS_CONTROLLER = '{ingress-controller}';
export const INGRESS_CONTROLLER_NAMESPACE = 'ingress-controller-ns';

/** An address range outside the cluster that every policy treats alike. */
export interface ExternalRange {
  /** `first-last[External]`, netpol-analyzer's name for it. */
  readonly id: string;
  readonly first: string;
  readonly last: string;
  readonly range: AddressRange;
}

/** Something connections go from or to. `pod` and `address` are hypothetical (ask "would X be allowed"). */
export type Endpoint =
  | { kind: 'workload'; workload: Workload }
  | { kind: 'external'; range: ExternalRange }
  | { kind: 'ingress-controller' }
  | {
      kind: 'pod';
      namespace: string;
      labels: Readonly<Record<string, string>>;
      ports?: readonly Pick<WorkloadPort, 'name' | 'protocol' | 'port'>[];
    }
  | { kind: 'address'; ip: string };

export interface Connection {
  src: Endpoint;
  dst: Endpoint;
  /** Display names: `ns/name[Kind]`, `first-last[External]`, `{ingress-controller}`. */
  srcName: string;
  dstName: string;
  connections: Connections;
  /** The network the connection is analysed in (`pod-network`, a (C)UDN or a NAD). */
  network: NetworkAssignment;
}

export interface DirectionExplanation {
  direction: Direction;
  /** The side whose policies decide: the source for egress, the destination for ingress. */
  subject: string;
  allowed: Connections;
  decisions: Decision[];
}

export interface Explanation {
  src: string;
  dst: string;
  /** Restricted to the asked port/protocol when one was given. */
  allowed: Connections;
  egress: DirectionExplanation;
  ingress: DirectionExplanation;
  /** Ingress/Route exposure, when the source is the ingress controller. */
  exposure?: Exposure;
  /** Why the pair cannot talk at all regardless of policies (different isolated networks). */
  isolation?: string;
}

export interface ModelInputs {
  resources: readonly Resource[];
  registry: MatcherRegistry;
  /** Kept across versions of one unit, so an edit only re-checks what it touched. */
  features?: FeatureIndex;
  /** The previous version's workloads: unchanged ones are reused as the same objects. */
  previous?: ConnectivityModel;
  /** How `resources` differ from the previous version's (the parts it touches are patched, not rebuilt). */
  change?: ResourceChange;
}

interface ClassInfo {
  key: string;
  namespace: string;
  party: PodParty;
  /** Policies selecting the class, per direction (computed on first use). */
  ingress?: SubjectPolicies;
  egress?: SubjectPolicies;
  network: string;
  members: Workload[];
  tables?: { Ingress?: DirectionTable; Egress?: DirectionTable };
}

/** The classes of one version (see ConnectivityModel's fields of the same names). */
interface ClassState {
  classKeys: SharedMap<Workload, ClassKey>;
  classOf: SharedMap<Workload, ClassInfo>;
  classList: readonly ClassInfo[];
  matcherClasses: SharedMap<number, readonly ClassInfo[]>;
  classesByKey: SharedMap<string, ClassInfo>;
}

interface ClassKey {
  key: string;
  version: number;
  net: string;
}

function newParty(w: Workload, features: ReadonlySet<number>): PodParty {
  return { kind: 'pod', features: new Set(features), ports: w.ports };
}

const DEFAULT_NETWORKS: WorkloadNetworks = { primary: PRIMARY_POD_NETWORK, secondary: [], addresses: new Map() };

const NO_WORKLOADS: readonly Workload[] = [];

const EMPTY_POLICIES: SubjectPolicies = { admin: [], namespaced: [], baseline: undefined };

export class ConnectivityModel {
  /** Every workload of the unit, sorted by id. */
  readonly workloads: readonly Workload[];
  /** Namespace labels, including the implicit `kubernetes.io/metadata.name`. */
  readonly namespaces: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** Admin policies by priority, NetworkPolicies by namespace, the baseline policy. */
  readonly policies: {
    admin: readonly Policy[];
    namespaced: ReadonlyMap<string, readonly Policy[]>;
    baseline: Policy | undefined;
    /** MultiNetworkPolicies by the secondary network (NAD name) they apply to. */
    secondary: ReadonlyMap<string, readonly Policy[]>;
    all: readonly Policy[];
  };
  /** Sources outside the cluster, split where ingress rules draw boundaries. */
  readonly externalSources: readonly ExternalRange[];
  /** Destinations outside the cluster, split where egress rules draw boundaries. */
  readonly externalDestinations: readonly ExternalRange[];
  private exposureCache: ReadonlyMap<string, Exposure> | undefined;
  private readonly resources: readonly Resource[];
  /** Networks of the workloads off the default (see networksOf, which answers for every workload). */
  readonly networks: ReadonlyMap<string, WorkloadNetworks>;
  /** Whether the unit declares user-defined networks, attachments or virtual machines. */
  readonly multiNetwork: boolean;
  private readonly parts: Parts;
  private readonly exposureIndex: ExposureCache;
  private readonly policyState: PolicyState;
  private readonly nets: Networks & { warnings: string[] };
  private readonly declared: ReadonlySet<string>;
  private readonly classesByKey: SharedMap<string, ClassInfo>;
  /** Each workload's class key, with the feature version it was computed from. */
  private readonly classKeys: SharedMap<Workload, ClassKey>;
  private previousClasses: SharedMap<string, ClassInfo> | undefined;
  private previousPolicies: ConnectivityModel['policies'] | undefined;

  private readonly registry: MatcherRegistry;
  private readonly featureIndex: FeatureIndex;
  /** @internal */
  readonly byId: SharedMap<string, Workload>;
  private readonly classOf: SharedMap<Workload, ClassInfo>;
  private readonly classList: readonly ClassInfo[];
  /** Classes that satisfy each matcher (for the sparse walk over allowed pairs). */
  private readonly matcherClasses: SharedMap<number, readonly ClassInfo[]>;
  private readonly nsLabelsCache = new Map<string, Readonly<Record<string, string>>>();
  private ingressParty: ClassInfo | undefined;
  /** Workloads by namespace (computed on first use, see workloadsIn). */
  private byNamespace: ReadonlyMap<string, readonly Workload[]> | undefined;
  /** An older version's, whose arrays are kept for namespaces whose workloads did not change. */
  private olderByNamespace: ReadonlyMap<string, readonly Workload[]> | undefined;
  /** The previous version's, with the workloads this version replaced, added and removed. */
  private namespaceChange:
    | { before: ReadonlyMap<string, readonly Workload[]>; gone: readonly Workload[]; fresh: readonly Workload[] }
    | undefined;

  constructor(inputs: ModelInputs) {
    const { resources, registry } = inputs;
    const prev = inputs.previous;
    this.registry = registry;
    this.resources = resources;
    // An edit's change patches the previous parts; without one (or when it does not fit), a full pass.
    const patched = prev && inputs.change ? patchParts(prev.parts, inputs.change) : undefined;
    const parts = patched?.parts ?? partition(resources);
    this.parts = parts;
    // Each derived part is rebuilt only when the resources it reads changed (by identity).
    const same = (k: keyof Parts) => !!prev && sameList(prev.parts[k], parts[k]);

    let workloads: readonly Workload[];
    // Workloads the edit replaced, added or removed, when known without a pass over all of them.
    let workloadChange: { gone: readonly Workload[]; fresh: readonly Workload[] } | undefined;
    let replaced: [Workload, Workload][] | undefined;
    if (prev && same('workloads')) workloads = prev.workloads;
    else if (prev && patched) {
      const c = patched.changes.get('workloads')!;
      const u = updateWorkloads(prev.workloads, prev.byId, c.removed, c.added);
      workloads = u.workloads;
      workloadChange = u;
      replaced = u.replaced;
    } else {
      workloads = collectWorkloads(parts.workloads, prev && new Map(prev.workloads.map(w => [w.id, w])));
      // The common edit changes workloads in place: the same ids in the same order, a few new objects.
      if (prev && workloads !== prev.workloads) replaced = replacedWorkloads(prev.workloads, workloads);
    }
    const workloadsSame = !!prev && workloads === prev.workloads;
    this.workloads = workloads;
    if (prev && workloadsSame) this.byId = prev.byId;
    else if (prev && replaced) {
      const byId = prev.byId.edit();
      for (const [, w] of replaced) byId.set(w.id, w);
      this.byId = byId.done();
    } else this.byId = SharedMap.of(new Map(workloads.map(w => [w.id, w])));
    const sameIds = workloadsSame || !!replaced;

    if (prev && sameIds && same('namespaces')) {
      this.namespaces = prev.namespaces;
      this.declared = prev.declared;
    } else {
      const namespaces = new Map<string, Record<string, string>>();
      for (const r of parts.namespaces) namespaces.set(r.name, dictOf(r.labels, [NS_NAME_LABEL, r.name]));
      this.declared = new Set(namespaces.keys());
      for (const w of workloads)
        if (!namespaces.has(w.namespace)) namespaces.set(w.namespace, dictOf({}, [NS_NAME_LABEL, w.namespace]));
      this.namespaces = namespaces;
    }

    const policyChange = patched?.changes.get('policies');
    this.policyState =
      prev && same('policies')
        ? prev.policyState
        : ((prev && policyChange && updatePolicyState(prev.policyState, policyChange, registry)) ??
          buildPolicyState(parts.policies, registry, prev?.policyState));
    this.policies = this.policyState.policies;

    // Workloads without attachments, in the same namespaces, are on the networks they were on.
    const sameNetworks =
      workloadsSame || (!!replaced && replaced.every(([a, b]) => !a.attachments.length && !b.attachments.length));
    if (prev && same('networks') && sameNetworks && this.namespaces === prev.namespaces) this.nets = prev.nets;
    else {
      const warnings: string[] = [];
      this.nets = { ...assignNetworks(parts.networks, workloads, this.namespaces, this.declared, warnings), warnings };
    }
    this.networks = this.nets.byWorkload;
    this.multiNetwork = this.nets.multiNetwork;
    if (prev && same('exposure') && workloadsSame) this.exposureCache = prev.exposureCache;
    this.exposureIndex = prev?.exposureIndex ?? new ExposureCache();

    // Equivalence classes: workloads with the same features, port-name resolutions and network.
    const names = this.policyState.portNames;
    const index = inputs.features ?? new FeatureIndex(registry);
    const allFeatures = index.update(
      workloads,
      this.namespaces,
      this.policyState.used,
      prev && workloadChange ? { before: prev.workloads, ...workloadChange } : undefined,
    );
    const prevKeys =
      prev && prev.policyState.portNames.join('\u0000') === names.join('\u0000') ? prev.classKeys : undefined;
    // A workload's class key; the previous entry itself when still valid (so "same object" means "same class").
    const keyOf = (w: Workload): ClassKey => {
      const netKey = this.networks.get(w.id)?.primary.key ?? PRIMARY_POD_NETWORK.key;
      const version = index.versionOf(w);
      const cached = prevKeys?.get(w);
      if (cached && cached.version === version && cached.net === netKey) return cached;
      let key = '';
      for (const id of allFeatures.get(w) ?? []) key += `${id},`;
      key += '|';
      for (const n of names) {
        const hit = w.ports.find(p => p.name === n);
        key += hit ? `${hit.protocol}/${hit.port},` : '-,';
      }
      return { key: `${key}|${netKey}`, version, net: netKey };
    };
    const featuresOf = (w: Workload) => allFeatures.get(w) ?? new Set<number>();
    // When the policies select by the same matchers, classes no workload joined or left, outside
    // the namespaces whose NetworkPolicies changed, are the previous version's objects (their cached
    // policy lists and tables still hold): the update is proportional to the change.
    this.featureIndex = index;
    const stale = prev && prevKeys ? stalePolicyNamespaces(prev.policyState, this.policyState) : undefined;
    if (prev && stale) {
      // Same namespaces, networks and feature index too: only the replaced workloads can change class.
      const only =
        replaced && this.namespaces === prev.namespaces && this.nets === prev.nets && index === prev.featureIndex
          ? replaced
          : undefined;
      const c = prev.updatedClasses(workloads, this.byId, keyOf, featuresOf, only, stale);
      this.classKeys = c.classKeys;
      this.classOf = c.classOf;
      this.classList = c.classList;
      this.matcherClasses = c.matcherClasses;
      this.classesByKey = c.classesByKey;
    } else {
      const classKeys = new Map<Workload, ClassKey>();
      const classOf = new Map<Workload, ClassInfo>();
      const classList: ClassInfo[] = [];
      const matcherClasses = new Map<number, ClassInfo[]>();
      const classesByKey = new Map<string, ClassInfo>();
      for (const w of workloads) {
        const k = keyOf(w);
        classKeys.set(w, k);
        let c = classesByKey.get(k.key);
        if (!c) {
          // The party (a copy of the features: the index's sets change with the next edit) is shared
          // with the previous version's class of the same key.
          const party = prev?.classesByKey.get(k.key)?.party ?? newParty(w, featuresOf(w));
          c = { key: k.key, party, namespace: w.namespace, network: k.net, members: [] };
          classesByKey.set(k.key, c);
          classList.push(c);
          for (const id of party.features) addTo(matcherClasses, id, c);
        }
        c.members.push(w);
        classOf.set(w, c);
      }
      this.classKeys = SharedMap.of(classKeys);
      this.classOf = SharedMap.of(classOf);
      this.classList = classList;
      this.matcherClasses = SharedMap.of(matcherClasses);
      this.classesByKey = SharedMap.of(classesByKey);
    }
    if (prev && workloadsSame && prev.policyState === this.policyState) this.nameOrderCache = prev.nameOrderCache;
    // Answers of unchanged classes carry over (see table()); older versions are let go.
    if (prev) {
      // The previous grouping, made now if it is a patch still pending (cheap), so that a version
      // nobody asked about does not make the next one group every workload again.
      const before = prev.byNamespace ?? (prev.namespaceChange ? prev.groupedByNamespace() : undefined);
      if (workloadsSame) this.byNamespace = before;
      else if (before && workloadChange)
        this.namespaceChange = { before, gone: workloadChange.gone, fresh: workloadChange.fresh };
      else this.olderByNamespace = before ?? prev.olderByNamespace;
      prev.olderByNamespace = undefined;
      this.previousClasses = prev.classesByKey;
      this.previousPolicies = prev.policies;
      prev.previousClasses = undefined;
      prev.previousPolicies = undefined;
    }
    this.externalSources = this.policyState.externalSources;
    this.externalDestinations = this.policyState.externalDestinations;
  }

  /** Things the model ignored or could not decide, for the user. */
  get warnings(): readonly string[] {
    return [...this.policyState.warnings, ...this.nets.warnings];
  }

  /** Whether a model of `resources` would equal `prev` (none of the objects it reads changed). */
  static unchanged(prev: ConnectivityModel, resources: readonly Resource[]): boolean {
    const parts = partition(resources);
    const p = prev.parts;
    return (
      sameList(p.namespaces, parts.namespaces) &&
      sameList(p.workloads, parts.workloads) &&
      sameList(p.policies, parts.policies) &&
      sameList(p.exposure, parts.exposure) &&
      sameList(p.networks, parts.networks)
    );
  }

  /** Whether a change touches objects the model reads (else a model of the new list would equal the old one). */
  static reads(change: ResourceChange): boolean {
    return change.removed.some(r => partsOf(r).length > 0) || change.added.some(r => partsOf(r).length > 0);
  }

  /** Ingress/Route exposure by workload id (computed on first use). */
  get exposure(): ReadonlyMap<string, Exposure> {
    return (this.exposureCache ??= this.exposureIndex.compute(this.parts.exposure, this.workloads));
  }

  /** Number of equivalence classes (workloads no policy tells apart). */
  get classCount(): number {
    return this.classList.length;
  }

  /** The workloads of each equivalence class. */
  equivalenceClasses(): Workload[][] {
    return this.classList.map(c => c.members);
  }

  workload(id: string): Workload | undefined {
    return this.byId.get(id);
  }

  /**
   * The workloads of one namespace, sorted by id. The array is the previous version's while that
   * namespace's workloads are the same objects, so what callers cache on it (a Service's
   * workloads) survives edits in other namespaces.
   */
  workloadsIn(ns: string): readonly Workload[] {
    return this.groupedByNamespace().get(ns) ?? NO_WORKLOADS;
  }

  private groupedByNamespace(): ReadonlyMap<string, readonly Workload[]> {
    return (this.byNamespace ??= this.groupByNamespace());
  }

  private groupByNamespace(): ReadonlyMap<string, readonly Workload[]> {
    const change = this.namespaceChange;
    this.namespaceChange = undefined;
    if (change) return patchNamespaces(change.before, change.gone, change.fresh);
    const out = new Map<string, readonly Workload[]>();
    const lists = new Map<string, Workload[]>();
    for (const w of this.workloads) addTo(lists, w.namespace, w);
    const older = this.olderByNamespace;
    this.olderByNamespace = undefined;
    for (const [ns, list] of lists) {
      const old = older?.get(ns);
      out.set(ns, old && sameList(old, list) ? old : list);
    }
    return out;
  }

  /**
   * Endpoints named by text: `ns/name[Kind]`, `ns/name` (every kind), `name` (every namespace),
   * `{ingress-controller}`, an IPv4 address or an external range id.
   */
  findEndpoints(text: string): Endpoint[] {
    const t = text.trim();
    if (t === INGRESS_CONTROLLER || t === 'ingress-controller') return [{ kind: 'ingress-controller' }];
    const w = this.byId.get(t);
    if (w) return [{ kind: 'workload', workload: w }];
    const ext = [...this.externalSources, ...this.externalDestinations].find(e => e.id === t);
    if (ext) return [{ kind: 'external', range: ext }];
    if (parseCidr4(t) && !t.includes('/')) return [{ kind: 'address', ip: t }];
    const out: Endpoint[] = [];
    for (const x of this.workloads) {
      if (`${x.namespace}/${x.name}` === t || x.name === t) out.push({ kind: 'workload', workload: x });
    }
    return out;
  }

  endpointName(e: Endpoint): string {
    switch (e.kind) {
      case 'workload':
        return e.workload.id;
      case 'external':
        return e.range.id;
      case 'ingress-controller':
        return INGRESS_CONTROLLER;
      case 'pod':
        return `${e.namespace}/(pod ${Object.entries(e.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(',')})`;
      case 'address':
        return e.ip;
    }
  }

  /**
   * Every connection the policies allow (non-empty, no workload to itself), in netpol-analyzer's
   * order. With `focus`, only connections from or to the workloads it names (`ns/name[Kind]`,
   * `ns/name` or `name`), computed from those workloads' classes alone.
   */
  connections(opts: { focus?: readonly Workload[] } = {}): Connection[] {
    const lines: Line[] = [];
    const focus = opts.focus ? new Set(opts.focus) : undefined;
    if (focus) {
      const classes = new Set([...focus].map(w => this.classOf.get(w)!));
      for (const c of classes) {
        this.inboundPairs(c, lines, focus);
        this.outboundPairs(c, lines, focus);
      }
    } else for (const b of this.classList) this.inboundPairs(b, lines, undefined);
    this.secondaryLines(lines, focus);
    for (const w of focus ?? this.workloads) this.edgeLines(w, lines);
    return this.sorted(lines);
  }

  /** A workload's networks: its primary network (the pod network unless a (C)UDN serves its namespace) and attachments. */
  networksOf(workloadId: string): WorkloadNetworks {
    return this.networks.get(workloadId) ?? DEFAULT_NETWORKS;
  }

  /** The workloads a policy selects (its subject), whatever the direction. */
  workloadsSelectedBy(p: Policy): Workload[] {
    const id = this.registry.idOf(p.subject);
    return (this.matcherClasses.get(id) ?? []).flatMap(c => c.members).sort((a, b) => cmp(a.id, b.id));
  }

  /** The workloads a rule peer admits (pod peers; addresses outside the cluster admit none). */
  workloadsMatching(peer: RulePeer): Workload[] {
    if (peer.kind !== 'pods') return [];
    const id = this.registry.idOf(peer.matcher);
    return (this.matcherClasses.get(id) ?? []).flatMap(c => c.members).sort((a, b) => cmp(a.id, b.id));
  }

  /** The connections into and out of one workload (what an edit to its policies can change). */
  connectionsOf(w: Workload): Connection[] {
    return this.connections({ focus: [w] });
  }

  /** Workload pairs (a → member of `b`) on their primary network, walked from the destination class. */
  private inboundPairs(b: ClassInfo, lines: Line[], focus: ReadonlySet<Workload> | undefined): void {
    const tb = this.table(b, 'Ingress');
    let candidates: Iterable<ClassInfo> = this.classList;
    // When the default answer for unnamed peers is "nothing", only the classes the rules name can reach b.
    if (tb.defaultForPods().isEmpty()) candidates = this.classesMatching(tb.relevant);
    for (const a of candidates) {
      if (a.network !== b.network) continue;
      const ig = tb.forPod(a.party);
      if (ig.isEmpty()) continue;
      const c = ig.intersect(this.table(a, 'Egress').forPod(b.party));
      if (!c.isEmpty()) this.expand(a, b, c, lines, focus, 'dst');
    }
  }

  /** Workload pairs (member of `a` → b), walked from the source class. */
  private outboundPairs(a: ClassInfo, lines: Line[], focus: ReadonlySet<Workload>): void {
    const ta = this.table(a, 'Egress');
    let candidates: Iterable<ClassInfo> = this.classList;
    if (!ta.usesPortNames && ta.defaultForPods().isEmpty()) candidates = this.classesMatching(ta.relevant);
    for (const b of candidates) {
      if (a.network !== b.network) continue;
      const eg = ta.forPod(b.party);
      if (eg.isEmpty()) continue;
      const c = eg.intersect(this.table(b, 'Ingress').forPod(a.party));
      if (!c.isEmpty()) this.expand(a, b, c, lines, focus, 'src');
    }
  }

  private classesMatching(ids: readonly number[]): Set<ClassInfo> {
    const set = new Set<ClassInfo>();
    for (const id of ids) for (const c of this.matcherClasses.get(id) ?? []) set.add(c);
    return set;
  }

  private expand(
    a: ClassInfo,
    b: ClassInfo,
    c: Connections,
    lines: Line[],
    focus: ReadonlySet<Workload> | undefined,
    side: 'src' | 'dst',
  ): void {
    for (const wa of a.members)
      for (const wb of b.members) {
        if (wa === wb) continue;
        // With a focus, each side's walk keeps its own focus workloads (a pair of two focus
        // workloads is found from the destination's walk only).
        if (focus) {
          if (side === 'dst' && !focus.has(wb)) continue;
          if (side === 'src' && (!focus.has(wa) || focus.has(wb))) continue;
        }
        lines.push({
          src: { kind: 'workload', workload: wa },
          dst: { kind: 'workload', workload: wb },
          c,
          net: this.primaryOf(wa),
        });
      }
  }

  private attachedCache: Map<string, { net: NetworkAssignment; members: Workload[] }> | undefined;

  private secondaryLines(lines: Line[], focus: ReadonlySet<Workload> | undefined): void {
    let attached = this.attachedCache;
    if (!attached) {
      attached = new Map();
      for (const [id, n] of this.networks)
        for (const s of n.secondary) {
          const w = this.byId.get(id);
          if (!w) continue;
          const e = attached.get(s.key);
          if (e) e.members.push(w);
          else attached.set(s.key, { net: s, members: [w] });
        }
      for (const e of attached.values()) e.members.sort((a, b) => cmp(a.id, b.id));
      this.attachedCache = attached;
    }
    for (const { net, members } of attached.values())
      for (const a of members)
        for (const b of members) {
          if (a === b || (focus && !focus.has(a) && !focus.has(b))) continue;
          const ea: Endpoint = { kind: 'workload', workload: a };
          const eb: Endpoint = { kind: 'workload', workload: b };
          const c = this.secondaryAllowed(ea, eb, net);
          if (!c.isEmpty()) lines.push({ src: ea, dst: eb, c, net });
        }
  }

  /** A workload's connections with addresses outside the cluster and from the ingress controller. */
  private edgeLines(w: Workload, lines: Line[]): void {
    const net = this.primaryOf(w);
    const ew: Endpoint = { kind: 'workload', workload: w };
    const cls = this.classOf.get(w)!;
    const ti = this.table(cls, 'Ingress');
    const te = this.table(cls, 'Egress');
    for (const r of this.externalSources) {
      const c = ti.forAddress(r.range);
      if (!c.isEmpty()) lines.push({ src: { kind: 'external', range: r }, dst: ew, c, net });
    }
    for (const r of this.externalDestinations) {
      const c = te.forAddress(r.range);
      if (!c.isEmpty()) lines.push({ src: ew, dst: { kind: 'external', range: r }, c, net });
    }
    if (this.exposure.has(w.id)) {
      const c = this.allowed({ kind: 'ingress-controller' }, ew);
      if (!c.isEmpty()) lines.push({ src: { kind: 'ingress-controller' }, dst: ew, c, net });
    }
  }

  private primaryOf(w: Workload): NetworkAssignment {
    return this.networks.get(w.id)?.primary ?? PRIMARY_POD_NETWORK;
  }

  /** netpol-analyzer's order (by source name, then destination name), by integer keys. */
  private sorted(lines: Line[]): Connection[] {
    if (lines.length < 2000) {
      const named = lines.map(l => ({
        src: l.src,
        dst: l.dst,
        srcName: this.endpointName(l.src),
        dstName: this.endpointName(l.dst),
        connections: l.c,
        network: l.net,
      }));
      return named.sort(
        (x, y) => cmp(x.srcName, y.srcName) || cmp(x.dstName, y.dstName) || cmp(x.network.key, y.network.key),
      );
    }
    const order = this.nameOrder();
    const rank = (e: Endpoint): number =>
      e.kind === 'workload'
        ? order.workloads.get(e.workload)!
        : e.kind === 'external'
          ? order.external.get(e.range.id)!
          : order.ingress;
    const keyed = lines.map(l => ({ l, s: rank(l.src), d: rank(l.dst) }));
    keyed.sort((x, y) => x.s - y.s || x.d - y.d || cmp(x.l.net.key, y.l.net.key));
    return keyed.map(({ l }) => ({
      src: l.src,
      dst: l.dst,
      srcName: this.endpointName(l.src),
      dstName: this.endpointName(l.dst),
      connections: l.c,
      network: l.net,
    }));
  }

  private nameOrderCache:
    { workloads: Map<Workload, number>; external: Map<string, number>; ingress: number } | undefined;
  private nameOrder() {
    if (this.nameOrderCache) return this.nameOrderCache;
    const names: { name: string; w?: Workload; ext?: string; ingress?: true }[] = this.workloads.map(w => ({
      name: w.id,
      w,
    }));
    for (const r of new Set([...this.externalSources, ...this.externalDestinations].map(r => r.id)))
      names.push({ name: r, ext: r });
    names.push({ name: INGRESS_CONTROLLER, ingress: true });
    names.sort((a, b) => cmp(a.name, b.name));
    const out = { workloads: new Map<Workload, number>(), external: new Map<string, number>(), ingress: 0 };
    names.forEach((n, i) => {
      if (n.w) out.workloads.set(n.w, i);
      else if (n.ext) out.external.set(n.ext, i);
      else out.ingress = i;
    });
    return (this.nameOrderCache = out);
  }

  /** Networks two workloads can talk over: the primary one if shared, then shared secondary attachments. */
  private sharedNetworks(a: Workload, b: Workload): NetworkAssignment[] {
    const na = this.networks.get(a.id);
    const nb = this.networks.get(b.id);
    const pa = na?.primary ?? PRIMARY_POD_NETWORK;
    const pb = nb?.primary ?? PRIMARY_POD_NETWORK;
    const out: NetworkAssignment[] = [];
    if (pa.key === pb.key) out.push(pa);
    for (const s of na?.secondary ?? []) if (nb?.secondary.some(x => x.key === s.key)) out.push(s);
    return out;
  }

  /**
   * The connections allowed from `src` to `dst`. Two workloads connect over every network they
   * share (the primary one if it is the same, and common attachments); workloads on different
   * isolated primary networks with no attachment in common get none.
   */
  allowed(src: Endpoint, dst: Endpoint): Connections {
    if (src.kind === 'workload' && dst.kind === 'workload') {
      let out = Connections.NONE;
      for (const n of this.sharedNetworks(src.workload, dst.workload))
        out = out.union(n.role === 'secondary' ? this.secondaryAllowed(src, dst, n) : this.primaryAllowed(src, dst));
      return out;
    }
    return this.primaryAllowed(src, dst);
  }

  private primaryAllowed(src: Endpoint, dst: Endpoint): Connections {
    const s = this.sideOf(src);
    const d = this.sideOf(dst);
    let exposure: Connections | undefined;
    if (src.kind === 'ingress-controller') {
      if (dst.kind !== 'workload') return Connections.NONE;
      exposure = this.exposure.get(dst.workload.id)?.connections ?? Connections.NONE;
      if (exposure.isEmpty()) return exposure;
    }
    const eg = 'cls' in s ? this.lookup(this.table(s.cls, 'Egress'), d) : Connections.ALL;
    if (eg.isEmpty()) return eg;
    const ig = 'cls' in d ? this.lookup(this.table(d.cls, 'Ingress'), s) : Connections.ALL;
    const out = eg.intersect(ig);
    return exposure ? out.intersect(exposure) : out;
  }

  private lookup(t: DirectionTable, peer: Side): Connections {
    return 'cls' in peer ? t.forPod(peer.cls.party) : t.forAddress(peer.range);
  }

  private table(c: ClassInfo, dir: Direction): DirectionTable {
    const tables = (c.tables ??= {});
    let t = tables[dir];
    if (!t) {
      const policies = this.policiesOf(c, dir);
      const old = this.previousClasses?.get(c.key)?.tables?.[dir];
      t = old && old.hasPolicies(policies) ? old : new DirectionTable(dir, policies, c.party, this.registry);
      tables[dir] = t;
    }
    return t;
  }

  /**
   * On a secondary network only MultiNetworkPolicies for that network apply (NetworkPolicy and the
   * admin tiers govern the primary network); ipBlock peers match the attachment addresses.
   */
  private secondaryAllowed(src: Endpoint, dst: Endpoint, net: NetworkAssignment, trace?: Decision[]): Connections {
    if (src.kind !== 'workload' || dst.kind !== 'workload') return Connections.NONE;
    const s = this.secondaryParty(src.workload, net);
    const d = this.secondaryParty(dst.workload, net);
    const eg = evaluateDirection('Egress', s.egress, d.party, d.party, this.registry, trace);
    if (eg.isEmpty() && !trace) return eg;
    return eg.intersect(evaluateDirection('Ingress', d.ingress, s.party, d.party, this.registry, trace));
  }

  private secondaryParty(
    w: Workload,
    net: NetworkAssignment,
  ): { party: PodParty; ingress: SubjectPolicies; egress: SubjectPolicies } {
    const c = this.classOf.get(w)!;
    const party: PodParty = { ...c.party, addresses: this.networks.get(w.id)?.addresses.get(net.key) };
    const mnps = (this.policies.secondary.get(net.name) ?? []).filter(
      p =>
        p.namespace === w.namespace &&
        policyCoversAttachment(p.networkRefs, w, net.name) &&
        c.party.features.has(this.registry.idOf(p.subject)),
    );
    const pick = (dir: Direction): SubjectPolicies => {
      const namespaced = mnps.filter(p => (dir === 'Ingress' ? p.ingress : p.egress) !== undefined);
      return namespaced.length ? { admin: [], namespaced, baseline: undefined } : EMPTY_POLICIES;
    };
    return { party, ingress: pick('Ingress'), egress: pick('Egress') };
  }

  /** Why `src` may (or may not) reach `dst`, per direction, with the deciding policies and rules. */
  explain(src: Endpoint, dst: Endpoint, port?: { protocol: Protocol; start: number; end?: number }): Explanation {
    const s = this.sideOf(src);
    const d = this.sideOf(dst);
    const sParty: Party = 'cls' in s ? s.cls.party : { kind: 'address', range: s.range };
    const dParty: Party = 'cls' in d ? d.cls.party : { kind: 'address', range: d.range };
    const egressTrace: Decision[] = [];
    const ingressTrace: Decision[] = [];
    let eg = Connections.ALL;
    if ('cls' in s)
      eg = evaluateDirection('Egress', this.policiesOf(s.cls, 'Egress'), dParty, dParty, this.registry, egressTrace);
    else
      egressTrace.push({
        direction: 'Egress',
        connections: Connections.ALL,
        verdict: 'allow',
        tier: 'default',
        text: 'allowed: the source is outside the cluster, no policy selects it',
      });
    let ig = Connections.ALL;
    if ('cls' in d)
      ig = evaluateDirection('Ingress', this.policiesOf(d.cls, 'Ingress'), sParty, dParty, this.registry, ingressTrace);
    else
      ingressTrace.push({
        direction: 'Ingress',
        connections: Connections.ALL,
        verdict: 'allow',
        tier: 'default',
        text: 'allowed: the destination is outside the cluster, no policy selects it',
      });
    const focus = port ? Connections.of(port.protocol, port.start, port.end ?? port.start) : Connections.ALL;
    const clip = (ds: Decision[]) =>
      ds.map(x => ({ ...x, connections: x.connections.intersect(focus) })).filter(x => !x.connections.isEmpty());
    let allowed = eg.intersect(ig).intersect(focus);
    let exposure: Exposure | undefined;
    let isolation: string | undefined;
    if (src.kind === 'ingress-controller' && dst.kind === 'workload') {
      exposure = this.exposure.get(dst.workload.id);
      allowed = allowed.intersect(exposure?.connections ?? Connections.NONE);
    }
    if (src.kind === 'workload' && dst.kind === 'workload') {
      const nets = this.sharedNetworks(src.workload, dst.workload);
      if (!nets.some(n => n.role === 'primary')) {
        allowed = Connections.NONE;
        isolation = 'the workloads are on different isolated primary networks';
      }
      for (const n of nets)
        if (n.role === 'secondary') allowed = allowed.union(this.secondaryAllowed(src, dst, n).intersect(focus));
    }
    const srcName = this.endpointName(src);
    const dstName = this.endpointName(dst);
    return {
      src: srcName,
      dst: dstName,
      allowed,
      egress: { direction: 'Egress', subject: srcName, allowed: eg.intersect(focus), decisions: clip(egressTrace) },
      ingress: { direction: 'Ingress', subject: dstName, allowed: ig.intersect(focus), decisions: clip(ingressTrace) },
      exposure,
      isolation,
    };
  }

  /**
   * This version's classes carried to `workloads` (same policies and port names): only the classes
   * a workload joined or left are new objects; the maps share this version's entries and record
   * the changes apart (SharedMap), so this version stays valid.
   */
  private updatedClasses(
    workloads: readonly Workload[],
    byId: SharedMap<string, Workload>,
    keyOf: (w: Workload) => ClassKey,
    featuresOf: (w: Workload) => ReadonlySet<number>,
    only: readonly [Workload, Workload][] | undefined,
    stale: ReadonlySet<string>,
  ): ClassState {
    const classKeys = this.classKeys.edit();
    const classOf = this.classOf.edit();
    const leaving = new Map<string, Set<Workload>>();
    const joining = new Map<string, Workload[]>();
    const leave = (w: Workload, key: string) => {
      const s = leaving.get(key);
      if (s) s.add(w);
      else leaving.set(key, new Set([w]));
    };
    const gone = only ? only.map(([a]) => a) : this.workloads.filter(w => byId.get(w.id) !== w);
    for (const w of gone) {
      leave(w, this.classKeys.get(w)!.key);
      classKeys.delete(w);
      classOf.delete(w);
    }
    for (const w of only ? only.map(([, b]) => b) : workloads) {
      const old = this.classKeys.get(w);
      const k = keyOf(w);
      if (k === old) continue;
      if (old) leave(w, old.key);
      classKeys.set(w, k);
      addTo(joining, k.key, w);
    }
    const classesByKey = this.classesByKey.edit();
    const replaced = new Map<ClassInfo, ClassInfo | undefined>();
    const created: ClassInfo[] = [];
    const affected = new Set([...leaving.keys(), ...joining.keys()]);
    // Their cached policy lists and tables were computed from policies that changed.
    if (stale.size) for (const c of this.classList) if (stale.has(c.namespace)) affected.add(c.key);
    for (const key of affected) {
      const old = this.classesByKey.get(key);
      const out = leaving.get(key);
      const members = old ? old.members.filter(w => !out?.has(w)) : [];
      const into = joining.get(key);
      if (into) {
        members.push(...into);
        members.sort((a, b) => cmp(a.id, b.id));
      }
      if (!members.length) {
        classesByKey.delete(key);
        if (old) replaced.set(old, undefined);
        continue;
      }
      const first = members[0];
      const party = old?.party ?? newParty(first, featuresOf(first));
      const c: ClassInfo = { key, party, namespace: first.namespace, network: classKeys.get(first)!.net, members };
      classesByKey.set(key, c);
      if (old) replaced.set(old, c);
      else created.push(c);
      for (const w of members) classOf.set(w, c);
    }
    const swap = (list: readonly ClassInfo[]): ClassInfo[] => {
      const out: ClassInfo[] = [];
      for (const c of list) {
        const n = replaced.has(c) ? replaced.get(c) : c;
        if (n) out.push(n);
      }
      return out;
    };
    const classList = replaced.size ? swap(this.classList) : [...this.classList];
    classList.push(...created);
    const matcherClasses = this.matcherClasses.edit();
    const touched = new Set<number>();
    for (const c of [...replaced.keys(), ...created]) for (const id of c.party.features) touched.add(id);
    for (const id of touched) {
      const list = swap(this.matcherClasses.get(id) ?? []);
      for (const c of created) if (c.party.features.has(id)) list.push(c);
      if (list.length) matcherClasses.set(id, list);
      else matcherClasses.delete(id);
    }
    return {
      classKeys: classKeys.done(),
      classOf: classOf.done(),
      classList,
      matcherClasses: matcherClasses.done(),
      classesByKey: classesByKey.done(),
    };
  }

  // ---- internals -----------------------------------------------------------------------------

  private nsLabels(ns: string): Readonly<Record<string, string>> {
    const known = this.namespaces.get(ns);
    if (known) return known;
    let l = this.nsLabelsCache.get(ns);
    if (!l) this.nsLabelsCache.set(ns, (l = { [NS_NAME_LABEL]: ns }));
    return l;
  }

  private featuresOf(ns: string, labels: Readonly<Record<string, string>>): Set<number> {
    const nsLabels = this.nsLabels(ns);
    const out = new Set<number>();
    for (const id of this.policyState.used)
      if (podMatches(this.registry.matchers[id], ns, nsLabels, labels)) out.add(id);
    return out;
  }

  private policiesOf(c: ClassInfo, dir: Direction): SubjectPolicies {
    // Same class and the same policy lists as the previous version: same policies, no filtering.
    const old = this.previousClasses?.get(c.key);
    const ps = this.previousPolicies;
    if (
      old &&
      ps &&
      ps.admin === this.policies.admin &&
      ps.baseline === this.policies.baseline &&
      ps.namespaced.get(c.namespace) === this.policies.namespaced.get(c.namespace)
    ) {
      if (dir === 'Ingress' && old.ingress) return (c.ingress ??= old.ingress);
      if (dir === 'Egress' && old.egress) return (c.egress ??= old.egress);
    }
    if (dir === 'Ingress') return (c.ingress ??= this.subjectPolicies(c.party.features, c.namespace, 'Ingress'));
    return (c.egress ??= this.subjectPolicies(c.party.features, c.namespace, 'Egress'));
  }

  private subjectPolicies(features: ReadonlySet<number>, ns: string, dir: Direction): SubjectPolicies {
    const has = (p: Policy) => features.has(this.registry.idOf(p.subject));
    const acts = (p: Policy) => (dir === 'Ingress' ? p.ingress : p.egress) !== undefined;
    const admin = this.policies.admin.filter(p => acts(p) && has(p));
    const namespaced = (this.policies.namespaced.get(ns) ?? []).filter(p => acts(p) && has(p));
    const b = this.policies.baseline;
    const baseline = b && acts(b) && has(b) ? b : undefined;
    if (!admin.length && !namespaced.length && !baseline) return EMPTY_POLICIES;
    return { admin, namespaced, baseline };
  }

  /** A pod-like endpoint's class (a transient one for hypothetical pods), or an address. */
  private sideOf(e: Endpoint): Side {
    switch (e.kind) {
      case 'workload': {
        const c = this.classOf.get(e.workload);
        if (c) return { cls: c };
        return { cls: this.transientClass(e.workload.namespace, e.workload.labels, e.workload.ports) };
      }
      case 'ingress-controller':
        return { cls: (this.ingressParty ??= this.transientClass(INGRESS_CONTROLLER_NAMESPACE, {}, [])) };
      case 'pod':
        return {
          cls: this.transientClass(
            e.namespace,
            e.labels,
            (e.ports ?? []).map(p => ({ ...p, source: { fileId: '', anchor: { offsets: [0, 0] } } })),
          ),
        };
      case 'external':
        return { range: e.range.range };
      case 'address':
        return { range: parseCidr4(e.ip) ?? { first: 0, last: 0 } };
    }
  }

  private transientClass(
    ns: string,
    labels: Readonly<Record<string, string>>,
    ports: readonly WorkloadPort[],
  ): ClassInfo {
    const features = this.featuresOf(ns, labels);
    return {
      key: '',
      namespace: ns,
      party: { kind: 'pod', features, ports },
      network: PRIMARY_POD_NETWORK.key,
      members: [],
    };
  }
}

type Side = { cls: ClassInfo } | { range: AddressRange };

interface Line {
  src: Endpoint;
  dst: Endpoint;
  c: Connections;
  net: NetworkAssignment;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The workloads of `after` that replace one of `before` at the same position with the same id,
 * as [old, new] pairs; undefined when a workload appeared, went away or moved.
 */
function replacedWorkloads(
  before: readonly Workload[],
  after: readonly Workload[],
): [Workload, Workload][] | undefined {
  if (before.length !== after.length) return undefined;
  const out: [Workload, Workload][] = [];
  for (let i = 0; i < after.length; i++) {
    const a = before[i];
    const b = after[i];
    if (a === b) continue;
    if (a.id !== b.id) return undefined;
    out.push([a, b]);
  }
  return out;
}

/**
 * Workloads by namespace after a change: the namespaces the change touched lose the `gone`
 * workloads and gain the `fresh` ones at their place by id; the others keep their arrays.
 */
function patchNamespaces(
  before: ReadonlyMap<string, readonly Workload[]>,
  gone: readonly Workload[],
  fresh: readonly Workload[],
): ReadonlyMap<string, readonly Workload[]> {
  const out = new Map(before);
  const dropped = new Set(gone);
  const touched = new Set<string>();
  for (const w of gone) touched.add(w.namespace);
  for (const w of fresh) touched.add(w.namespace);
  for (const ns of touched) {
    const list = (before.get(ns) ?? NO_WORKLOADS).filter(w => !dropped.has(w));
    for (const w of fresh) if (w.namespace === ns) list.splice(positionOf(list, w.id), 0, w);
    if (list.length) out.set(ns, list);
    else out.delete(ns);
  }
  return out;
}

/**
 * The namespaces whose classes' policy lists and tables may differ between two policy states, or
 * undefined when every class's may (the matchers, admin or baseline policies changed).
 */
function stalePolicyNamespaces(before: PolicyState, after: PolicyState): ReadonlySet<string> | undefined {
  if (before === after) return new Set();
  const a = before.policies;
  const b = after.policies;
  if (a.admin !== b.admin || a.baseline !== b.baseline || !sameList(before.used, after.used)) return undefined;
  const out = new Set<string>();
  for (const [ns, list] of b.namespaced) if (a.namespaced.get(ns) !== list) out.add(ns);
  for (const ns of a.namespaced.keys()) if (!b.namespaced.has(ns)) out.add(ns);
  return out;
}

/** The resources each part of the model reads. */
interface Parts {
  namespaces: Resource[];
  workloads: Resource[];
  policies: Resource[];
  exposure: Resource[];
  networks: Resource[];
}

const WORKLOAD_KINDS = [
  'Pod',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'ReplicationController',
  'Job',
  'CronJob',
  'DeploymentConfig',
  'VirtualMachine',
];
const POLICY_KINDS = ['NetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'MultiNetworkPolicy'];
const EXPOSURE_KINDS = ['Service', 'Ingress', 'Route'];
const NETWORK_KINDS = [
  'UserDefinedNetwork',
  'ClusterUserDefinedNetwork',
  'NetworkAttachmentDefinition',
  'VirtualMachine',
];

type PartName = keyof Parts;
const NO_PARTS: readonly PartName[] = [];
const NAMESPACE_PARTS: readonly PartName[] = ['namespaces'];

/** The parts each kind belongs to (a VirtualMachine is a workload and a network user), one lookup per object. */
const PARTS_BY_KIND: ReadonlyMap<string, readonly PartName[]> = (() => {
  const m = new Map<string, PartName[]>();
  const put = (kinds: readonly string[], part: PartName) => {
    for (const k of kinds) m.set(k, [...(m.get(k) ?? []), part]);
  };
  put(WORKLOAD_KINDS, 'workloads');
  put(POLICY_KINDS, 'policies');
  put(EXPOSURE_KINDS, 'exposure');
  put(NETWORK_KINDS, 'networks');
  return m;
})();

/** The parts of the model that read `r` (none for ConfigMaps and the like). */
function partsOf(r: Resource): readonly PartName[] {
  if (r.kind === 'Namespace') return r.apiVersion === 'v1' ? NAMESPACE_PARTS : NO_PARTS;
  return PARTS_BY_KIND.get(r.kind) ?? NO_PARTS;
}

/** The last list partitioned: connectivityOf asks `unchanged` before building a model of the same list. */
let lastPartition: { resources: readonly Resource[]; parts: Parts } | undefined;

function partition(resources: readonly Resource[]): Parts {
  if (lastPartition?.resources === resources) return lastPartition.parts;
  const out: Parts = { namespaces: [], workloads: [], policies: [], exposure: [], networks: [] };
  for (const r of resources) for (const k of partsOf(r)) out[k].push(r);
  lastPartition = { resources, parts: out };
  return out;
}

/** The objects one part lost and gained in a change. */
interface PartChange {
  removed: Resource[];
  added: Resource[];
}

/**
 * `before`'s parts after `change`, without a pass over the unit: a part no changed object belongs
 * to is the same array (so `sameList` finds it unchanged at once); the others lose the removed
 * objects and gain the added ones at the end, which is where `partition` of the new list puts
 * them (see ResourceChange). Undefined when a removed object is not where it should be.
 */
function patchParts(
  before: Parts,
  change: ResourceChange,
): { parts: Parts; changes: ReadonlyMap<PartName, PartChange> } | undefined {
  const changes = new Map<PartName, PartChange>();
  const entry = (k: PartName) => {
    let c = changes.get(k);
    if (!c) changes.set(k, (c = { removed: [], added: [] }));
    return c;
  };
  for (const r of change.removed) for (const k of partsOf(r)) entry(k).removed.push(r);
  for (const r of change.added) for (const k of partsOf(r)) entry(k).added.push(r);
  const parts: Parts = { ...before };
  for (const [k, c] of changes) {
    const kept = without(before[k], c.removed);
    if (!kept) return undefined;
    kept.push(...c.added);
    parts[k] = kept;
  }
  return { parts, changes };
}

/** A copy of `list` without `gone` (each present once), or undefined when one is missing. */
function without<T>(list: readonly T[], gone: readonly T[]): T[] | undefined {
  if (!gone.length) return [...list];
  // A few objects (one file's): find each; more: one pass with a set.
  if (gone.length <= 8) {
    const out = [...list];
    for (const x of gone) {
      const i = out.indexOf(x);
      if (i < 0) return undefined;
      out.splice(i, 1);
    }
    return out;
  }
  const drop = new Set(gone);
  const out = list.filter(x => !drop.has(x));
  return out.length === list.length - drop.size && drop.size === gone.length ? out : undefined;
}

/** Everything derived from the policies alone. */
interface PolicyState {
  policies: ConnectivityModel['policies'];
  /** Matcher ids the policies use (subjects and pod peers). */
  used: number[];
  /** Port names the rules use: their resolution is part of a class's identity. */
  portNames: string[];
  externalSources: ExternalRange[];
  externalDestinations: ExternalRange[];
  warnings: string[];
}

function buildPolicyState(resources: readonly Resource[], registry: MatcherRegistry, prev?: PolicyState): PolicyState {
  const warnings: string[] = [];
  const all: Policy[] = [];
  for (const r of resources) {
    const p = policyOf(r);
    if (p) all.push(p);
  }
  const admin = all.filter(p => p.tier === 'admin').sort((a, b) => a.priority - b.priority || cmp(a.name, b.name));
  for (let i = 1; i < admin.length; i++)
    if (admin[i].priority === admin[i - 1].priority && admin[i].priority !== Number.MAX_SAFE_INTEGER)
      warnings.push(
        `AdminNetworkPolicies ${admin[i - 1].name} and ${admin[i].name} share priority ${admin[i].priority}: the API leaves their order undefined (evaluated here by name)`,
      );
  const namespaced = new Map<string, Policy[]>();
  const secondary = new Map<string, Policy[]>();
  for (const p of all) {
    if (p.tier === 'namespaced') addTo(namespaced, p.namespace!, p);
    else if (p.tier === 'secondary') for (const ref of p.networkRefs ?? []) addTo(secondary, ref.name, p);
  }
  // Unchanged lists stay the same arrays, so answers built on them are known to still hold.
  if (prev) {
    for (const [ns, list] of namespaced) {
      const old = prev.policies.namespaced.get(ns);
      if (old && sameList(old, list)) namespaced.set(ns, old as Policy[]);
    }
  }
  const sameAdmin = prev && sameList(prev.policies.admin, admin) ? (prev.policies.admin as Policy[]) : admin;
  const baselines = all.filter(p => p.tier === 'baseline');
  const baseline = baselines.find(p => p.name === 'default') ?? baselines[0];
  if (baselines.length > 1)
    warnings.push(`${baselines.length} BaselineAdminNetworkPolicies: the cluster holds one (using ${baseline.name})`);
  for (const p of all)
    for (const pr of p.problems) warnings.push(`${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name}: ${pr}`);
  const used = new Set<number>();
  const portNames = new Set<string>();
  const srcCuts: AddressRange[] = [];
  const dstCuts: AddressRange[] = [];
  const uses = usesIn(registry);
  for (const p of all) {
    const u = policyUse(p, registry, uses);
    for (const id of u.ids) used.add(id);
    for (const n of u.portNames) portNames.add(n);
    for (const r of u.srcCuts) srcCuts.push(r);
    for (const r of u.dstCuts) dstCuts.push(r);
  }
  const external = (r: AddressRange): ExternalRange => ({
    id: `${formatRange(r)}[External]`,
    first: formatAddress(r.first),
    last: formatAddress(r.last),
    range: r,
  });
  // The previous arrays when equal: an edit that keeps the matchers and port names is seen as such at once.
  const sources = splitUniverse(srcCuts);
  const destinations = splitUniverse(dstCuts);
  return {
    policies: { admin: sameAdmin, namespaced, baseline, secondary, all },
    used: prev && sameMembers(prev.used, used) ? prev.used : [...used].sort((a, b) => a - b),
    portNames: prev && sameMembers(prev.portNames, portNames) ? prev.portNames : [...portNames].sort(),
    externalSources: prev && sameRanges(prev.externalSources, sources) ? prev.externalSources : sources.map(external),
    externalDestinations:
      prev && sameRanges(prev.externalDestinations, destinations)
        ? prev.externalDestinations
        : destinations.map(external),
    warnings,
  };
}

/**
 * The policy state after an edit that replaced NetworkPolicies by ones that use the same matchers,
 * port names and address ranges, and report no problems (the common case: a file with a policy was
 * edited elsewhere, or a policy's ports changed): `all` and the touched namespaces' lists are
 * patched, everything else derived from the policies is kept. Undefined for any other change,
 * which buildPolicyState handles.
 */
function updatePolicyState(prev: PolicyState, change: PartChange, registry: MatcherRegistry): PolicyState | undefined {
  const removed: Policy[] = [];
  const added: Policy[] = [];
  for (const [from, to] of [
    [change.removed, removed],
    [change.added, added],
  ] as const)
    for (const r of from) {
      const p = policyOf(r);
      if (!p) continue;
      // Admin and baseline order, secondary networks and warnings are left to a full build.
      if (p.tier !== 'namespaced' || p.problems.length) return undefined;
      to.push(p);
    }
  if (!sameUses(removed, added, registry)) return undefined;
  const all = without(prev.policies.all, removed);
  if (!all) return undefined;
  all.push(...added);
  const namespaced = new Map(prev.policies.namespaced);
  for (const ns of new Set([...removed, ...added].map(p => p.namespace!))) {
    const list = without(
      prev.policies.namespaced.get(ns) ?? [],
      removed.filter(p => p.namespace === ns),
    );
    if (!list) return undefined;
    list.push(...added.filter(p => p.namespace === ns));
    const old = prev.policies.namespaced.get(ns);
    // The same array when the same policies (as buildPolicyState keeps it): its classes' answers still hold.
    if (old && sameList(old, list)) continue;
    if (list.length) namespaced.set(ns, list);
    else namespaced.delete(ns);
  }
  return { ...prev, policies: { ...prev.policies, namespaced, all } };
}

/** Whether two sets of policies use the same matchers, port names and ranges, as many times. */
function sameUses(a: readonly Policy[], b: readonly Policy[], registry: MatcherRegistry): boolean {
  const uses = usesIn(registry);
  const count = new Map<string, number>();
  const tally = (ps: readonly Policy[], d: number) => {
    for (const p of ps) {
      const u = policyUse(p, registry, uses);
      const keys = [
        ...u.ids.map(id => `m${id}`),
        ...u.portNames.map(n => `n${n}`),
        ...u.srcCuts.map(r => `s${r.first}-${r.last}`),
        ...u.dstCuts.map(r => `d${r.first}-${r.last}`),
      ];
      for (const k of keys) count.set(k, (count.get(k) ?? 0) + d);
    }
  };
  tally(a, 1);
  tally(b, -1);
  for (const n of count.values()) if (n) return false;
  return true;
}

/** What one policy adds to its unit's policy state (see buildPolicyState). */
interface PolicyUse {
  /** Matcher ids of its subject and pod peers. */
  ids: readonly number[];
  /** Port names its rules use. */
  portNames: readonly string[];
  /** Address ranges of its ingress and egress peers (outside the cluster). */
  srcCuts: readonly AddressRange[];
  dstCuts: readonly AddressRange[];
}

/** Per registry (ids are the registry's) and compiled policy: a policy edit reads that policy's rules alone. */
const policyUses = new WeakMap<MatcherRegistry, WeakMap<Policy, PolicyUse>>();

function usesIn(registry: MatcherRegistry): WeakMap<Policy, PolicyUse> {
  let uses = policyUses.get(registry);
  if (!uses) policyUses.set(registry, (uses = new WeakMap()));
  return uses;
}

function policyUse(p: Policy, registry: MatcherRegistry, uses: WeakMap<Policy, PolicyUse>): PolicyUse {
  const hit = uses.get(p);
  if (hit) return hit;
  const ids = new Set<number>([registry.idOf(p.subject)]);
  const portNames = new Set<string>();
  const srcCuts: AddressRange[] = [];
  const dstCuts: AddressRange[] = [];
  for (const [rules, cuts] of [
    [p.ingress ?? [], srcCuts],
    [p.egress ?? [], dstCuts],
  ] as const)
    for (const r of rules) {
      for (const peer of r.peers) {
        if (peer.kind === 'pods') ids.add(registry.idOf(peer.matcher));
        // Secondary-network addresses are not outside the cluster.
        else if (peer.kind === 'addresses' && p.tier !== 'secondary') cuts.push(...peer.ranges);
      }
      for (const port of r.ports ?? []) if (port.kind === 'named') portNames.add(port.name);
    }
  const use: PolicyUse = { ids: [...ids], portNames: [...portNames], srcCuts, dstCuts };
  uses.set(p, use);
  return use;
}

/** Whether a list holds exactly the members of a set (the list has no repeats). */
function sameMembers<T>(list: readonly T[], set: ReadonlySet<T>): boolean {
  return list.length === set.size && list.every(x => set.has(x));
}

function sameRanges(list: readonly ExternalRange[], ranges: readonly AddressRange[]): boolean {
  return (
    list.length === ranges.length &&
    list.every((x, i) => x.range.first === ranges[i].first && x.range.last === ranges[i].last)
  );
}
