import { Rule, at, relatedTo } from './rule';
import { displayName } from '../model/resource';
import { withoutRuntimeLabels } from './support/runtimeLabels';
import { labelVotes, listNames, selectorNearMiss } from './support/selectorNearMiss';
import { operatorOwnerHint, trafficSplitApexOwner } from './support/operators';

export const serviceSelectorNoMatch: Rule = {
  id: 'service-selector-no-match',
  defaultSeverity: 'warning',
  summary: 'A Service selector matches no pod template in the workspace, so the Service has no endpoints.',
  kinds: new Set(['Service']),
  check({ subject, cluster, report }) {
    const svc = cluster.facts(subject)?.service;
    if (!svc || svc.type === 'ExternalName' || !svc.selector) return;
    const { checkable, runtime } = withoutRuntimeLabels(svc.selector);
    const pairs = Object.entries(checkable);
    if (pairs.length === 0) return;
    if (cluster.templatesSelectedBy(subject.namespace, checkable).length > 0) return;
    // An SMI apex Service selects nothing by design: the mesh sends its traffic to the backends.
    if (trafficSplitApexOwner(cluster, subject.namespace, subject.name)) return;

    const selectorText = pairs.map(([k, v]) => `${k}: ${v}`).join(', ');
    const runtimeNote = runtime.length
      ? ` (ignoring the run-time label${runtime.length > 1 ? 's' : ''} ${runtime.join(', ')})`
      : '';

    const operator = operatorOwnerHint(cluster, subject.namespace, checkable);
    if (operator) {
      report({
        severity: 'information',
        anchor: at(subject, svc.selectorPath, 'key'),
        message: `No pod template in the workspace has the labels {${selectorText}}${runtimeNote}; the pods are probably created at run time by an operator from ${displayName(operator)}, so the Service's endpoints cannot be checked here.`,
        related: [relatedTo(operator, `custom resource ${displayName(operator)}`)],
      });
      return;
    }

    const near = selectorNearMiss(checkable, cluster.templatesInNamespace(subject.namespace));
    if (near) {
      const anchor = at(subject, [...svc.selectorPath, near.key]);
      const owner = displayName(near.template.owner);
      const labelPath = [...near.template.labelsPath, near.key];
      const related = [relatedTo(near.template.source, `pod template labels of ${owner}`, labelPath)];
      const changeSelector = {
        title: `Change selector to ${near.key}: ${near.suggestion}`,
        edits: [{ fileId: subject.fileId, anchor, newText: near.suggestion }],
      };
      // The side more objects agree on is taken as intended (see labelVotes): when the template
      // is the odd one out, the fix goes there rather than copying its typo into the Service.
      const selectorSide = labelVotes(cluster, subject.namespace, near.key, near.value);
      const templateSide = labelVotes(cluster, subject.namespace, near.key, near.suggestion);
      if (selectorSide.count > templateSide.count) {
        report({
          anchor,
          message: `Service selector ${near.key}: ${near.value} matches no pod; the pod template of ${owner} has ${near.key}: ${near.suggestion}, while ${listNames(selectorSide.names)} use ${near.value}. Did you mean "${near.value}" in the pod template?`,
          related,
          fixes: [
            {
              title: `Change the pod template label of ${owner} to ${near.key}: ${near.value}`,
              preferred: true,
              edits: [
                {
                  fileId: near.template.source.fileId,
                  anchor: at(near.template.source, labelPath),
                  newText: near.value,
                },
              ],
            },
            { ...changeSelector, preferred: false },
          ],
        });
        return;
      }
      report({
        anchor,
        message: `Service selector ${near.key}: ${near.value} matches no pod; ${owner} has ${near.key}: ${near.suggestion}. Did you mean "${near.suggestion}"?`,
        related,
        fixes: [{ ...changeSelector, preferred: true }],
      });
      return;
    }

    const elsewhere = cluster.templatesSelectedByInOtherNamespaces(subject.namespace, checkable);
    const hint = elsewhere.length
      ? ` Pods with these labels exist in namespace ${[...new Set(elsewhere.map(t => t.namespace))].join(', ')}, but a Service only selects pods in its own namespace (${subject.namespace}).`
      : ' Fix the selector or the pod template labels so that they agree; until then the Service has no endpoints.';
    report({
      anchor: at(subject, svc.selectorPath, 'key'),
      message: `Service selector {${selectorText}}${runtimeNote} matches no pod template in namespace ${subject.namespace}.${hint}`,
      related: elsewhere
        .slice(0, 3)
        .map(t => relatedTo(t.source, `${displayName(t.owner)} has these labels`, t.labelsPath)),
    });
  },
};
