import { Rule, at, relatedTo } from './rule';
import { displayName } from '../model/resource';
import { withoutRuntimeLabels } from './support/runtimeLabels';
import { selectorNearMiss } from './support/selectorNearMiss';
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
      report({
        anchor,
        message: `Service selector ${near.key}: ${near.value} matches no pod; ${displayName(near.template.owner)} has ${near.key}: ${near.suggestion}. Did you mean "${near.suggestion}"?`,
        related: [
          relatedTo(near.template.source, `pod template labels of ${displayName(near.template.owner)}`, [
            ...near.template.labelsPath,
            near.key,
          ]),
        ],
        fixes: [
          {
            title: `Change selector to ${near.key}: ${near.suggestion}`,
            preferred: true,
            edits: [{ fileId: subject.fileId, anchor, newText: near.suggestion }],
          },
        ],
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
