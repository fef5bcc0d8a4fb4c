/**
 * Output formats of a connection list. `txt` is netpol-analyzer's `list` output, line for line
 * (`src => dst : connections`, sorted; grouped under network headers when the unit declares
 * user-defined networks or attachments), so the two tools can be compared with diff.
 */
import type { Connection, ConnectivityModel, Explanation } from './model';
import type { Decision } from './evaluate';
import type { SourceRef } from './types';
import { displayPolicy } from './policies';

export type ConnectivityFormat = 'txt' | 'json' | 'csv' | 'md' | 'dot';
export const FORMATS: readonly ConnectivityFormat[] = ['txt', 'json', 'csv', 'md', 'dot'];

export function formatConnections(
  model: ConnectivityModel,
  conns: readonly Connection[],
  format: ConnectivityFormat,
): string {
  switch (format) {
    case 'txt':
      return formatTxt(model, conns);
    case 'json':
      return JSON.stringify(
        conns.map(c => ({ src: c.srcName, dst: c.dstName, conn: c.connections.toString(), network: c.network.name })),
        null,
        2,
      );
    case 'csv':
      return [
        'src,dst,conn',
        ...conns.map(c => [c.srcName, c.dstName, c.connections.toString()].map(csvCell).join(',')),
      ].join('\n');
    case 'md':
      return [
        '| src | dst | conn |',
        '|-----|-----|------|',
        ...conns.map(c => `| ${mdCell(c.srcName)} | ${mdCell(c.dstName)} | ${mdCell(c.connections.toString())} |`),
      ].join('\n');
    case 'dot':
      return formatDot(conns);
  }
}

/**
 * A workload's name in a network section: on a primary UDN netpol-analyzer writes the namespace
 * as `ns[udn]` (a CUDN spans namespaces and keeps them plain).
 */
export function nameIn(c: Connection, side: 'src' | 'dst'): string {
  const e = side === 'src' ? c.src : c.dst;
  const name = side === 'src' ? c.srcName : c.dstName;
  if (e.kind === 'workload' && c.network.resource === 'UDN')
    return `${e.workload.namespace}[udn]/${e.workload.name}[${e.workload.kind}]`;
  return name;
}

