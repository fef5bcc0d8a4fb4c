import { CallRule, describeCall, workloadLabel } from './rule';
import { callAnchor } from '../anchor';
import { closest } from '../../rules/support/nearMiss';
import { knativeServiceOwner, operatorServiceOwner } from '../../rules/support/operators';
import { ClusterView } from '../../cluster/view';
import { displayName } from '../../model/resource';

export const callServiceMissing: CallRule = {
  id: 'call-service-missing',
  defaultSeverity: 'warning',
  summary: 'A workload calls a Service (by its DNS name in env, args or mounted config) that the unit does not define.',
  check({ ws, calls, report }) {
    const view = new ClusterView(ws.cluster, new Set());
    for (const c of calls) {
      if (c.services.length || !c.reportMissing) continue;
      // Knative creates the Kubernetes Services of its Services (route and revisions) itself.
      if (knativeServiceOwner(view, c.namespace, c.service)) continue;
      // A custom resource without metadata.namespace is created wherever `kubectl -n` puts it.
      const floating = operatorServiceOwner(view, ws.configuration.defaultNamespace, c.service);
      const operator =
        operatorServiceOwner(view, c.namespace, c.service) ?? (floating?.namespaceExplicit ? undefined : floating);
      if (operator) {
        report({
          severity: 'information',
          fileId: c.source.owner.fileId,
          anchor: callAnchor(ws, c),
          message: `${workloadLabel(c)} calls ${describeCall(c)}; Service "${c.service}" is not defined in the workspace, it is probably created at run time by an operator from ${displayName(operator)}.`,
          related: [
            {
              fileId: operator.fileId,
              anchor: { doc: operator.doc, path: [...operator.base, 'metadata', 'name'] },
              message: displayName(operator),
            },
          ],
          fixes: [],
        });
        continue;
      }
      const names = [...ws.cluster.servicesInNamespace(c.namespace)].map(s => s.resource.name);
      const suggestion = closest(c.service, names);
      const anchor = callAnchor(ws, c);
      const target = suggestion ? [...ws.cluster.services(c.namespace, suggestion)][0] : undefined;
      // Only the service label is replaced, so `cart.shop.svc` keeps its namespace and suffix.
      const labelAnchor =
        'offsets' in anchor && c.host.startsWith(c.pod ? `${c.pod}.` : '') ? shiftLabel(anchor.offsets, c) : undefined;
      report({
        fileId: c.source.owner.fileId,
        anchor,
        message:
          `${workloadLabel(c)} calls ${describeCall(c)}, but no Service "${c.service}" exists in namespace ${c.namespace} of this unit: ` +
          `the name does not resolve and the call fails, unless the Service is created elsewhere (another unit, an operator, a chart not in the workspace).` +
          (suggestion ? ` Did you mean "${suggestion}"?` : ''),
        related: target
          ? [
              {
                fileId: target.resource.fileId,
                anchor: { doc: target.resource.doc, path: [...target.resource.base, 'metadata', 'name'] },
                message: `Service ${c.namespace}/${suggestion}`,
              },
            ]
          : [],
        fixes:
          suggestion && labelAnchor
            ? [
                {
                  title: `Change to "${suggestion}"`,
                  preferred: true,
                  edits: [{ fileId: c.source.owner.fileId, anchor: { offsets: labelAnchor }, newText: suggestion }],
                },
              ]
            : [],
      });
    }
  },
};

/** The characters of the service label inside the host's characters. */
function shiftLabel([s]: [number, number], c: { host: string; pod?: string; service: string }): [number, number] {
  const at = c.pod ? c.pod.length + 1 : 0;
  return [s + at, s + at + c.service.length];
}
