/**
 * Required against allowed: for each discovered call, the destination workloads behind the
 * Service, the pod port the connection arrives on, and whether the unit's policies allow it —
 * asked of the connectivity engine (one evaluator for the whole product).
 */
import type { Workspace } from '../workspace';
import type { Resource } from '../model/resource';
import { effectiveTargetPort, ServiceInfo } from '../model/service';
import { connectivityOf, ConnectivityModel, Endpoint, Workload } from '../connectivity';
import type { Protocol } from '../connectivity';
import type { Call } from './discover';
import { getCalls } from './index';
import { addTo } from '../collections';

export interface CallTarget {
  workload: Workload;
  /** The port on the destination pod (the Service's targetPort, named ports resolved). */
  port: number;
  protocol: Protocol;
  /** The Service port the caller used (undefined for headless Services and pod names). */
  servicePort?: number;
  allowed: boolean;
}

export interface CallVerdict {
  call: Call;
  source: Workload;
  targets: CallTarget[];
  /** allowed: every target; denied: none; partly: some. Calls without targets get no verdict. */
  status: 'allowed' | 'denied' | 'partly';
}

/** The connectivity engine's name for a workload object: `ns/name[Kind]`. */
export function workloadIdOf(r: Resource): string {
  return `${r.namespace}/${r.name}[${r.kind}]`;
}

/** A Service's selector as pairs, read once per Service object (verdicts ask for it after every model change). */
const selectorPairs = new WeakMap<ServiceInfo, [string, string][]>();
function pairsOf(svc: ServiceInfo): [string, string][] {
  let pairs = selectorPairs.get(svc);
  if (!pairs) selectorPairs.set(svc, (pairs = svc.selector ? Object.entries(svc.selector) : []));
  return pairs;
}

/**
 * A namespace's workloads by label pair (`key\0value`), so a Service's workloads are found among
 * those carrying its first selector pair. Keyed on the model's array of the namespace's workloads,
 * which a model shares with its predecessor while none of them changed: after an edit, only the
 * edited namespace is indexed again.
 */
const pairIndex = new WeakMap<readonly Workload[], Map<string, Workload[]>>();
function withLabel(model: ConnectivityModel, ns: string, k: string, v: string): Workload[] {
  const list = model.workloadsIn(ns);
  let byPair = pairIndex.get(list);
  if (!byPair) {
    byPair = new Map();
    for (const w of list) for (const lk in w.labels) addTo(byPair, `${lk}\u0000${w.labels[lk]}`, w);
    pairIndex.set(list, byPair);
  }
  return byPair.get(`${k}\u0000${v}`) ?? [];
}

/** A Service's workloads, per array of its namespace's workloads (a Service selects in its own namespace only). */
const perService = new WeakMap<readonly Workload[], WeakMap<ServiceInfo, Workload[]>>();

/** The workloads behind a Service (by its selector), as the connectivity model knows them. */
export function serviceWorkloads(model: ConnectivityModel, svc: ServiceInfo): Workload[] {
  const ns = svc.resource.namespace;
  const list = model.workloadsIn(ns);
  let bySvc = perService.get(list);
  if (!bySvc) perService.set(list, (bySvc = new WeakMap()));
  let hit = bySvc.get(svc);
  if (!hit) {
    const pairs = pairsOf(svc);
    const candidates = pairs.length ? withLabel(model, ns, pairs[0][0], pairs[0][1]) : [];
    hit = candidates.filter(w => pairs.every(([pk, pv]) => w.labels[pk] === pv));
    bySvc.set(svc, hit);
  }
  return hit;
}

/** The pod ports a call reaches on one destination workload. */
export function targetPorts(
  call: Call,
  svc: ServiceInfo,
  w: Workload,
): { port: number; protocol: Protocol; servicePort?: number }[] {
  // Headless Services and StatefulSet pod names resolve to pod addresses: the port is the pod's.
  if (svc.headless || call.pod) return call.port !== undefined ? [{ port: call.port, protocol: call.protocol }] : [];
  const ports = svc.ports.filter(
    p => p.port !== undefined && (call.port === undefined || (p.port === call.port && p.protocol === call.protocol)),
  );
  const out: { port: number; protocol: Protocol; servicePort?: number }[] = [];
  for (const p of ports) {
    const t = effectiveTargetPort(p);
    let n: number | undefined;
    if (typeof t === 'number') n = t;
    else if (typeof t === 'string') n = w.ports.find(x => x.name === t && x.protocol === p.protocol)?.port;
    if (n !== undefined) out.push({ port: n, protocol: p.protocol, servicePort: p.port });
  }
  return out;
}

const memo = new WeakMap<Workspace, { calls: Call[]; model: ConnectivityModel; verdicts: CallVerdict[] }>();
// Keyed by model first: a call whose verdict is not asked again under a newer model (the analyzer
// re-checks only calls an edit can affect) must not keep its old model alive.
const perModel = new WeakMap<ConnectivityModel, WeakMap<Call, { verdict: CallVerdict | undefined }>>();

/** The verdict on one call under one model (undefined: no workload behind its Service). */
export function verdictOf(model: ConnectivityModel, call: Call): CallVerdict | undefined {
  let perCall = perModel.get(model);
  if (!perCall) perModel.set(model, (perCall = new WeakMap()));
  const hit = perCall.get(call);
  if (hit) return hit.verdict;
  const verdict = computeVerdict(model, call);
  perCall.set(call, { verdict });
  return verdict;
}

function computeVerdict(model: ConnectivityModel, call: Call): CallVerdict | undefined {
  const source = model.workload(workloadIdOf(call.from.owner));
  if (!source) return undefined;
  const src: Endpoint = { kind: 'workload', workload: source };
  const targets: CallTarget[] = [];
  for (const svc of call.services) {
    if (svc.type === 'ExternalName' || !svc.selector) continue;
    for (const w of serviceWorkloads(model, svc)) {
      if (w === source) continue;
      const allowed = model.allowed(src, { kind: 'workload', workload: w });
      for (const t of targetPorts(call, svc, w)) {
        // One workload defined in several files shows up once per definition of the Service.
        if (targets.some(x => x.workload === w && x.port === t.port && x.protocol === t.protocol)) continue;
        targets.push({ workload: w, ...t, allowed: allowed.has(t.protocol, t.port) });
      }
    }
  }
  if (!targets.length) return undefined;
  // Alternative definitions of the Service come in index order; the verdict must not.
  targets.sort(
    (a, b) => a.workload.id.localeCompare(b.workload.id) || a.port - b.port || a.protocol.localeCompare(b.protocol),
  );
  const n = targets.filter(t => t.allowed).length;
  return { call, source, targets, status: n === targets.length ? 'allowed' : n === 0 ? 'denied' : 'partly' };
}

/**
 * The verdict on every call whose Service the unit defines (with a selector). `given` is a model
 * that answers like the current one (the analyzer keeps one across edits the policies do not
 * see); verdicts are memoised per call and model.
 */
export function callVerdicts(ws: Workspace, given?: ConnectivityModel): CallVerdict[] {
  const calls = getCalls(ws);
  const model = given ?? connectivityOf(ws);
  const m = memo.get(ws);
  if (m && m.calls === calls && m.model === model) return m.verdicts;
  const out: CallVerdict[] = [];
  for (const call of calls) {
    const v = verdictOf(model, call);
    if (v) out.push(v);
  }
  memo.set(ws, { calls, model, verdicts: out });
  return out;
}
