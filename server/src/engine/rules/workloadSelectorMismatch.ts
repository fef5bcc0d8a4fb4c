import { Rule, at, relatedTo } from './rule';
import { workloadSelectorOf, labelSelectorMatches } from '../model/workload';
import { displayName } from '../model/resource';

export const workloadSelectorMismatch: Rule = {
  id: 'workload-selector-mismatch',
  defaultSeverity: 'error',
  summary: "A workload's spec.selector does not match its own pod template labels; the API server rejects it.",
  kinds: new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController', 'DeploymentConfig']),
  check({ subject, cluster, report }) {
    const facts = cluster.facts(subject);
    const sel = workloadSelectorOf(subject);
    const t = facts?.template;
    if (!sel || !t || sel.defaulted) return;
    const empty = Object.keys(sel.matchLabels).length === 0 && sel.matchExpressions.length === 0;
    if (empty) return;
    if (labelSelectorMatches(sel, t.labels)) return;
    const plainMap = subject.kind === 'ReplicationController' || subject.kind === 'DeploymentConfig';
    const labelsPath = plainMap ? sel.path : [...sel.path, 'matchLabels'];
    const labelsText =
      Object.entries(t.labels)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ') || 'none';
    for (const [k, v] of Object.entries(sel.matchLabels)) {
      if (t.labels[k] === v) continue;
      const actual = t.labels[k];
      const anchor = at(subject, [...labelsPath, k]);
      report({
        anchor,
        message:
          actual === undefined
            ? `${displayName(subject)} selects pods with ${k}: ${v}, but its pod template has no label ${k} (template labels: ${labelsText}). Add the label to the template or remove it from the selector.`
            : `${displayName(subject)} selects pods with ${k}: ${v}, but its pod template has ${k}: ${actual}. Make them equal.`,
        related: [relatedTo(subject, 'pod template labels', t.labelsPath)],
        fixes:
          actual === undefined
            ? []
            : [
                {
                  title: `Change selector to ${k}: ${actual}`,
                  preferred: true,
                  edits: [{ fileId: subject.fileId, anchor, newText: actual }],
                },
              ],
      });
    }
    sel.matchExpressions.forEach((e, i) => {
      if (labelSelectorMatches({ matchLabels: {}, matchExpressions: [e] }, t.labels)) return;
      report({
        anchor: at(subject, [...sel.path, 'matchExpressions', i]),
        message: `${displayName(subject)} selector expression "${e.key} ${e.operator} [${e.values.join(', ')}]" does not match its pod template labels (${labelsText}).`,
        related: [relatedTo(subject, 'pod template labels', t.labelsPath)],
      });
    });
  },
};
