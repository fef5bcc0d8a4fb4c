import type { Workspace } from '../workspace';
import { registerHoverProvider, HoverResult } from './index';
import { hoverTarget, linkTo, startsWith } from './at';
import { effectiveTargetPort } from '../model/service';
import { iptablesChainNames, proxySettings, resolveTargetPort, servicePortName } from '../netfilter';
import { codeSpan as code, escapeText as text } from '../text/markdown';

/**
 * Hover on a container port (the list entry or any of its fields): the Services and Service
 * ports whose selector picks this pod and whose targetPort resolves to this port and protocol.
 */
export function containerPortHover(ws: Workspace, fileId: string, offset: number): HoverResult | undefined {
  const t = hoverTarget(ws, fileId, offset);
  if (!t) return undefined;
  const tpl = ws.cluster.facts.get(t.resource.id)?.template;
  if (!tpl) return undefined;
  let found: { container: string; port: (typeof tpl.containers)[number]['ports'][number] } | undefined;
  // A borrowed template (Rollout workloadRef) is hovered where it is written; a port Knative
  // implies (8080) has no entry of its own to hover.
  if (tpl.source.id !== t.resource.id) return undefined;
  for (const c of tpl.containers)
    for (const p of c.ports)
      if (p.path[p.path.length - 2] === 'ports' && startsWith(t.path, p.path)) found = { container: c.name, port: p };
  if (!found || found.port.containerPort === undefined) return undefined;
  const cp = found.port;
  const s = proxySettings(ws);
  const lines: string[] = [];
  for (const svc of ws.cluster.servicesInNamespace(tpl.namespace)) {
    const sel = svc.selector;
    if (!sel || Object.keys(sel).length === 0) continue;
    if (!Object.entries(sel).every(([k, v]) => tpl.labels[k] === v)) continue;
    for (const p of svc.ports) {
      if (p.protocol !== cp.protocol) continue;
      const target = effectiveTargetPort(p);
      if (resolveTargetPort(tpl, target, p.protocol) !== cp.containerPort) continue;
      // A numeric target matches any container declaring that number; a name must be this port's name.
      if (typeof target === 'string' && target !== cp.name) continue;
      const r = svc.resource;
      const spn = servicePortName(r.namespace, r.name, p.name, s.legacyUnnamedPorts);
      const chain = iptablesChainNames(spn, p.protocol).svc;
      const via = [
        `port ${p.name ? `${code(p.name)} ` : ''}${p.port}/${text(p.protocol)}`,
        `targetPort ${code(String(target))}`,
      ];
      if (p.nodePort) via.push(`nodePort ${p.nodePort}`);
      lines.push(
        `- ${linkTo(ws, r, `Service ${r.namespace}/${r.name}`)} (${text(svc.type)}${svc.headless ? ', headless' : ''}): ${via.join(', ')}${svc.headless || svc.type === 'ExternalName' ? '' : ` — ${code(chain)}`}`,
      );
    }
  }
  const head = `**Container port ${cp.name ? `${code(cp.name)} ` : ''}${cp.containerPort}/${text(cp.protocol)}** of container ${code(found.container)} (${text(tpl.owner.kind)} ${text(tpl.owner.name)})`;
  const body = lines.length
    ? `Reached by ${lines.length} Service port${lines.length === 1 ? '' : 's'}:\n\n${lines.join('\n')}`
    : 'No Service in the workspace sends traffic to this port (no selector matches this pod with a targetPort resolving to it).';
  const shared = cp.hostPort ? `\n\nAlso published on every node it runs on as hostPort ${cp.hostPort}.` : '';
  return { markdown: `${head}\n\n${body}${shared}`, range: t.range };
}

registerHoverProvider(containerPortHover);
