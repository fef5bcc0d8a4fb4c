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
import { Exposure, exposureOf } from './exposure';
import { MatcherRegistry, podMatches } from './matchers';
import { Connections, Protocol } from './ports';
import { Direction, Policy, policyOf } from './policies';
import { collectWorkloads, Workload, WorkloadPort } from './workloads';
import { NetworkAssignment, assignNetworks, PRIMARY_POD_NETWORK, WorkloadNetworks } from './networks';
import { dictOf } from '../model/dict';

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
}

interface ClassInfo {
  index: number;
  key: string;
  party: PodParty;
  ingress: SubjectPolicies;
  egress: SubjectPolicies;
  network: string;
  members: Workload[];
}

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
  /** Ingress/Route exposure by workload id. */
  readonly exposure: ReadonlyMap<string, Exposure>;
  /** Each workload's networks (primary pod network or (C)UDN, secondary NADs). */
  readonly networks: ReadonlyMap<string, WorkloadNetworks>;
  /** Whether the unit declares user-defined networks, attachments or virtual machines. */
  readonly multiNetwork: boolean;
  /** Things the model ignored or could not decide, for the user. */
  readonly warnings: readonly string[];

  private readonly registry: MatcherRegistry;
  private readonly usedMatchers: number[];
  private readonly byId = new Map<string, Workload>();
  private readonly classOf = new Map<Workload, ClassInfo>();
  private readonly classList: ClassInfo[] = [];
  private readonly pairCache = new Map<string, Connections>();
  private readonly nsLabelsCache = new Map<string, Readonly<Record<string, string>>>();
  private ingressParty: ClassInfo | undefined;

  constructor(inputs: ModelInputs) {
    const { resources, registry } = inputs;
    this.registry = registry;
    const warnings: string[] = [];
    const namespaces = new Map<string, Record<string, string>>();
    for (const r of resources) {
      if (r.kind !== 'Namespace' || r.apiVersion !== 'v1') continue;
      namespaces.set(r.name, dictOf(r.labels, [NS_NAME_LABEL, r.name]));
    }
    const declared = new Set(namespaces.keys());
    const workloads = collectWorkloads(resources);
    for (const w of workloads) {
      if (!namespaces.has(w.namespace)) namespaces.set(w.namespace, { [NS_NAME_LABEL]: w.namespace });
      this.byId.set(w.id, w);
    }
    this.namespaces = namespaces;
    this.workloads = workloads;

    // Policies.
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
    for (const p of all) {
      if (p.tier !== 'namespaced') continue;
      const l = namespaced.get(p.namespace!);
      if (l) l.push(p);
      else namespaced.set(p.namespace!, [p]);
    }
    const secondary = new Map<string, Policy[]>();
    for (const p of all) {
      if (p.tier !== 'secondary') continue;
      for (const net of p.networks ?? []) {
        const l = secondary.get(net);
        if (l) l.push(p);
        else secondary.set(net, [p]);
      }
    }
    const baselines = all.filter(p => p.tier === 'baseline');
    const baseline = baselines.find(p => p.name === 'default') ?? baselines[0];
    if (baselines.length > 1)
      warnings.push(`${baselines.length} BaselineAdminNetworkPolicies: the cluster holds one (using ${baseline.name})`);
    for (const p of all)
      for (const pr of p.problems) warnings.push(`${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name}: ${pr}`);
    this.policies = { admin, namespaced, baseline, secondary, all };

    // Matchers the policies use.
    const used = new Set<number>();
    for (const p of all) {
      used.add(registry.idOf(p.subject));
      for (const r of [...(p.ingress ?? []), ...(p.egress ?? [])])
        for (const peer of r.peers) if (peer.kind === 'pods') used.add(registry.idOf(peer.matcher));
    }
    this.usedMatchers = [...used].sort((a, b) => a - b);

    // Networks (primary (C)UDN, secondary NADs).
    const nets = assignNetworks(resources, workloads, namespaces, declared, warnings);
    this.networks = nets.byWorkload;
    this.multiNetwork = nets.multiNetwork;

    // Named ports the rules use: their resolution is part of a class's identity.
    const portNames = new Set<string>();
    for (const p of all)
      for (const r of [...(p.ingress ?? []), ...(p.egress ?? [])])
        for (const port of r.ports ?? []) if (port.kind === 'named') portNames.add(port.name);
    const names = [...portNames].sort();

    // Equivalence classes.
    const classes = new Map<string, ClassInfo>();
    for (const w of workloads) {
      const features = this.featuresOf(w.namespace, w.labels);
      const netKey = nets.byWorkload.get(w.id)?.primary.key ?? PRIMARY_POD_NETWORK.key;
      const portKey = names.map(n => {
        const hit = w.ports.find(p => p.name === n);
        return hit ? `${hit.protocol}/${hit.port}` : '-';
      });
      const key = `${[...features].join(',')}|${portKey.join(',')}|${netKey}`;
      let c = classes.get(key);
      if (!c) {
        const party: PodParty = { kind: 'pod', features, ports: w.ports };
        c = {
          index: this.classList.length,
          key,
          party,
          ingress: this.subjectPolicies(features, w.namespace, 'Ingress'),
          egress: this.subjectPolicies(features, w.namespace, 'Egress'),
          network: netKey,
          members: [],
        };
        classes.set(key, c);
        this.classList.push(c);
      }
      c.members.push(w);
      this.classOf.set(w, c);
    }

    // Address ranges: split at the boundaries the ingress (sources) and egress (destinations) rules draw.
    const srcCuts: AddressRange[] = [];
    const dstCuts: AddressRange[] = [];
    for (const p of all) {
      for (const r of p.ingress ?? [])
        for (const peer of r.peers) if (peer.kind === 'addresses') srcCuts.push(...peer.ranges);
      for (const r of p.egress ?? [])
        for (const peer of r.peers) if (peer.kind === 'addresses') dstCuts.push(...peer.ranges);
    }
    const external = (r: AddressRange): ExternalRange => ({
      id: `${formatRange(r)}[External]`,
      first: formatAddress(r.first),
      last: formatAddress(r.last),
      range: r,
    });
    this.externalSources = splitUniverse(srcCuts).map(external);
    this.externalDestinations = splitUniverse(dstCuts).map(external);
    this.exposure = exposureOf(resources, workloads);
    this.warnings = warnings;
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

  /** Every connection the policies allow (non-empty, no workload to itself), netpol-analyzer's order. */
  connections(opts: { focus?: (name: string, e: Endpoint) => boolean } = {}): Connection[] {
    const out: Connection[] = [];
    const focus = opts.focus;
    const push = (src: Endpoint, dst: Endpoint, connections: Connections, network: NetworkAssignment) => {
      if (connections.isEmpty()) return;
      const srcName = this.endpointName(src);
      const dstName = this.endpointName(dst);
      if (focus && !focus(srcName, src) && !focus(dstName, dst)) return;
      out.push({ src, dst, srcName, dstName, connections, network });
    };
    for (const a of this.workloads) {
      const ea: Endpoint = { kind: 'workload', workload: a };
      for (const b of this.workloads) {
        if (a === b) continue;
        const shared = this.sharedNetworks(a, b);
        for (const net of shared)
          push(ea, { kind: 'workload', workload: b }, this.allowedOn(ea, { kind: 'workload', workload: b }, net), net);
      }
    }
    for (const w of this.workloads) {
      const net = this.networks.get(w.id)?.primary ?? PRIMARY_POD_NETWORK;
      const ew: Endpoint = { kind: 'workload', workload: w };
      for (const r of this.externalSources)
        push({ kind: 'external', range: r }, ew, this.allowed({ kind: 'external', range: r }, ew), net);
      for (const r of this.externalDestinations)
        push(ew, { kind: 'external', range: r }, this.allowed(ew, { kind: 'external', range: r }), net);
      if (this.exposure.has(w.id))
        push({ kind: 'ingress-controller' }, ew, this.allowed({ kind: 'ingress-controller' }, ew), net);
    }
    out.sort((x, y) => cmp(x.srcName, y.srcName) || cmp(x.dstName, y.dstName) || cmp(x.network.key, y.network.key));
    return out;
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
   * The connections allowed from `src` to `dst` (over their primary network). Workloads on
   * different isolated primary networks get none.
   */
  allowed(src: Endpoint, dst: Endpoint): Connections {
    if (src.kind === 'workload' && dst.kind === 'workload') {
      const nets = this.sharedNetworks(src.workload, dst.workload);
      let out = Connections.NONE;
      for (const n of nets) out = out.union(this.allowedOn(src, dst, n));
      return out;
    }
    return this.allowedOn(src, dst, undefined);
  }

  private allowedOn(src: Endpoint, dst: Endpoint, net: NetworkAssignment | undefined): Connections {
    if (net && net.role === 'secondary') return this.secondaryAllowed(src, dst, net);
    const s = this.partyOf(src);
    const d = this.partyOf(dst);
    let exposure: Connections | undefined;
    if (src.kind === 'ingress-controller') {
      if (dst.kind !== 'workload') return Connections.NONE;
      exposure = this.exposure.get(dst.workload.id)?.connections ?? Connections.NONE;
      if (exposure.isEmpty()) return exposure;
    }
    if (s.cls && d.cls) {
      const key = `${s.cls.index},${d.cls.index}`;
      let hit = this.pairCache.get(key);
      if (!hit) {
        hit = this.compute(s, d);
        this.pairCache.set(key, hit);
      }
      return exposure ? hit.intersect(exposure) : hit;
    }
    const r = this.compute(s, d);
    return exposure ? r.intersect(exposure) : r;
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
      p => p.namespace === w.namespace && c.party.features.has(this.registry.idOf(p.subject)),
    );
    const pick = (dir: Direction): SubjectPolicies => {
      const namespaced = mnps.filter(p => (dir === 'Ingress' ? p.ingress : p.egress) !== undefined);
      return namespaced.length ? { admin: [], namespaced, baseline: undefined } : EMPTY_POLICIES;
    };
    return { party, ingress: pick('Ingress'), egress: pick('Egress') };
  }

  private compute(s: ResolvedParty, d: ResolvedParty, trace?: Decision[]): Connections {
    // Egress is decided by the source's policies (none for addresses outside the cluster).
    const eg = s.policies
      ? evaluateDirection('Egress', s.policies.egress, d.party, d.party, this.registry, trace)
      : Connections.ALL;
    if (eg.isEmpty() && !trace) return eg;
    const ig = d.policies
      ? evaluateDirection('Ingress', d.policies.ingress, s.party, d.party, this.registry, trace)
      : Connections.ALL;
    return eg.intersect(ig);
  }

  /** Why `src` may (or may not) reach `dst`, per direction, with the deciding policies and rules. */
  explain(src: Endpoint, dst: Endpoint, port?: { protocol: Protocol; start: number; end?: number }): Explanation {
    const s = this.partyOf(src);
    const d = this.partyOf(dst);
    const egressTrace: Decision[] = [];
    const ingressTrace: Decision[] = [];
    const eg = s.policies
      ? evaluateDirection('Egress', s.policies.egress, d.party, d.party, this.registry, egressTrace)
      : Connections.ALL;
    if (!s.policies)
      egressTrace.push({
        direction: 'Egress',
        connections: Connections.ALL,
        verdict: 'allow',
        tier: 'default',
        text: 'allowed: the source is outside the cluster, no policy selects it',
      });
    const ig = d.policies
      ? evaluateDirection('Ingress', d.policies.ingress, s.party, d.party, this.registry, ingressTrace)
      : Connections.ALL;
    if (!d.policies)
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
    if (src.kind === 'workload' && dst.kind === 'workload' && !this.sharedNetworks(src.workload, dst.workload).length) {
      allowed = Connections.NONE;
      isolation = 'the workloads are on different isolated networks';
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
    for (const id of this.usedMatchers) if (podMatches(this.registry.matchers[id], ns, nsLabels, labels)) out.add(id);
    return out;
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

  private partyOf(e: Endpoint): ResolvedParty {
    switch (e.kind) {
      case 'workload': {
        const c = this.classOf.get(e.workload);
        if (c) return { party: c.party, policies: c, cls: c };
        return this.podParty(e.workload.namespace, e.workload.labels, e.workload.ports);
      }
      case 'ingress-controller': {
        if (!this.ingressParty) {
          const r = this.podParty(INGRESS_CONTROLLER_NAMESPACE, {}, []);
          this.ingressParty = {
            index: -1,
            key: INGRESS_CONTROLLER,
            party: r.party as PodParty,
            ingress: r.policies!.ingress,
            egress: r.policies!.egress,
            network: PRIMARY_POD_NETWORK.key,
            members: [],
          };
        }
        return { party: this.ingressParty.party, policies: this.ingressParty, cls: this.ingressParty };
      }
      case 'pod':
        return this.podParty(
          e.namespace,
          e.labels,
          (e.ports ?? []).map(p => ({ ...p, source: { fileId: '', anchor: { offsets: [0, 0] } } })),
        );
      case 'external':
        return { party: { kind: 'address', range: e.range.range } };
      case 'address': {
        const r = parseCidr4(e.ip);
        return { party: { kind: 'address', range: r ?? { first: 0, last: 0 } } };
      }
    }
  }

  private podParty(
    ns: string,
    labels: Readonly<Record<string, string>>,
    ports: readonly WorkloadPort[],
  ): ResolvedParty {
    const features = this.featuresOf(ns, labels);
    return {
      party: { kind: 'pod', features, ports },
      policies: {
        ingress: this.subjectPolicies(features, ns, 'Ingress'),
        egress: this.subjectPolicies(features, ns, 'Egress'),
      },
    };
  }
}

interface ResolvedParty {
  party: Party;
  /** Policies selecting the party (absent for addresses outside the cluster). */
  policies?: { ingress: SubjectPolicies; egress: SubjectPolicies };
  /** The equivalence class, when answers can be cached per class. */
  cls?: ClassInfo;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
