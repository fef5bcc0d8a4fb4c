import type { GlobalAnalyzer, FileState } from '../workspace';
import type { Finding } from '../findings';
import type { Resource } from '../model/resource';
import { suppressedByAnnotation } from '../config/suppression';
import { CALL_RULES } from './rules';
import { getCalls } from './index';

/** Kinds whose changes can change a call or its verdict. */
const KINDS = new Set([
  'Service',
  'ConfigMap',
  'Secret',
  'Namespace',
  'NetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
]);

function relevant(file: FileState): boolean {
  for (const r of file.resources) if (KINDS.has(r.kind) || r.kind in WORKLOADS) return true;
  return false;
}
const WORKLOADS: Record<string, true> = {
  Pod: true,
  Deployment: true,
  ReplicaSet: true,
  StatefulSet: true,
  DaemonSet: true,
  Job: true,
  CronJob: true,
  ReplicationController: true,
  DeploymentConfig: true,
};

/**
 * The required-connectivity analyzer: runs the call rules over the unit's discovered calls.
 * Findings sit in the file that names the address (a workload or the ConfigMap it reads) and
 * honour `kube-netlint.io/ignore` on the calling workload and on the object holding the text.
 */
export const callsAnalyzer: GlobalAnalyzer = {
  id: 'required-connectivity',
  interestedIn: relevant,
  run(ws) {
    const out = new Map<string, Finding[]>();
    const calls = getCalls(ws);
    if (!calls.length) return out;
    for (const rule of CALL_RULES) {
      if (ws.configuration.rules[rule.id] === 'off') continue;
      const seen = new Set<string>();
      rule.check({
        ws,
        calls,
        report: f => {
          const key = `${f.fileId}|${JSON.stringify(f.anchor)}`;
          if (seen.has(key)) return;
          seen.add(key);
          const owners = ownersAt(ws.file(f.fileId), f);
          if (owners.some(o => suppressedByAnnotation(o, rule.id))) return;
          let list = out.get(f.fileId);
          if (!list) out.set(f.fileId, (list = []));
          list.push({ ...f, rule: rule.id, severity: f.severity ?? rule.defaultSeverity });
        },
      });
    }
    return out;
  },
};

/** Resources of the file whose document holds the finding (the workload or ConfigMap it sits in). */
function ownersAt(file: FileState | undefined, f: Pick<Finding, 'anchor'>): Resource[] {
  if (!file) return [];
  const doc = 'doc' in f.anchor ? f.anchor.doc : file.locator.pathAt(f.anchor.offsets[0])?.doc;
  return file.resources.filter(r => r.doc === doc);
}