function sortedLines(conns: readonly Connection[]): string[] {
  return conns
    .map(c => ({ src: nameIn(c, 'src'), dst: nameIn(c, 'dst'), conn: c.connections.toString() }))
    .sort((a, b) => cmp(a.src, b.src) || cmp(a.dst, b.dst))
    .map(x => `${x.src} => ${x.dst} : ${x.conn}`);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const HEADER = 'Permitted connectivity analyzed in';

function formatTxt(model: ConnectivityModel, conns: readonly Connection[]): string {
  const pod: Connection[] = [];
  const sections = new Map<string, { title: string; conns: Connection[] }>();
  for (const c of conns) {
    if (c.network.resource === 'pod-network') {
      pod.push(c);
      continue;
    }
    const title =
      c.network.resource === 'NAD'
        ? `secondary NAD ${c.network.name}`
        : `primary ${c.network.resource} ${c.network.name}`;
    // UDN sections first, then CUDN, then NAD; by name within each.
    const order = c.network.resource === 'UDN' ? 0 : c.network.resource === 'CUDN' ? 1 : 2;
    const key = `${order}\u0000${c.network.name}`;
    const s = sections.get(key);
    if (s) s.conns.push(c);
    else sections.set(key, { title, conns: [c] });
  }
  const out: string[] = [];
  if (sections.size) {
    out.push(`${HEADER} Pod network:`);
    if (!pod.length && model.multiNetwork) {
      const onPodNetwork = model.workloads.some(
        w => (model.networks.get(w.id)?.primary.resource ?? 'pod-network') === 'pod-network',
      );
      out.push(
        onPodNetwork
          ? 'All connections are not allowed for the workloads in the pod-network'
          : 'all input workloads are configured with (C)UDN as their primary network interface',
      );
    }
  }
  out.push(...sortedLines(pod));
  for (const key of [...sections.keys()].sort(cmp)) {
    const s = sections.get(key)!;
    out.push('', `${HEADER} ${s.title}:`, ...sortedLines(s.conns));
  }
  if (model.multiNetwork && model.workloads.length) {
    out.push('', 'Workload-to-Networks Mapping:');
    for (const w of model.workloads) {
      const n = model.networksOf(w.id);
      const p = n.primary;
      out.push(
        `${w.id}: `,
        `\tPrimary Network: ${!p || p.resource === 'pod-network' ? 'pod-network' : `${p.name}[${p.resource}]`}`,
      );
      if (n.secondary.length) out.push(`\tSecondary Networks: ${n.secondary.map(x => `${x.name}[NAD]`).join(',')}`);
    }
  }
  return out.join('\n');
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

function formatDot(conns: readonly Connection[]): string {
  const nodes = new Set<string>();
  for (const c of conns) nodes.add(c.srcName).add(c.dstName);
  const id = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const lines = ['digraph {'];
  for (const n of [...nodes].sort()) {
    const external = n.endsWith('[External]');
    lines.push(
      `\t${id(n)} [label=${id(n)} color=${external ? 'red2' : 'blue'} fontcolor=${external ? 'red2' : 'blue'}]`,
    );
  }
  for (const c of conns)
    lines.push(
      `\t${id(c.srcName)} -> ${id(c.dstName)} [label=${id(c.connections.toString())} color=gold2 fontcolor=darkgreen]`,
    );
  lines.push('}');
  return lines.join('\n');
}

/** `file:line` for a source reference (the CLI passes one relative to the working directory). */
export type WhereOf = (ref: SourceRef) => string;

function decisionLines(d: Decision, where: WhereOf): string[] {
  const out = [`  ${d.connections.toString()}: ${d.text}${d.rule ? ` (${where(d.rule.source)})` : ''}`];
  if (d.isolatedBy)
    for (const p of d.isolatedBy) out.push(`      isolating policy ${displayPolicy(p)} (${where(p.subjectSource)})`);
  return out;
}

/** An explanation as text: the verdict, then each direction's deciding policies and rules with file:line. */
export function formatExplanation(e: Explanation, where: WhereOf, port?: string): string {
  const lines = [`${e.src} => ${e.dst}${port ? ` on ${port}` : ''}: ${e.allowed.toString()}`];
  if (e.isolation) lines.push(`  ${e.isolation}`);
  lines.push('', `Egress (the policies selecting ${e.egress.subject}): ${e.egress.allowed.toString()}`);
  for (const d of e.egress.decisions) lines.push(...decisionLines(d, where));
  lines.push('', `Ingress (the policies selecting ${e.ingress.subject}): ${e.ingress.allowed.toString()}`);
  for (const d of e.ingress.decisions) lines.push(...decisionLines(d, where));
  if (e.exposure) {
    lines.push('', `Exposed to the ingress controller on ${e.exposure.connections.toString()} by:`);
    for (const v of e.exposure.via) lines.push(`  ${v.object} → Service ${v.service} (${where(v.source)})`);
  }
  return lines.join('\n');
}

/** An explanation as plain data (JSON output), sources as `file:line`. */
export function explanationJson(e: Explanation, where: WhereOf): unknown {
  const dir = (x: Explanation['egress']) => ({
    subject: x.subject,
    allowed: x.allowed.toString(),
    decisions: x.decisions.map(d => ({
      connections: d.connections.toString(),
      verdict: d.verdict,
      tier: d.tier,
      policy: d.policy ? displayPolicy(d.policy) : undefined,
      rule: d.rule ? { index: d.rule.index + 1, name: d.rule.name, source: where(d.rule.source) } : undefined,
      isolatedBy: d.isolatedBy?.map(p => ({ policy: displayPolicy(p), source: where(p.subjectSource) })),
      text: d.text,
    })),
  });
  return {
    src: e.src,
    dst: e.dst,
    allowed: e.allowed.toString(),
    isolation: e.isolation,
    egress: dir(e.egress),
    ingress: dir(e.ingress),
    exposure: e.exposure && {
      connections: e.exposure.connections.toString(),
      via: e.exposure.via.map(v => ({ object: v.object, service: v.service, source: where(v.source) })),
    },
  };
}
