import { CallRule, describeCall, workloadLabel } from './rule';
import { callAnchor } from '../anchor';
import { serviceGeneration } from '../index';
import { closest } from '../../rules/support/nearMiss';
import { knativeServiceOwner, operatorServiceOwner } from '../../rules/support/operators';
import { ClusterView } from '../../cluster/view';
import { displayName } from '../../model/resource';

export const callServiceMissing: CallRule = {
  id: 'call-service-missing',
  defaultSeverity: 'warning',
  scope: 'call',
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
      const suggestion = suggest(ws, c.namespace, c.service);
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

const suggestions = new WeakMap<object, { generation: number; map: Map<string, string | undefined> }>();

/** The near-miss Service name, cached until a Service is added or removed. */
function suggest(ws: Parameters<CallRule['check']>[0]['ws'], ns: string, name: string): string | undefined {
  const generation = serviceGeneration(ws);
  let c = suggestions.get(ws);
  if (!c || c.generation !== generation) suggestions.set(ws, (c = { generation, map: new Map() }));
  const key = `${ns}/${name}`;
  if (c.map.has(key)) return c.map.get(key);
  const names = [...ws.cluster.servicesInNamespace(ns)].map(s => s.resource.name);
  const out = closest(name, names);
  c.map.set(key, out);
  return out;
}
