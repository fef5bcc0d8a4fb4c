import { openCliProject } from './workspace';
import { UNIT_OPTIONS, pickUnits } from './units';
import { CONFIG_OPTION, EXIT, displayPath, formatOption } from './command';
import type { CliIo, CommandSpec } from './command';
import type { Workspace } from '../engine';
import { getPlanAnalysis, formatIp } from '../engine/plan';
import type { AddressPlan, PlanEntry } from '../engine/plan';
import type { ParsedArgs } from './args';

interface Row {
  range: string;
  family: 4 | 6;
  role: string;
  component: string;
  label: string;
  origin: string;
  file?: string;
  line?: number;
  column?: number;
  scope?: string;
  first: string;
  last: string;
  blockMask?: number;
  note?: string;
  written?: string;
}

function rowOf(ws: Workspace, e: PlanEntry, label: (f: string) => string): Row {
  const file = e.source ? ws.file(e.source.fileId) : undefined;
  const pos = file && e.source ? file.locator.rangeOf(e.source.anchor).start : undefined;
  return {
    range: e.cidr.network,
    family: e.cidr.family,
    role: e.role,
    component: e.component,
    label: e.label,
    origin: e.origin,
    file: e.source ? label(e.source.fileId) : undefined,
    line: pos ? pos.line + 1 : undefined,
    column: pos ? pos.character + 1 : undefined,
    scope: e.scope ? label(e.scope) : undefined,
    first: formatIp(e.cidr.family, e.cidr.first),
    last: formatIp(e.cidr.family, e.cidr.last),
    blockMask: e.blockMask,
    note: e.note,
    written: e.cidr.text !== e.cidr.network ? e.cidr.text : undefined,
  };
}

export function planJson(ws: Workspace, plan: AddressPlan, label: (f: string) => string, problems: string[]) {
  const row = (e: PlanEntry) => rowOf(ws, e, label);
  return {
    entries: plan.entries.map(row),
    effective: {
      podCIDRs: plan.podCIDRs.map(e => e.cidr.network),
      serviceCIDRs: plan.serviceCIDRs.map(e => e.cidr.network),
    },
    nodeMask: {
      ipv4: plan.nodeMask.ipv4.value,
      ipv6: plan.nodeMask.ipv6.value,
      ipv4Origin: plan.nodeMask.ipv4.origin,
      ipv6Origin: plan.nodeMask.ipv6.origin,
    },
    clusterDomain: { value: plan.clusterDomain.value, origin: plan.clusterDomain.origin },
    cni: plan.cni.map(m => ({ plugin: m.plugin, bridge: m.bridge, encapsulation: m.encapsulation, origin: m.origin })),
    clusterDefinitions: plan.scopes.map(label),
    settingsProblems: problems,
  };
}

async function runPlan(args: ParsedArgs, { out, err }: CliIo): Promise<number> {
  const format = args.options.format ?? 'text';
  const { project, paths } = await openCliProject(args, { out, err });
  // Cluster network configuration usually sits among the plain files; else the largest unit.
  const ws = pickUnits(project, args.options.unit, paths).sort(
    (a, b) => Number(b.kind === 'plain') - Number(a.kind === 'plain') || b.objectCount() - a.objectCount(),
  )[0].ws;
  const { plan, settings } = getPlanAnalysis(ws);
  const label = (f: string) => displayPath(f);
  for (const p of settings.problems) err(`kube-netlint: ${p}`);
  const data = planJson(ws, plan, label, settings.problems);
  if (format === 'json') {
    out(JSON.stringify(data, null, 2));
    return EXIT.ok;
  }
  const roles: PlanEntry['role'][] = ['pod', 'service', 'node', 'docker-bridge', 'docker-pool', 'cni', 'multus'];
  const rows = [...data.entries].sort(
    (a, b) => roles.indexOf(a.role as PlanEntry['role']) - roles.indexOf(b.role as PlanEntry['role']),
  );
  const width = Math.max(5, ...rows.map(r => r.range.length));
  const roleWidth = Math.max(4, ...rows.map(r => r.role.length));
  out(`${'RANGE'.padEnd(width)}  ${'ROLE'.padEnd(roleWidth)}  ${'ORIGIN'.padEnd(8)}  SOURCE`);
  for (const r of rows) {
    const src = r.file ? `${r.file}:${r.line}` : r.origin === 'setting' ? '.kube-netlint.yaml plan' : '-';
    const written = r.written ? ` (written ${r.written})` : '';
    const blocks = r.blockMask !== undefined ? ` [blocks /${r.blockMask}]` : '';
    const columns = `${r.range.padEnd(width)}  ${r.role.padEnd(roleWidth)}  ${r.origin.padEnd(8)}`;
    out(`${columns}  ${src}  ${r.label}${written}${blocks}`);
  }
  out('');
  out(`pod CIDR: ${data.effective.podCIDRs.join(', ')}   service CIDR: ${data.effective.serviceCIDRs.join(', ')}`);
  const { nodeMask: m, clusterDomain: d } = data;
  out(
    `node mask: /${m.ipv4} (${m.ipv4Origin}) IPv4, /${m.ipv6} (${m.ipv6Origin}) IPv6   ` +
      `cluster domain: ${d.value} (${d.origin})`,
  );
  const cni = (c: (typeof data.cni)[number]) =>
    `${c.plugin}${c.bridge ? ` bridge ${c.bridge}` : ''} ${c.encapsulation} (${c.origin})`;
  if (data.cni.length) out(`CNI: ${data.cni.map(cni).join('; ')}`);
  if (data.clusterDefinitions.length > 1)
    out(`cluster definitions (compared separately): ${data.clusterDefinitions.join(', ')}`);
  return EXIT.ok;
}

export const PLAN: CommandSpec = {
  name: 'plan',
  summary: 'print the merged cluster address plan',
  synopsis: '[paths...] [options]',
  description: [
    'Prints the merged cluster address plan: every range with its role, source file:line and whether',
    'it is declared, a user setting (plan.* in .kube-netlint.yaml), a default or assumed. The plan is',
    "one unit's (--unit NAME, a file argument's unit, else the unit with the most objects, the plain",
    'files first).',
  ].join('\n'),
  options: [formatOption(['text', 'json']), CONFIG_OPTION, ...UNIT_OPTIONS],
  run: runPlan,
};
