/**
 * The three policy kinds compiled into one shape the evaluator walks:
 *
 * - `NetworkPolicy` (networking.k8s.io/v1): namespaced; a pod selected for a direction is
 *   isolated for it and only what some rule of some selecting policy admits passes. policyTypes
 *   defaults to Ingress, plus Egress when there are egress rules (API defaulting).
 * - `AdminNetworkPolicy` (policy.networking.k8s.io/v1alpha1): cluster-scoped, ordered by
 *   `priority` (lower first); rules are read as written (first match wins within a policy), with
 *   Allow, Deny or Pass (hand the decision to the NetworkPolicy tier). No implicit isolation.
 * - `BaselineAdminNetworkPolicy` (singleton, named `default`): Allow or Deny, consulted only when
 *   no NetworkPolicy isolates the pod for that direction.
 *
 * Compilation is per object and cached by object identity, so an edit recompiles one policy.
 */
import type { Resource } from '../model/resource';
import { asArray, asObj, asString, get, isObj } from '../model/resource';
import type { Path } from '../parse/locate';
import { readLabelSelector } from '../model/workload';
import type { Selector } from '../model/networkPolicy';
import { AddressRange, blockRanges, isIPv6Cidr, parseCidr4 } from './addresses';
import { asProtocolName, MAX_PORT, MIN_PORT, Protocol } from './ports';
import type { SourceRef } from './types';
import { policyForRefs } from './networks';

export type { Selector };

/** Which pods a subject or peer names. */
export interface PodMatcher {
  namespace: { kind: 'any' } | { kind: 'name'; name: string } | { kind: 'selector'; selector: Selector };
  /** `undefined`: every pod of the matching namespaces. */
  pods: Selector | undefined;
}

export type RulePeer =
  | { kind: 'pods'; matcher: PodMatcher; source: SourceRef }
  | { kind: 'addresses'; ranges: AddressRange[]; ipv6: string[]; source: SourceRef }
  /** Admin policy `nodes` peers: node addresses; no Node objects here, so they match nothing. */
  | { kind: 'nodes'; source: SourceRef }
  /** A peer the API would reject (empty, or ipBlock mixed with selectors): matches nothing. */
  | { kind: 'invalid'; reason: string; source: SourceRef };

export type RulePort =
  | { kind: 'range'; protocol: Protocol; start: number; end: number }
  | { kind: 'protocol'; protocol: Protocol }
  /** Resolved on the destination pod; NetworkPolicy fixes the protocol, admin policies take the port's own. */
  | { kind: 'named'; name: string; protocol: Protocol | undefined };

export type Action = 'Allow' | 'Deny' | 'Pass';
export type Direction = 'Ingress' | 'Egress';

export interface Rule {
  /** 0-based position in the policy's ingress or egress list. */
  index: number;
  name: string | undefined;
  action: Action;
  /** `from`/`to` absent or empty in a NetworkPolicy: every peer, in and out of the cluster. */
  anyPeer: boolean;
  peers: RulePeer[];
  /** `undefined`: every port of every protocol. */
  ports: RulePort[] | undefined;
  source: SourceRef;
}

export type Tier = 'admin' | 'namespaced' | 'baseline' | 'secondary';

export interface Policy {
  tier: Tier;
  kind: 'AdminNetworkPolicy' | 'NetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'MultiNetworkPolicy';
  /**
   * MultiNetworkPolicy: the NetworkAttachmentDefinitions (namespace and name) it applies to; their
   * names are its secondary networks.
   */
  networkRefs?: { namespace: string; name: string }[];
  name: string;
  /** NetworkPolicy only. */
  namespace: string | undefined;
  /** AdminNetworkPolicy priority (lower wins); 0 for the others. */
  priority: number;
  subject: PodMatcher;
  /** `undefined`: the policy does not act on this direction. */
  ingress: Rule[] | undefined;
  egress: Rule[] | undefined;
  resource: Resource;
  source: SourceRef;
  subjectSource: SourceRef;
  /** Why parts of the object were ignored (shown by explain and the CLI's warnings). */
  problems: string[];
}

export const ANP_API = 'policy.networking.k8s.io/';

export function displayPolicy(p: Pick<Policy, 'kind' | 'name' | 'namespace'>): string {
  return p.namespace !== undefined ? `${p.kind} ${p.namespace}/${p.name}` : `${p.kind} ${p.name}`;
}

