import { Rule, at } from './rule';
import { withoutRuntimeLabels } from './support/runtimeLabels';
import { operatorOwnerHint } from './support/operators';
import { displayName } from '../model/resource';
import { selectorNearMiss } from './support/selectorNearMiss';
import { relatedTo } from './rule';

/** A NetworkPolicy whose podSelector matches no pod has no effect: usually a label typo. An empty podSelector selects every pod. */
export const networkPolicySelectsNothing: Rule = {
  id: 'networkpolicy-selects-nothing',
  defaultSeverity: 'warning',
  summary: 'A NetworkPolicy podSelector matches no pod template in its namespace.',
  kinds: new Set(['NetworkPolicy']),
  check({ subject, cluster, report }) {
    const np = cluster.facts(subject)?.policy;
    if (!np) return;
    const sel = np.podSelector;
    if (Object.keys(sel.matchLabels).length === 0 && sel.matchExpressions.length === 0) return;
    const { checkable, runtime } = withoutRuntimeLabels(sel.matchLabels);
    if (runtime.length && Object.keys(checkable).length === 0 && sel.matchExpressions.length === 0) return;
    if (
      cluster.templatesMatching(subject.namespace, { matchLabels: checkable, matchExpressions: sel.matchExpressions })
        .length > 0
    )
      return;
    if (sel.matchExpressions.length === 0) {
      const near = selectorNearMiss(checkable, cluster.templatesInNamespace(subject.namespace));
      if (near) {
        const anchor = at(subject, [...np.podSelectorPath, 'matchLabels', near.key]);
        report({
          anchor,
          message: `podSelector ${near.key}: ${near.value} matches no pod, so this policy affects nothing; ${displayName(near.template.owner)} has ${near.key}: ${near.suggestion}. Did you mean "${near.suggestion}"?`,
          related: [
            relatedTo(near.template.source, `pod template labels of ${displayName(near.template.owner)}`, [
              ...near.template.labelsPath,
              near.key,
            ]),
          ],
          fixes: [
            {
              title: `Change podSelector to ${near.key}: ${near.suggestion}`,
              preferred: true,
              edits: [{ fileId: subject.fileId, anchor, newText: near.suggestion }],
            },
          ],
        });
        return;
      }
    }
    const operator = operatorOwnerHint(cluster, subject.namespace, checkable);
    const text = [
      ...Object.entries(sel.matchLabels).map(([k, v]) => `${k}: ${v}`),
      ...sel.matchExpressions.map(e => `${e.key} ${e.operator} [${e.values.join(', ')}]`),
    ].join(', ');
    report({
      severity: operator ? 'information' : undefined,
      anchor: at(subject, np.podSelectorPath, 'key'),
      message: operator
        ? `podSelector {${text}} matches no pod template in the workspace; the pods are probably created by an operator from ${displayName(operator)}.`
        : `podSelector {${text}} matches no pod template in namespace ${subject.namespace}, so this policy affects nothing. Check the labels (or the namespace).`,
    });
  },
};
