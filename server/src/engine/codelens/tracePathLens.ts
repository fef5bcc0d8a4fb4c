import type { Workspace } from '../workspace';
import { registerCodeLensProvider, CodeLensResult } from './index';
import { ingressEntry, serviceEntry, entryAt, gatewayEntries } from '../path/entries';
import type { ServiceInfo } from '../model/service';

/** The client command that opens the traffic path view (client/src/features/tracePanel.ts). */
export const PREVIEW_TRAFFIC_PATH_COMMAND = 'kubeNetlint.previewTrafficPath';

/** "Preview traffic path" above every Ingress rule path, every HTTPRoute rule and every Service. */
export function tracePathLenses(ws: Workspace, fileId: string): CodeLensResult[] {
  const file = ws.file(fileId);
  if (!file || file.kind !== 'yaml') return [];
  const out: CodeLensResult[] = [];
  for (const r of file.resources) {
    const facts = ws.cluster.facts.get(r.id);
    if (!facts) continue;
    for (const b of facts.backends) {
      if (b.isDefault) continue;
      // The backend sits at …paths[i].backend; the lens goes above the `- path:` item.
      const item = b.path.slice(0, -1);
      out.push({
        range: file.locator.rangeOf({ doc: r.doc, path: item }),
        title: 'Preview traffic path',
        command: PREVIEW_TRAFFIC_PATH_COMMAND,
        arguments: [{ from: ingressEntry(b) }],
      });
    }
    if (facts.route?.kind === 'HTTPRoute') {
      const done = new Set<number>();
      for (const g of gatewayEntries(facts.route)) {
        if (done.has(g.rule)) continue;
        done.add(g.rule);
        out.push({
          range: file.locator.rangeOf({ doc: r.doc, path: facts.route.rules[g.rule].path }),
          title: 'Preview traffic path',
          command: PREVIEW_TRAFFIC_PATH_COMMAND,
          arguments: [{ from: g.value }],
        });
      }
    }
    const svc = facts.service;
    if (svc && svc.ports.length) {
      out.push({
        range: file.locator.rangeOf({ doc: r.doc, path: [...r.base, 'kind'], part: 'pair' }),
        title: 'Preview traffic path',
        command: PREVIEW_TRAFFIC_PATH_COMMAND,
        arguments: [serviceTraceTarget(ws, fileId, svc)],
      });
    }
  }
  return out;
}

/**
 * The trace that previews a Service port (the first by default). A ClusterIP Service needs a
 * caller; entryAt picks a workload of the same namespace.
 */
export function serviceTraceTarget(
  ws: Workspace,
  fileId: string,
  svc: ServiceInfo,
  portIndex = 0,
): { from?: string; to?: string } {
  const direct = serviceEntry(svc, portIndex);
  if (direct.from) return direct;
  const file = ws.file(fileId);
  const port = svc.ports[portIndex] ?? svc.ports[0];
  if (!file || !port) return direct;
  return entryAt(ws, fileId, file.locator.offsetsOf({ doc: svc.resource.doc, path: [...port.path] })[0]) ?? direct;
}

registerCodeLensProvider(tracePathLenses);
