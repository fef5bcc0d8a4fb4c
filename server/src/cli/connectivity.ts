import type { Workspace } from '../engine';
import {
  Connections,
  ConnectivityFormat,
  ConnectivityModel,
  Endpoint,
  FORMATS,
  SourceRef,
  connectivityOf,
  diffConnections,
  explanationJson,
  formatChange,
  formatConnections,
  formatExplanation,
} from '../engine/connectivity';
import { parseArgs, UsageError } from './args';
import type { OptionSpec } from './args';
import { UNIT_OPTIONS, openProject, pickUnits } from './units';
import { CONFIG_OPTION, displayPath, formatOption, pathArguments } from './command';
import type { CliIo, CommandSpec } from './command';
import { openCliProject, readCliConfig } from './workspace';

type Out = (s: string) => void;

/** `--explain SRC DST [PORT]` takes two or three values; the rest of argv is parsed as usual. */
function takeExplain(argv: string[]): { rest: string[]; explain?: { src: string; dst: string; port?: string } } {
  const i = argv.indexOf('--explain');
  if (i < 0) return { rest: argv };
  const src = argv[i + 1];
  const dst = argv[i + 2];
  if (!src || !dst || src.startsWith('--') || dst.startsWith('--'))
    throw new UsageError('--explain needs a source and a destination');
  const maybePort = argv[i + 3];
  const port = maybePort && Connections.parsePort(maybePort) ? maybePort : undefined;
  const rest = [...argv.slice(0, i), ...argv.slice(i + (port ? 4 : 3))];
  return { rest, explain: { src, dst, port } };
}

const OPTIONS: OptionSpec[] = [
  formatOption(FORMATS, "output format (default txt, np-guard netpol-analyzer's list format)"),
  {
    name: 'focus-workload',
    value: 'WORKLOAD',
    help: 'only connections from or to WORKLOAD (ns/name[Kind], ns/name or name)',
  },
  {
    name: 'explain',
    value: 'SRC DST [PORT[/PROTO]]',
    help: 'why SRC may or may not reach DST: per direction, the deciding policies and rules with file:line',
  },
  {
    name: 'diff',
    value: 'OTHER_PATH',
    help: 'connections added (+), removed (-) and changed (~) from the tree at OTHER_PATH to the given paths',
  },
  CONFIG_OPTION,
  ...UNIT_OPTIONS,
];

async function runConnectivity(argv: readonly string[], { out, err }: CliIo): Promise<number> {
  const { rest, explain } = takeExplain([...argv]);
  const args = parseArgs(
    rest,
    OPTIONS.filter(o => o.name !== 'explain'),
  );
  const format = (args.options.format ?? 'txt') as ConnectivityFormat;
  const { project, paths } = await openCliProject(args, { out, err });
  const units = pickUnits(project, args.options.unit, paths);
  const label = (f: string) => displayPath(f);

  if (args.options.diff !== undefined) {
    const base = args.options.diff;
    const baseUnits = pickUnits(
      await openProject(pathArguments([base]), readCliConfig([base], args.options.config), args, err),
      args.options.unit,
      [base],
    );
    return runDiff(baseUnits, units, format, out);
  }

  const several = units.length > 1;
  const sections: string[] = [];
  const jsonOut: Record<string, unknown> = {};
  let single: unknown = [];
  for (const unit of units) {
    const model = connectivityOf(unit.ws);
    for (const w of model.warnings) err(`kube-netlint: ${unit.name}: ${w}`);
    if (explain) {
      const text = explainIn(unit.ws, model, explain, format, label);
      jsonOut[unit.name] = single = text.json;
      sections.push(several ? `# unit ${unit.name}\n${text.txt}` : text.txt);
      continue;
    }
    let focus: Endpoint[] | undefined;
    if (args.options['focus-workload'] !== undefined) {
      focus = model.findEndpoints(args.options['focus-workload']).filter(e => e.kind === 'workload');
      if (!focus.length) {
        if (several) continue;
        throw new UsageError(`no workload ${args.options['focus-workload']} in ${paths.join(' ')}`);
      }
    }
    const conns = model.connections({
      focus: focus?.map(e => (e as Extract<Endpoint, { kind: 'workload' }>).workload),
    });
    const text = formatConnections(model, conns, format);
    if (format === 'json') jsonOut[unit.name] = single = JSON.parse(text);
    else sections.push(several ? `# unit ${unit.name}\n${text}` : text);
  }
  if (format === 'json') {
    out(JSON.stringify(several ? jsonOut : single, null, 2));
  } else if (sections.length) out(sections.join('\n\n'));
  return 0;
}

