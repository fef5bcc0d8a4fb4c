import { Rule, at, relatedTo } from './rule';
import { workloadSelectorOf, labelSelectorMatches } from '../model/workload';
import { displayName } from '../model/resource';
import { labelVotes, listNames } from './support/selectorNearMiss';

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
      const related = [relatedTo(t.source, 'pod template labels', t.labelsPath)];
      if (actual === undefined) {
        report({
          anchor,
          message: `${displayName(subject)} selects pods with ${k}: ${v}, but its pod template has no label ${k} (template labels: ${labelsText}). Add the label to the template or remove it from the selector.`,
          related,
        });
        continue;
      }
      const changeSelector = {
        title: `Change selector to ${k}: ${actual}`,
        edits: [{ fileId: subject.fileId, anchor, newText: actual }],
      };
      // Which side is the typo: the value more objects agree on wins (see labelVotes), so a label
      // just mistyped in the template is not offered for copying into the selector.
      const selectorSide = labelVotes(cluster, subject.namespace, k, v);
      const templateSide = labelVotes(cluster, subject.namespace, k, actual);
      if (selectorSide.count > templateSide.count) {
        report({
          anchor,
          message: `${displayName(subject)} selects pods with ${k}: ${v}, but its pod template has ${k}: ${actual}, while ${listNames(selectorSide.names)} use ${v}. Change the template label back to ${v}.`,
          related,
          fixes: [
            {
              title: `Change the pod template label to ${k}: ${v}`,
              preferred: true,
              edits: [{ fileId: t.source.fileId, anchor: at(t.source, [...t.labelsPath, k]), newText: v }],
            },
            { ...changeSelector, preferred: false },
          ],
        });
        continue;
      }
      report({
        anchor,
        message: `${displayName(subject)} selects pods with ${k}: ${v}, but its pod template has ${k}: ${actual}. Make them equal.`,
        related,
        fixes: [{ ...changeSelector, preferred: true }],
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