const cache = new WeakMap<Resource, Policy | null>();

/** The compiled policy of a resource, or undefined when it is not a policy. */
export function policyOf(r: Resource): Policy | undefined {
  const hit = cache.get(r);
  if (hit !== undefined) return hit ?? undefined;
  let p: Policy | undefined;
  if (r.kind === 'NetworkPolicy' && r.apiVersion.startsWith('networking.k8s.io/')) p = compileNetworkPolicy(r);
  else if (r.kind === 'MultiNetworkPolicy' && r.apiVersion.startsWith('k8s.cni.cncf.io/'))
    p = {
      ...compileNetworkPolicy(r),
      tier: 'secondary',
      kind: 'MultiNetworkPolicy',
      networkRefs: policyForRefs(r),
    };
  else if (r.kind === 'AdminNetworkPolicy' && r.apiVersion.startsWith(ANP_API)) p = compileAdmin(r, 'admin');
  else if (r.kind === 'BaselineAdminNetworkPolicy' && r.apiVersion.startsWith(ANP_API)) p = compileAdmin(r, 'baseline');
  cache.set(r, p ?? null);
  return p;
}

function ref(r: Resource, path: Path): SourceRef {
  return { fileId: r.fileId, anchor: { doc: r.doc, path } };
}

function selectorOf(v: unknown): Selector | undefined {
  return isObj(v) ? readLabelSelector(v) : undefined;
}

export function isEmptySelector(s: Selector | undefined): boolean {
  return !!s && Object.keys(s.matchLabels).length === 0 && s.matchExpressions.length === 0;
}

// ---- NetworkPolicy -------------------------------------------------------------------------

function compileNetworkPolicy(r: Resource): Policy {
  const spec = asObj(r.value.spec) ?? {};
  const specPath = [...r.base, 'spec'];
  const problems: string[] = [];
  const rawTypes = asArray(spec.policyTypes).filter((t): t is Direction => t === 'Ingress' || t === 'Egress');
  // API defaulting: an empty or absent list becomes Ingress, plus Egress when egress rules exist.
  const types: Direction[] = rawTypes.length
    ? rawTypes
    : asArray(spec.egress).length
      ? ['Ingress', 'Egress']
      : ['Ingress'];
  const compile = (dir: Direction): Rule[] | undefined => {
    if (!types.includes(dir)) return undefined;
    const key = dir === 'Ingress' ? 'ingress' : 'egress';
    const peerKey = dir === 'Ingress' ? 'from' : 'to';
    return asArray(spec[key]).map((raw, i) => {
      const rulePath = [...specPath, key, i];
      const peersRaw = asArray(get(raw, peerKey));
      const peers = peersRaw.map((p, pi) => npPeer(r, p, [...rulePath, peerKey, pi], problems));
      const portsRaw = asArray(get(raw, 'ports'));
      return {
        index: i,
        name: undefined,
        action: 'Allow' as const,
        anyPeer: peersRaw.length === 0,
        peers,
        ports: portsRaw.length
          ? portsRaw.flatMap((p, pi) => npPort(p, [...rulePath, 'ports', pi], problems))
          : undefined,
        source: ref(r, rulePath),
      };
    });
  };
  return {
    tier: 'namespaced',
    kind: 'NetworkPolicy',
    name: r.name,
    namespace: r.namespace,
    priority: 0,
    subject: {
      namespace: { kind: 'name', name: r.namespace },
      pods: selectorOf(spec.podSelector) ?? { matchLabels: {}, matchExpressions: [] },
    },
    ingress: compile('Ingress'),
    egress: compile('Egress'),
    resource: r,
    source: ref(r, [...r.base, 'metadata', 'name']),
    subjectSource: ref(r, [...specPath, 'podSelector']),
    problems,
  };
}