function endpointOf(model: ConnectivityModel, text: string): Endpoint {
  const hits = model.findEndpoints(text);
  if (!hits.length) throw new UsageError(`no workload or address ${text}`);
  if (hits.length > 1)
    throw new UsageError(`${text} names ${hits.length} workloads: ${hits.map(h => model.endpointName(h)).join(', ')}`);
  return hits[0];
}

function explainIn(
  ws: Workspace,
  model: ConnectivityModel,
  q: { src: string; dst: string; port?: string },
  format: ConnectivityFormat,
  label: (f: string) => string,
): { txt: string; json: unknown } {
  const src = endpointOf(model, q.src);
  const dst = endpointOf(model, q.dst);
  const port = q.port ? Connections.parsePort(q.port)! : undefined;
  const e = model.explain(src, dst, port);
  const where = (ref: SourceRef) => {
    const r = ws.rangeIn(ref.fileId, ref.anchor);
    return `${label(ref.fileId)}:${r.start.line + 1}`;
  };
  const json = explanationJson(e, where);
  return { txt: format === 'json' ? JSON.stringify(json, null, 2) : formatExplanation(e, where, q.port), json };
}

function runDiff(
  baseUnits: ReturnType<typeof pickUnits>,
  headUnits: ReturnType<typeof pickUnits>,
  format: ConnectivityFormat,
  out: Out,
): number {
  // Units pair by name; a unit on one side only is compared with nothing.
  const names = [...new Set([...baseUnits.map(u => u.name), ...headUnits.map(u => u.name)])].sort();
  const several = names.length > 1;
  let changes = 0;
  const lines: string[] = [];
  const json: unknown[] = [];
  for (const name of names) {
    const b = baseUnits.find(u => u.name === name) ?? (names.length === 1 ? baseUnits[0] : undefined);
    const h = headUnits.find(u => u.name === name) ?? (names.length === 1 ? headUnits[0] : undefined);
    const diff = diffConnections(
      b ? connectivityOf(b.ws).connections() : [],
      h ? connectivityOf(h.ws).connections() : [],
    );
    changes += diff.length;
    if (format === 'json')
      for (const c of diff)
        json.push({
          ...(several ? { unit: name } : {}),
          diff: c.kind,
          src: c.src,
          dst: c.dst,
          network: c.network,
          before: c.before.toString(),
          after: c.after.toString(),
        });
    else {
      if (several && diff.length) lines.push(`# unit ${name}`);
      lines.push(...diff.map(formatChange));
    }
  }
  if (format === 'json') out(JSON.stringify(json, null, 2));
  else if (lines.length) out(lines.join('\n'));
  return changes ? 1 : 0;
}

export const CONNECTIVITY: CommandSpec = {
  name: 'connectivity',
  summary: 'list the connections the policies allow between workloads',
  synopsis: '[paths...] [options]',
  description: [
    'Lists every connection the policies allow between workloads (pods grouped by owner,',
    'ns/name[Kind]), address ranges outside the cluster (first-last[External]) and the ingress',
    'controller ({ingress-controller}, through Ingress and Route objects), per protocol and port,',
    'under NetworkPolicy, AdminNetworkPolicy and BaselineAdminNetworkPolicy.',
    "--format txt is np-guard netpol-analyzer's list format, line for line:",
    '    src => dst : All Connections | TCP 80,443,8080-8090,UDP 53',
  ].join('\n'),
  options: OPTIONS,
  exit1: 'with --diff: the connectivity differs',
  run: () => {
    throw new Error('connectivity parses its own arguments (runArgv)');
  },
  runArgv: runConnectivity,
};
