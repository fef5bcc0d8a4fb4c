import type { ServiceInfo, ServicePort } from '../../model/service';
import { effectiveTargetPort } from '../../model/service';
import { CallRule, describeCall, workloadLabel } from './rule';
import { callAnchor, portAnchor } from '../anchor';
import type { Call } from '../discover';

/** Services whose port list is what a client connects to (headless and ExternalName names resolve elsewhere). */
function checkable(s: ServiceInfo): boolean {
  return s.type !== 'ExternalName' && !s.headless && s.ports.length > 0;
}

/**
 * The port the caller most likely meant: the Service port whose targetPort is the number it
 * wrote (it used the container port), else the only port of the protocol.
 */
export function intendedPort(svc: ServiceInfo, c: Call): ServicePort | undefined {
  const same = svc.ports.filter(p => p.protocol === c.protocol && p.port !== undefined);
  const byTarget = same.filter(p => effectiveTargetPort(p) === c.port);
  if (byTarget.length === 1) return byTarget[0];
  return same.length === 1 ? same[0] : undefined;
}

export const callPortMissing: CallRule = {
  id: 'call-port-missing',
  defaultSeverity: 'warning',
  scope: 'call',
  summary: 'A workload calls a Service on a port the Service does not expose.',
  check({ ws, calls, report }) {
    for (const c of calls) {
      if (c.port === undefined || !c.services.length || c.pod) continue;
      const services = c.services.filter(checkable);
      if (services.length < c.services.length || !services.length) continue;
      if (services.some(s => s.ports.some(p => p.port === c.port && p.protocol === c.protocol))) continue;
      const svc = services[0];
      const want = intendedPort(svc, c);
      const listed = svc.ports.map(p => `${p.port ?? '?'}${p.protocol === 'TCP' ? '' : `/${p.protocol}`}`).join(', ');
      const anchor = portAnchor(ws, c);
      const written = c.portImplicit ? `the ${c.scheme} default port ${c.port}` : `port ${c.port}`;
      const fixes = [];
      if (want?.port !== undefined) {
        const edit = c.portImplicit
          ? { fileId: c.source.owner.fileId, anchor: callAnchor(ws, c), newText: `${c.host}:${want.port}` }
          : { fileId: (c.portSource ?? c.source).owner.fileId, anchor, newText: String(want.port) };
        fixes.push({
          title: `Call port ${want.port}${want.name ? ` (${want.name})` : ''}`,
          preferred: true,
          edits: [edit],
        });
      }
      report({
        fileId: (c.portSource ?? c.source).owner.fileId,
        anchor,
        message:
          `${workloadLabel(c)} calls ${describeCall(c)} on ${written}, but Service ${c.namespace}/${c.service} exposes only ${listed}: ` +
          `kube-proxy has no rule for this port, so connections to the ClusterIP are refused or time out.` +
          (want?.port !== undefined ? ` Did you mean ${want.port}?` : ''),
        related: [
          {
            fileId: svc.resource.fileId,
            anchor: { doc: svc.resource.doc, path: [...svc.resource.base, 'spec', 'ports'], part: 'key' },
            message: `Service ${c.namespace}/${c.service} ports`,
          },
        ],
        fixes,
      });
    }
  },
};
