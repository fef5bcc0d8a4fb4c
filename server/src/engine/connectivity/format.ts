/**
 * Output formats of a connection list. `txt` is netpol-analyzer's `list` output, line for line
 * (`src => dst : connections`, sorted; grouped under network headers when the unit declares
 * user-defined networks or attachments), so the two tools can be compared with diff.
 */
import type { Connection, ConnectivityModel } from './model';

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

function line(c: Connection): string {
  return `${c.srcName} => ${c.dstName} : ${c.connections.toString()}`;
}

function formatTxt(model: ConnectivityModel, conns: readonly Connection[]): string {
  void model;
  return conns.map(line).join('\n');
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
