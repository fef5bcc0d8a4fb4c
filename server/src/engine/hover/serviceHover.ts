import type { Workspace } from '../workspace';
import { registerHoverProvider, HoverResult } from './index';
import { hoverTarget, startsWith } from './at';
import { proxySettings, serviceProxy } from '../netfilter';
import {
  dnsLines,
  endpointTable,
  explainPort,
  explainSkipped,
  portRulesText,
  settingsLine,
} from '../netfilter/explain';
import { codeBlock, codeSpan as code, escapeText } from '../text/markdown';

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

/** At most this many rule lines in a hover; the full set is one command away. */
const MAX_RULE_LINES = 60;

export function serviceHover(ws: Workspace, fileId: string, offset: number): HoverResult | undefined {
  const t = hoverTarget(ws, fileId, offset);
  if (!t || t.resource.kind !== 'Service') return undefined;
  const rel = t.rel;
  const onSelectorKey = rel.length === 2 && rel[0] === 'spec' && rel[1] === 'selector';
  if (!onSelectorKey && !STORY_PATHS.some(p => startsWith(rel, p))) return undefined;
  const svc = ws.cluster.facts.get(t.resource.id)?.service;
  if (!svc) return undefined;
  const s = proxySettings(ws);
  const mode = s.mode;
  const sp = serviceProxy(ws, svc, s);
  const portIndex = rel[0] === 'spec' && rel[1] === 'ports' && typeof rel[2] === 'number' ? rel[2] : undefined;
  const ports = sp.ports.filter(p => portIndex === undefined || p.port.index === portIndex);
  const md: string[] = [`### Service ${code(`${sp.namespace}/${sp.name}`)} — what kube-proxy does (${mode} mode)`];
  if (sp.skipped) {
    md.push(explainSkipped(sp), '**DNS**', ...dnsLines(svc, s).map(l => `- ${l}`));
    return { markdown: md.join('\n\n'), range: t.range };
  }
  for (const p of ports) {
    md.push(...explainPort(p, s, mode));
    const table = endpointTable(p, mode);
    if (table.length) md.push(table.join('\n'));
  }
  md.push(
    '**DNS**\n\n' +
      dnsLines(svc, s, sp.ports[0]?.clusterIP.value)
        .map(l => `- ${l}`)
        .join('\n'),
  );
  const notes = [...new Set(ports.flatMap(p => p.notes))].map(escapeText);
  md.push('**Facts and assumptions**\n\n' + [...notes, settingsLine(s, mode)].map(l => `- ${l}`).join('\n'));
  let rules = ports.map(p => portRulesText(p, s, mode)).join('\n');
  const lines = rules.split('\n');
  if (lines.length > MAX_RULE_LINES)
    rules = [
      ...lines.slice(0, MAX_RULE_LINES),
      `# … ${lines.length - MAX_RULE_LINES} more lines: run "kube-netlint: Show kube-proxy rules"`,
    ].join('\n');
  // One fence language for every mode: the iptables grammar also knows nft and ipvsadm lines.
  // Rule comments quote workspace names, so the fence must outgrow any backticks in them.
  md.push(codeBlock(rules, 'iptables'));
  return { markdown: md.join('\n\n'), range: t.range };
}

registerHoverProvider(serviceHover);
