import type { Workspace } from '../workspace';
import { registerHoverProvider, HoverResult } from './index';
import { hoverTarget, linkTo } from './at';
import { effectiveTargetPort } from '../model/service';
import type { ServicePort } from '../model/service';
import type { PodTemplate } from '../model/workload';
import { selectedTemplates } from '../netfilter';
import { codeSpan as code, escapeText as text } from '../text/markdown';

/** Templates listed one per line; a selector matching more is summarised. */
const MAX_TEMPLATES = 10;

/**
 * Hover on a Service port's `targetPort`: what that port becomes in each pod template the
 * selector picks. A name is looked up per pod (Kubernetes resolves it in each pod separately, so
 * two workloads behind one Service may answer on different numbers, or one not at all).
 */
export function targetPortHover(ws: Workspace, fileId: string, offset: number): HoverResult | undefined {
  const t = hoverTarget(ws, fileId, offset);
  if (!t || t.resource.kind !== 'Service') return undefined;
  const rel = t.rel;
  if (!(rel.length === 4 && rel[0] === 'spec' && rel[1] === 'ports' && rel[3] === 'targetPort')) return undefined;
  const svc = ws.cluster.facts.get(t.resource.id)?.service;
  const port = svc?.ports.find(p => p.index === rel[2]);
  if (!svc || !port) return undefined;
  const target = effectiveTargetPort(port);
  if (target === undefined) return undefined;
  const r = svc.resource;
  const head = `**targetPort ${code(String(target))}** of Service ${code(`${r.namespace}/${r.name}`)} port ${port.name ? `${code(port.name)} ` : ''}${port.port ?? '?'}/${text(port.protocol)}`;
  const named = typeof target === 'string';
  const how = named
    ? `A name: each pod resolves it to the number of its own container port named ${code(target)} with protocol ${text(port.protocol)}.`
    : 'A number: traffic goes to this port of every selected pod, declared or not.';
  if (svc.type === 'ExternalName')
    return {
      markdown: `${head}\n\nAn ExternalName Service is a DNS alias; it has no pods to resolve the port in.`,
      range: t.range,
    };
  if (!svc.selector || Object.keys(svc.selector).length === 0)
    return {
      markdown: `${head}\n\n${how}\n\nThe Service has no selector: its endpoints (and their ports) come from EndpointSlices or Endpoints written by hand.`,
      range: t.range,
    };
  const templates = selectedTemplates(ws, r.namespace, svc.selector);
  if (templates.length === 0)
    return {
      markdown: `${head}\n\n${how}\n\nThe selector picks **no** pod template in the workspace, so there is nothing to resolve.`,
      range: t.range,
    };
  const lines = templates
    .slice(0, MAX_TEMPLATES)
    .map(tp => `- ${linkTo(ws, tp.owner, `${tp.owner.kind} ${tp.owner.name}`)}: ${resolution(tp, port, target)}`);
  if (templates.length > MAX_TEMPLATES) lines.push(`- … ${templates.length - MAX_TEMPLATES} more pod templates`);
  const md = `${head}\n\n${how}\n\nIn the ${templates.length === 1 ? 'pod template' : `${templates.length} pod templates`} the selector picks:\n\n${lines.join('\n')}`;
  return { markdown: md, range: t.range };
}

/** How one template answers the target: the container and port, or why nothing does. */
function resolution(tp: PodTemplate, port: ServicePort, target: number | string): string {
  const running = tp.containers.filter(c => c.role !== 'init');
  const all = running.flatMap(c => c.ports.map(p => ({ container: c.name, p })));
  const at = (e: (typeof all)[number]) =>
    `container ${code(e.container)} ${e.p.name ? `port ${code(e.p.name)} ` : ''}→ containerPort ${code(e.p.containerPort ?? '?')}/${text(e.p.protocol)}`;
  if (typeof target === 'string') {
    const hit = all.find(e => e.p.name === target && e.p.protocol === port.protocol && e.p.containerPort);
    if (hit) return at(hit);
    const otherProtocol = all.find(e => e.p.name === target && e.p.containerPort);
    if (otherProtocol)
      return `**unresolved** — ${code(target)} is ${text(otherProtocol.p.protocol)} in container ${code(otherProtocol.container)}, the Service port is ${text(port.protocol)}; these pods get no endpoint`;
    return `**unresolved** — no container declares a port named ${code(target)}; these pods get no endpoint`;
  }
  const declared = all.find(e => e.p.containerPort === target && e.p.protocol === port.protocol);
  if (declared) return at(declared);
  return `${code(target)}/${text(port.protocol)} is **undeclared** — no container lists it; it works only if a process listens there`;
}

registerHoverProvider(targetPortHover);
