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

function selects(svc: ServiceInfo, w: Workload): boolean {
  if (!svc.selector || w.namespace !== svc.resource.namespace) return false;
  const pairs = Object.entries(svc.selector);
  return pairs.length > 0 && pairs.every(([k, v]) => w.labels[k] === v);
}

const modelIndex = new WeakMap<
  ConnectivityModel,
  { byNs: Map<string, Workload[]>; bySvc: WeakMap<ServiceInfo, Workload[]> }
>();

/** The workloads behind a Service (by its selector), as the connectivity model knows them; cached per model. */
export function serviceWorkloads(model: ConnectivityModel, svc: ServiceInfo): Workload[] {
  let idx = modelIndex.get(model);
  if (!idx) {
    const byNs = new Map<string, Workload[]>();
    for (const w of model.workloads) {
      const l = byNs.get(w.namespace);
      if (l) l.push(w);
      else byNs.set(w.namespace, [w]);
    }
    modelIndex.set(model, (idx = { byNs, bySvc: new WeakMap() }));
  }
  let hit = idx.bySvc.get(svc);
  if (!hit) idx.bySvc.set(svc, (hit = (idx.byNs.get(svc.resource.namespace) ?? []).filter(w => selects(svc, w))));
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
const perCall = new WeakMap<Call, { model: ConnectivityModel; verdict: CallVerdict | undefined }>();

/** The verdict on one call under one model (undefined: no workload behind its Service). */
export function verdictOf(model: ConnectivityModel, call: Call): CallVerdict | undefined {
  const hit = perCall.get(call);
  if (hit && hit.model === model) return hit.verdict;
  const verdict = computeVerdict(model, call);
  perCall.set(call, { model, verdict });
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
