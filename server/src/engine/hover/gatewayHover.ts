import type { Workspace } from '../workspace';
import { registerHoverProvider, HoverResult } from './index';
import { hoverTarget, linkTo, startsWith } from './at';
import { effectiveTargetPort } from '../model/service';
import { isGatewayParent, isServiceBackend } from '../model/gateway';
import type { BackendRef, ParentRef, RouteInfo } from '../model/gateway';
import { allowingGrant, describeServicePorts, resolveBackend } from '../gateway/backends';
import { attachment } from '../gateway/attach';
import { clusterLookup, clusterNamespaceLabels } from '../gateway/lookup';
import { resolveTargetPort } from '../netfilter';
import { closestDefinitions } from '../rules/support/alternatives';
import { withoutRuntimeLabels } from '../rules/support/runtimeLabels';
import { codeSpan as code, escapeText } from '../text/markdown';

/**
 * Hover on a Gateway API Route's backendRef (what Service, port and pods it reaches, its share
 * of the rule's traffic) or parentRef (the Gateway and which of its listeners accept the Route).
 */
export function gatewayHover(ws: Workspace, fileId: string, offset: number): HoverResult | undefined {
  const t = hoverTarget(ws, fileId, offset);
  if (!t) return undefined;
  const route = ws.cluster.facts.get(t.resource.id)?.route;
  if (!route) return undefined;
  for (const rule of route.rules)
    for (const b of rule.backendRefs)
      if (startsWith(t.path, b.path)) return { markdown: backendMarkdown(ws, route, b), range: t.range };
  for (const p of route.parentRefs)
    if (startsWith(t.path, p.path)) return { markdown: parentMarkdown(ws, route, p), range: t.range };
  return undefined;
}

function backendMarkdown(ws: Workspace, route: RouteInfo, b: BackendRef): string {
  const rule = route.rules[b.rule];
  const total = rule.backendRefs.reduce((s, x) => s + x.weight, 0);
  const share =
    rule.backendRefs.length > 1
      ? ` — weight ${b.weight} of ${total}: ${total ? Math.round((100 * b.weight) / total) : 0}% of the rule's requests`
      : '';
  const head = `**backendRef** ${code(`${b.namespace}/${b.name || '?'}`)}${b.port !== undefined ? ` port ${code(b.port)}` : ''}${share}`;
  if (!isServiceBackend(b))
    return `${head}\n\nA ${code(b.kind)} of group ${code(b.group || 'core')}: implementation-specific, not followed here.`;
  const lookup = clusterLookup(ws.cluster);
  const res = resolveBackend(lookup, route, b);
  switch (res.status) {
    case 'other-kind':
      return head;
    case 'service-missing':
      return `${head}\n\nNo Service ${code(b.name)} in namespace ${code(b.namespace)} in the workspace (route-backend-service-missing).`;
    case 'not-permitted':
      return `${head}\n\n${linkTo(ws, res.services[0].resource, `Service ${b.namespace}/${b.name}`)} is in another namespace, and no ReferenceGrant there allows ${escapeText(route.kind)}s from ${code(route.resource.namespace)} (route-backend-not-permitted).`;
    case 'port-absent':
    case 'port-missing':
      return `${head}\n\n${linkTo(ws, res.services[0].resource, `Service ${b.namespace}/${b.name}`)} has no such port; its ports: ${escapeText(describeServicePorts(res.services[0]))} (route-backend-port-missing).`;
    case 'ok': {
      const { service, port } = res;
      const target = effectiveTargetPort(port);
      const lines = [
        `${head}\n\n→ ${linkTo(ws, service.resource, `Service ${b.namespace}/${b.name}`)} (${escapeText(service.type)}${service.headless ? ', headless' : ''}) port ${code(port.port ?? '?')}${port.name ? ` ${code(port.name)}` : ''}/${escapeText(port.protocol)} → targetPort ${code(String(target ?? '?'))}`,
      ];
      const grant = b.crossNamespace ? allowingGrant(lookup, route, b) : undefined;
      if (grant)
        lines.push(
          `Allowed by ${linkTo(ws, grant.resource, `ReferenceGrant ${grant.resource.namespace}/${grant.resource.name}`)}.`,
        );
      if (!service.selector) {
        lines.push('The Service has no selector: its endpoints are managed by hand (Endpoints/EndpointSlices).');
        return lines.join('\n\n');
      }
      const { checkable } = withoutRuntimeLabels(service.selector);
      const pods = closestDefinitions([...lookup.templatesSelectedBy(b.namespace, checkable)], service.resource);
      if (!pods.length) {
        lines.push('The selector matches **no** pod template in the workspace.');
        return lines.join('\n\n');
      }
      const rows = pods.map(tp => {
        const n = resolveTargetPort(tp, target, port.protocol);
        return `- ${linkTo(ws, tp.owner, `${tp.owner.kind} ${tp.owner.name}`)} — ${tp.owner.kind === 'DaemonSet' ? 'one pod per node' : `${tp.replicas} replica${tp.replicas === 1 ? '' : 's'}`}: ${n === undefined ? `no container port ${code(String(target))} (${escapeText(port.protocol)}), so no endpoint` : `container port ${code(n)}`}`;
      });
      lines.push(`Pods:\n\n${rows.join('\n')}`);
      return lines.join('\n\n');
    }
  }
}

function parentMarkdown(ws: Workspace, route: RouteInfo, p: ParentRef): string {
  const head = `**parentRef** ${code(`${p.namespace}/${p.name}`)}${p.sectionName ? ` sectionName ${code(p.sectionName)}` : ''}${p.port !== undefined ? ` port ${code(p.port)}` : ''}`;
  if (!isGatewayParent(p))
    return `${head}\n\nA ${code(p.kind)} parent (group ${code(p.group || 'core')}): a mesh or implementation-specific attachment, not followed here.`;
  const gws = [...ws.cluster.gateways(p.namespace, p.name)];
  if (!gws.length)
    return `${head}\n\nGateway ${code(`${p.namespace}/${p.name}`)} is not in the workspace; its listeners cannot be checked.`;
  const gw = gws[0];
  const a = attachment(gw, route, p, clusterNamespaceLabels(ws.cluster));
  const picked = new Set(a.candidates.map(c => c.listener));
  const rows = gw.listeners.map(l => {
    const v = a.candidates.find(c => c.listener === l);
    const what = `${code(l.name)} ${escapeText(l.protocol)} ${l.port ?? '?'}${l.hostname ? ` ${code(l.hostname)}` : ''}`;
    if (!picked.has(l)) return `- ${what} — not selected by this parentRef`;
    return v?.ok
      ? `- ${what} — accepts this ${escapeText(route.kind)}`
      : `- ${what} — refuses it: ${escapeText(v?.reasons.join('; ') ?? '')}`;
  });
  return [
    `${head}\n\n→ ${linkTo(ws, gw.resource, `Gateway ${gw.resource.namespace}/${gw.resource.name}`)}${gw.className ? ` (class ${code(gw.className)})` : ''}: ${a.accepted ? '**attached**' : a.uncertain ? '**attached only if the namespace carries the selected labels**' : '**not accepted**'}`,
    `Listeners:\n\n${rows.join('\n') || '(none)'}`,
  ].join('\n\n');
}

registerHoverProvider(gatewayHover);
