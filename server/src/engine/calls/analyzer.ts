import type { GlobalAnalyzer, FileState, Workspace } from '../workspace';
import type { Finding } from '../findings';
import type { Resource } from '../model/resource';
import type { EngineConfig } from '../config/config';
import { suppressedByAnnotation } from '../config/suppression';
import { connectivityOf } from '../connectivity';
import type { ConnectivityModel } from '../connectivity';
import { CALL_RULES } from './rules';
import { isCustomResource } from '../model/apiGroups';
import type { CallRule } from './rules/rule';
import { callState, CallEntry } from './index';

/** Kinds whose changes can change a call or its verdict. */
const KINDS = new Set([
  'Service',
  'ConfigMap',
  'Secret',
  'Namespace',
  'NetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'Pod',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'ReplicationController',
  'DeploymentConfig',
]);

function relevant(file: FileState): boolean {
  // Custom resources too: an operator's may be what creates a called Service (call-service-missing).
  for (const r of file.resources) if (KINDS.has(r.kind) || isCustomResource(r)) return true;
  return false;
}

interface State {
  config: EngineConfig;
  version: number;
  perEntry: WeakMap<CallEntry, Finding[]>;
  /** Findings of the rules that depend on the connectivity model, per entry. */
  perEntryModel: WeakMap<CallEntry, Finding[]>;
  /** Entries with findings, by the file the findings sit in. */
  byFile: Map<string, Set<CallEntry>>;
  model: ConnectivityModel | undefined;
  out: Map<string, Finding[]>;
}
const states = new WeakMap<Workspace, State>();

function runRule(
  ws: Workspace,
  rule: CallRule,
  entry: CallEntry | undefined,
  sink: Finding[],
  model?: ConnectivityModel,
): void {
  const seen = new Set<string>();
  rule.check({
    ws,
    calls: entry ? entry.calls : [],
    model,
    report: f => {
      const key = `${f.fileId}|${JSON.stringify(f.anchor)}`;
      if (seen.has(key)) return;
      seen.add(key);
      const owners = ownersAt(ws.file(f.fileId), f);
      if (owners.some(o => suppressedByAnnotation(o, rule.id))) return;
      sink.push({ ...f, rule: rule.id, severity: f.severity ?? rule.defaultSeverity });
    },
  });
}

/**
 * The required-connectivity analyzer. Incremental: the per-call rules run per workload entry
 * (re-run only for workloads whose calls were discovered again), the policy rule runs again only
 * when calls changed or something the policies see changed, and a file's findings array is the
 * same object as before when nothing in it changed (so the workspace re-publishes only files
 * whose findings changed). Findings sit in the file that names the address and honour
 * `kube-netlint.io/ignore` on the object holding it.
 */
export const callsAnalyzer: GlobalAnalyzer = {
  id: 'required-connectivity',
  interestedIn: relevant,
  run(ws) {
    const prev = states.get(ws);
    const { entries, deltas, version } = callState(ws, prev && prev.config === ws.configuration ? prev.version : -1);
    let s = prev;
    const fresh = !s || s.config !== ws.configuration || !deltas || s.version < 0;
    if (!s || fresh) {
      s = {
        config: ws.configuration,
        version: -1,
        perEntry: new WeakMap(),
        perEntryModel: new WeakMap(),
        byFile: new Map(),
        model: undefined,
        out: new Map(),
      };
      states.set(ws, s);
    }
    const st = s;
    const enabled = CALL_RULES.filter(r => ws.configuration.rules[r.id] !== 'off');
    const dirtyFiles = new Set<string>();
    const findingsOf = (e: CallEntry) => [...(st.perEntry.get(e) ?? []), ...(st.perEntryModel.get(e) ?? [])];
    const place = (e: CallEntry, adding: boolean) => {
      for (const f of findingsOf(e)) {
        dirtyFiles.add(f.fileId);
        let set = st.byFile.get(f.fileId);
        if (adding) {
          if (!set) st.byFile.set(f.fileId, (set = new Set()));
          set.add(e);
        } else {
          set?.delete(e);
          if (set && !set.size) st.byFile.delete(f.fileId);
        }
      }
    };
    // The policy rule: redone, when what the policies see changed, for the workloads whose calls
    // start or end in a namespace the change bears on (see CallsDelta.modelNamespaces).
    const modelChanged = fresh || !st.model || (deltas ?? []).some(d => d.modelChanged);
    if (modelChanged) st.model = connectivityOf(ws);
    const everywhere = (deltas ?? []).some(d => d.modelEverywhere);
    const namespaces = new Set((deltas ?? []).flatMap(d => [...d.modelNamespaces]));
    const touched = (e: CallEntry) =>
      e.calls.length > 0 &&
      (everywhere ||
        namespaces.has(e.template.namespace) ||
        e.calls.some(c => namespaces.has(c.namespace) || c.services.some(x => namespaces.has(x.resource.namespace))));
    const computeModel = (e: CallEntry) => {
      const sink: Finding[] = [];
      for (const r of enabled) if (r.usesModel) runRule(ws, r, e, sink, st.model);
      st.perEntryModel.set(e, sink);
    };
    const compute = (e: CallEntry) => {
      const sink: Finding[] = [];
      for (const r of enabled) if (!r.usesModel) runRule(ws, r, e, sink, st.model);
      st.perEntry.set(e, sink);
      computeModel(e);
      place(e, true);
    };
    if (fresh) {
      for (const e of entries.values()) compute(e);
    } else {
      for (const d of deltas ?? []) {
        for (const e of d.removed) place(e, false);
        for (const e of d.added) compute(e);
      }
      if (modelChanged)
        for (const e of entries.values()) {
          if (!touched(e)) continue;
          const before = st.perEntryModel.get(e) ?? [];
          const all = findingsOf(e);
          computeModel(e);
          const after = st.perEntryModel.get(e) ?? [];
          if (!before.length && !after.length) continue;
          if (JSON.stringify(before) === JSON.stringify(after)) {
            st.perEntryModel.set(e, before);
            continue;
          }
          for (const f of all) {
            dirtyFiles.add(f.fileId);
            st.byFile.get(f.fileId)?.delete(e);
          }
          place(e, true);
        }
    }
    st.version = version;
    if (fresh) {
      st.out = new Map();
      for (const f of st.byFile.keys()) dirtyFiles.add(f);
    }
    for (const f of dirtyFiles) {
      const list: Finding[] = [];
      for (const e of st.byFile.get(f) ?? []) for (const x of findingsOf(e)) if (x.fileId === f) list.push(x);
      if (list.length) st.out.set(f, list);
      else st.out.delete(f);
    }
    // A new map each run (the workspace compares it with the last), holding the same arrays for unchanged files.
    return new Map(st.out);
  },
};

/** Resources of the file whose document holds the finding (the workload or ConfigMap it sits in). */
function ownersAt(file: FileState | undefined, f: Pick<Finding, 'anchor'>): Resource[] {
  if (!file) return [];
  const doc = 'doc' in f.anchor ? f.anchor.doc : file.locator.pathAt(f.anchor.offsets[0])?.doc;
  return file.resources.filter(r => r.doc === doc);
}
