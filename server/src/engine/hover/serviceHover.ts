import type { Workspace } from '../workspace';
import { registerHoverProvider, HoverLink, HoverOptions, HoverResult, linksLine } from './index';
import { hoverTarget, startsWith } from './at';
import { proxySettings, serviceProxy } from '../netfilter';
import type { ProxyMode, ServicePortProxy } from '../netfilter';
import { dnsLines, endpointTable, explainPort, explainSkipped, settingsLine } from '../netfilter/explain';
import { effectiveTargetPort } from '../model/service';
import { SHOW_PROXY_RULES_COMMAND } from '../codelens/proxyRulesLens';
import { PREVIEW_TRAFFIC_PATH_COMMAND, serviceTraceTarget } from '../codelens/tracePathLens';
import { codeSpan as code, escapeText } from '../text/markdown';

/** Fields of a Service whose hover tells the kube-proxy story (the selector entries have their own hover). */
const STORY_PATHS: (string | number)[][] = [
  ['kind'],
  ['metadata', 'name'],
  ['spec', 'type'],
  ['spec', 'ports'],
  ['spec', 'externalTrafficPolicy'],
  ['spec', 'internalTrafficPolicy'],
  ['spec', 'sessionAffinity'],
  ['spec', 'sessionAffinityConfig'],
  ['spec', 'clusterIP'],
  ['spec', 'externalIPs'],
  ['spec', 'loadBalancerIP'],
  ['spec', 'loadBalancerSourceRanges'],
  ['spec', 'healthCheckNodePort'],
];

/** Port lines in the summary; with the heading, DNS and links it stays within 12 lines. */
const SUMMARY_PORTS = 6;

/**
 * The Service hover: a summary of at most 12 lines (one line per port, DNS, links to the rules
 * view and the path preview), then the packet story per port. The rules themselves live in the
 * rules view: in the hover they pushed everything else out of sight.
 */
export function serviceHover(
  ws: Workspace,
  fileId: string,
  offset: number,
  opts: HoverOptions = {},
): HoverResult | undefined {
  const t = hoverTarget(ws, fileId, offset);
  if (!t || t.resource.kind !== 'Service') return undefined;
  const rel = t.rel;
  const onSelectorKey = rel.length === 2 && rel[0] === 'spec' && rel[1] === 'selector';
  if (!onSelectorKey && !STORY_PATHS.some(p => startsWith(rel, p))) return undefined;
  // A targetPort has its own hover: how it resolves in each selected pod (targetPortHover.ts).
  if (rel[1] === 'ports' && rel[3] === 'targetPort') return undefined;
  const svc = ws.cluster.facts.get(t.resource.id)?.service;
  if (!svc) return undefined;
  const s = proxySettings(ws);
  const mode = s.mode;
  const sp = serviceProxy(ws, svc, s);
  const portIndex = rel[0] === 'spec' && rel[1] === 'ports' && typeof rel[2] === 'number' ? rel[2] : undefined;
  const ports = sp.ports.filter(p => portIndex === undefined || p.port.index === portIndex);
  const ref = `${sp.namespace}/${sp.name}`;
  const title = `### Service ${code(ref)} — ${escapeText(svc.type)}${svc.headless ? ', headless' : ''}, kube-proxy ${mode} mode`;

  const links: HoverLink[] = [];
  if (!sp.skipped)
    links.push({
      title: 'Show kube-proxy rules',
      command: SHOW_PROXY_RULES_COMMAND,
      arguments: [{ service: ref }],
      otherwise: `Rules: the "Show kube-proxy rules" code lens or ${code(`kube-netlint iptables --service ${ref}`)}`,
    });
  if (svc.ports.length) {
    const target = serviceTraceTarget(ws, fileId, svc, portIndex ?? 0);
    const cli = `kube-netlint trace${target.from ? ` --from ${target.from}` : ''}${target.to ? ` --to ${target.to}` : ''}`;
    links.push({
      title: 'Preview traffic path',
      command: PREVIEW_TRAFFIC_PATH_COMMAND,
      arguments: [target],
      otherwise: `Path: the "Preview traffic path" code lens${target.from ? ` or ${code(cli)}` : ''}`,
    });
  }

  const dns = dnsLines(svc, s, sp.ports[0]?.clusterIP.value);
  const summary = [title, ''];
  if (sp.skipped) summary.push(explainSkipped(sp));
  else {
    for (const p of ports.slice(0, SUMMARY_PORTS)) summary.push(`- ${portSummary(p, mode)}`);
    if (ports.length > SUMMARY_PORTS) summary.push(`- … ${ports.length - SUMMARY_PORTS} more ports below`);
  }
  summary.push(`- DNS: ${dns[0]}`);
  if (links.length) summary.push('', linksLine(links, opts));

  const details: string[] = [];
  if (sp.skipped) details.push('**DNS**\n\n' + dns.map(l => `- ${l}`).join('\n'));
  else {
    for (const p of ports) {
      details.push(...explainPort(p, s, mode));
      const table = endpointTable(p, mode);
      if (table.length) details.push(table.join('\n'));
    }
    details.push('**DNS**\n\n' + dns.map(l => `- ${l}`).join('\n'));
    const notes = [...new Set(ports.flatMap(p => p.notes))].map(escapeText);
    details.push('**Facts and assumptions**\n\n' + [...notes, settingsLine(s, mode)].map(l => `- ${l}`).join('\n'));
  }
  return { markdown: [summary.join('\n'), '---', ...details].join('\n\n'), range: t.range };
}

/** One port in one line: where it goes and how many endpoints share it. */
function portSummary(p: ServicePortProxy, mode: ProxyMode): string {
  const name = p.portName ? `${code(p.portName)} ` : '';
  const entries = [
    ...(p.nodePort ? [`nodePort ${code(p.nodePort.value)}`] : []),
    ...p.externalIPs.map(ip => `externalIP ${code(ip)}`),
    ...p.loadBalancerIPs.map(lb => `load balancer ${code(lb.value)}`),
  ];
  const head = `${name}${p.servicePort}/${p.protocol} → targetPort ${code(String(effectiveTargetPort(p.port)))}${entries.length ? ` (also ${entries.join(', ')})` : ''}`;
  if (!p.hasEndpoints) return `${head}: **no ready endpoints**, connections are refused`;
  const eps = p.internalPolicyLocal ? p.localEndpoints : p.clusterEndpoints;
  const chain =
    mode === 'ipvs'
      ? ''
      : ` through ${code(mode === 'nftables' ? (p.internalPolicyLocal ? p.nftChains.local : p.nftChains.service) : p.internalChain)}`;
  const source = p.endpointSource === 'illustrative' ? 'illustrative' : `from ${escapeText(p.endpointSource)}`;
  return `${head}: ${eps.length} endpoint${eps.length === 1 ? '' : 's'} (${source})${chain}`;
}

registerHoverProvider(serviceHover);