function npPeer(r: Resource, p: unknown, path: Path, problems: string[]): RulePeer {
  const source = ref(r, path);
  if (!isObj(p)) return { kind: 'invalid', reason: 'not an object', source };
  const podSel = selectorOf(p.podSelector);
  const nsSel = selectorOf(p.namespaceSelector);
  const ip = asObj(p.ipBlock);
  if (ip && (podSel || nsSel)) {
    problems.push(`${pathText(path)}: ipBlock cannot be combined with selectors (the API rejects this peer)`);
    return { kind: 'invalid', reason: 'ipBlock combined with a selector', source };
  }
  if (ip)
    return addressPeer(
      asString(ip.cidr) ?? String(ip.cidr ?? ''),
      asArray(ip.except).map(String),
      source,
      problems,
      path,
    );
  if (!podSel && !nsSel) {
    problems.push(`${pathText(path)}: a peer needs podSelector, namespaceSelector or ipBlock (the API rejects it)`);
    return { kind: 'invalid', reason: 'empty peer', source };
  }
  return {
    kind: 'pods',
    matcher: {
      // podSelector alone means the policy's own namespace.
      namespace: nsSel ? { kind: 'selector', selector: nsSel } : { kind: 'name', name: r.namespace },
      pods: podSel,
    },
    source,
  };
}

function addressPeer(cidr: string, except: string[], source: SourceRef, problems: string[], path: Path): RulePeer {
  if (isIPv6Cidr(cidr)) return { kind: 'addresses', ranges: [], ipv6: [cidr], source };
  const block = parseCidr4(cidr);
  if (!block) {
    problems.push(`${pathText(path)}: "${cidr}" is not a CIDR`);
    return { kind: 'invalid', reason: `"${cidr}" is not a CIDR`, source };
  }
  const ex = except.filter(e => !isIPv6Cidr(e)).map(e => parseCidr4(e));
  if (ex.some(e => !e)) problems.push(`${pathText(path)}: an except entry is not a CIDR (ignored)`);
  return {
    kind: 'addresses',
    ranges: blockRanges(
      block,
      ex.filter((e): e is AddressRange => !!e),
    ),
    ipv6: [],
    source,
  };
}

function npPort(p: unknown, path: Path, problems: string[]): RulePort[] {
  if (!isObj(p)) return [];
  const protocol = asProtocolName(p.protocol);
  if (!protocol) {
    problems.push(`${pathText(path)}: protocol ${String(p.protocol)} is not TCP, UDP or SCTP`);
    return [];
  }
  const port = p.port;
  if (port === undefined || port === null) return [{ kind: 'protocol', protocol }];
  if (typeof port === 'number') {
    const end = typeof p.endPort === 'number' ? p.endPort : port;
    if (port < MIN_PORT || end > MAX_PORT || end < port) {
      problems.push(`${pathText(path)}: port range ${port}-${end} is invalid`);
      return [];
    }
    return [{ kind: 'range', protocol, start: port, end }];
  }
  if (typeof port === 'string') return [{ kind: 'named', name: port, protocol }];
  return [];
}

// ---- AdminNetworkPolicy / BaselineAdminNetworkPolicy ----------------------------------------

function compileAdmin(r: Resource, tier: 'admin' | 'baseline'): Policy {
  const spec = asObj(r.value.spec) ?? {};
  const specPath = [...r.base, 'spec'];
  const problems: string[] = [];
  const kind = tier === 'admin' ? 'AdminNetworkPolicy' : 'BaselineAdminNetworkPolicy';
  let priority = 0;
  if (tier === 'admin') {
    if (typeof spec.priority === 'number' && Number.isInteger(spec.priority) && spec.priority >= 0)
      priority = spec.priority;
    else {
      problems.push(`spec.priority: ${String(spec.priority)} is not a valid priority (0-1000)`);
      priority = Number.MAX_SAFE_INTEGER;
    }
    if (priority > 1000 && priority !== Number.MAX_SAFE_INTEGER)
      problems.push(`spec.priority: ${priority} is above 1000, the highest value the API accepts`);
  } else if (r.name !== 'default') {
    problems.push(`a BaselineAdminNetworkPolicy must be named "default" (the API rejects "${r.name}")`);
  }
  const subject = adminSubject(get(spec, 'subject'));
  if (!subject) problems.push('spec.subject: needs namespaces or pods; the policy selects nothing');
  const compile = (dir: Direction): Rule[] | undefined => {
    const key = dir === 'Ingress' ? 'ingress' : 'egress';
    const peerKey = dir === 'Ingress' ? 'from' : 'to';
    if (!Array.isArray(spec[key])) return undefined;
    return asArray(spec[key]).map((raw, i) => {
      const rulePath = [...specPath, key, i];
      const action = asString(get(raw, 'action'));
      const okAction = action === 'Allow' || action === 'Deny' || (action === 'Pass' && tier === 'admin');
      if (!okAction) problems.push(`${key}[${i}].action: "${String(action)}" is not allowed here (rule ignored)`);
      const peers = asArray(get(raw, peerKey)).map((p, pi) => adminPeer(r, p, [...rulePath, peerKey, pi], problems));
      const portsRaw = get(raw, 'ports');
      return {
        index: i,
        name: asString(get(raw, 'name')),
        action: okAction ? (action as Action) : 'Pass',
        anyPeer: false,
        // An invalid action leaves the rule with no peer, so it never matches.
        peers: okAction ? peers : [],
        ports: Array.isArray(portsRaw)
          ? portsRaw.flatMap((p, pi) => adminPort(p, [...rulePath, 'ports', pi], problems))
          : undefined,
        source: ref(r, rulePath),
      };
    });
  };
  return {
    tier,
    kind,
    name: r.name,
    namespace: undefined,
    priority,
    subject: subject ?? { namespace: { kind: 'name', name: '\u0000none' }, pods: undefined },
    ingress: compile('Ingress'),
    egress: compile('Egress'),
    resource: r,
    source: ref(r, [...r.base, 'metadata', 'name']),
    subjectSource: ref(r, [...specPath, 'subject']),
    problems,
  };
}

