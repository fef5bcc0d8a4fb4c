import * as path from 'node:path';
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
import { UNIT_OPTIONS, UNIT_USAGE, openProject, pickUnits } from './units';
import { readCliConfig } from './workspace';

export const CONNECTIVITY_USAGE = `kube-netlint connectivity [paths...] [--format txt|json|csv|md|dot] [--focus-workload WORKLOAD]
                          [--explain SRC DST [PORT[/PROTO]]] [--diff OTHER_PATH] [--config FILE] [--unit NAME]
  Lists every connection the policies allow between workloads (pods grouped by owner,
  ns/name[Kind]), address ranges outside the cluster (first-last[External]) and the ingress
  controller ({ingress-controller}, through Ingress and Route objects), per protocol and port,
  under NetworkPolicy, AdminNetworkPolicy and BaselineAdminNetworkPolicy.
  --format txt is np-guard netpol-analyzer's list format, line for line:
      src => dst : All Connections | TCP 80,443,8080-8090,UDP 53
  --focus-workload  only connections from or to WORKLOAD (ns/name[Kind], ns/name or name)
  --explain SRC DST [PORT/PROTO]
                    why SRC may or may not reach DST: per direction, the deciding policies
                    and rules with file:line (PORT defaults to every port; PROTO to TCP)
  --diff OTHER_PATH connections added (+), removed (-) and changed (~) from the tree at
                    OTHER_PATH (the base) to the given paths (the head)
${UNIT_USAGE}
  Exit code: 0; with --diff 1 when the connectivity differs; 2 usage or internal failure.`;

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

export async function runConnectivity(argv: string[], out: Out, err: Out): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    out(CONNECTIVITY_USAGE);
    return 0;
  }
  const { rest, explain } = takeExplain(argv);
  const args = parseArgs(rest, {
    format: 'string',
    'focus-workload': 'string',
    diff: 'string',
    config: 'string',
    ...UNIT_OPTIONS,
  });
  const format = (args.options.format ?? 'txt') as ConnectivityFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not ${format}`);
  const paths = args.positionals.length ? args.positionals : ['.'];
  const config = readCliConfig(paths, args.options.config, err);
  const units = pickUnits(await openProject(paths, config, args, err), args.options.unit, paths);
  const label = (f: string) => path.relative(process.cwd(), f) || f;

  if (args.options.diff !== undefined) {
    const base = args.options.diff;
    const baseUnits = pickUnits(
      await openProject([base], readCliConfig([base], args.options.config, err), args, err),
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