function adminSubject(s: unknown): PodMatcher | undefined {
  if (!isObj(s)) return undefined;
  if (isObj(s.namespaces))
    return { namespace: { kind: 'selector', selector: readLabelSelector(s.namespaces) }, pods: undefined };
  if (isObj(s.pods)) return namespacedPod(s.pods);
  return undefined;
}

/** `{namespaceSelector, podSelector}` (v1alpha1 v0.1.5+), or the older `{namespaces: {namespaceSelector}, podSelector}`. */
function namespacedPod(p: Record<string, unknown>): PodMatcher {
  const ns = selectorOf(p.namespaceSelector) ?? selectorOf(get(p, 'namespaces', 'namespaceSelector'));
  return {
    namespace: ns ? { kind: 'selector', selector: ns } : { kind: 'any' },
    pods: selectorOf(p.podSelector) ?? { matchLabels: {}, matchExpressions: [] },
  };
}

function adminPeer(r: Resource, p: unknown, path: Path, problems: string[]): RulePeer {
  const source = ref(r, path);
  if (!isObj(p)) return { kind: 'invalid', reason: 'not an object', source };
  if (isObj(p.namespaces)) {
    const sel = selectorOf(p.namespaces.namespaceSelector) ?? readLabelSelector(p.namespaces);
    return { kind: 'pods', matcher: { namespace: { kind: 'selector', selector: sel }, pods: undefined }, source };
  }
  if (isObj(p.pods)) return { kind: 'pods', matcher: namespacedPod(p.pods), source };
  if (Array.isArray(p.networks)) {
    const ranges: AddressRange[] = [];
    const ipv6: string[] = [];
    for (const c of p.networks.map(String)) {
      if (isIPv6Cidr(c)) ipv6.push(c);
      else {
        const b = parseCidr4(c);
        if (b) ranges.push(b);
        else problems.push(`${pathText(path)}: "${c}" is not a CIDR (ignored)`);
      }
    }
    return { kind: 'addresses', ranges, ipv6, source };
  }
  if (isObj(p.nodes)) return { kind: 'nodes', source };
  problems.push(`${pathText(path)}: a peer needs namespaces, pods, nodes or networks`);
  return { kind: 'invalid', reason: 'empty peer', source };
}

function adminPort(p: unknown, path: Path, problems: string[]): RulePort[] {
  if (!isObj(p)) return [];
  if (isObj(p.portNumber)) {
    const protocol = asProtocolName(p.portNumber.protocol);
    const port = p.portNumber.port;
    if (protocol && typeof port === 'number') return [{ kind: 'range', protocol, start: port, end: port }];
  } else if (typeof p.namedPort === 'string') {
    return [{ kind: 'named', name: p.namedPort, protocol: undefined }];
  } else if (isObj(p.portRange)) {
    const protocol = asProtocolName(p.portRange.protocol);
    const { start, end } = p.portRange;
    if (protocol && typeof start === 'number' && typeof end === 'number' && start <= end)
      return [{ kind: 'range', protocol, start, end }];
  }
  problems.push(`${pathText(path)}: not a valid port (ignored)`);
  return [];
}

function pathText(path: Path): string {
  return path
    .map(s => (typeof s === 'number' ? `[${s}]` : `.${s}`))
    .join('')
    .replace(/^\./, '');
}
