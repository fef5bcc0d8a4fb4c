import * as path from 'node:path';
import { readCliConfig } from './workspace';
import { UNIT_OPTIONS, openProject, pickUnits } from './units';
import { tracePath, renderText, EntryError } from '../engine/path';
import { parseArgs, UsageError } from './args';

export const TRACE_USAGE = `kube-netlint trace [paths...] --from <entry> [--to <destination>] [--format text|json] [--config FILE]
                   [--unit NAME]
  Traces a packet through the virtual cluster, hop by hop, from an entry to the containers.
  Entries: ingress:<host>/<path>, gateway:<ns>/<gateway>/<host>/<path>, nodeport:<port>,
           lb:<ip>|lb:<ns>/<service>[:<port>], externalip:<ip>[:<port>], pod:<ns>/<workload>,
           container:<ns>/<workload>/<container>
  Destinations (--to): <service>[.<ns>[.svc.cluster.local]]:<port>, localhost:<port>
    (after an ingress/gateway/nodeport/lb entry, --to continues from the pod that received the packet)
  The trace runs in one analysis unit: --unit NAME, the unit of a file argument, else the first
  unit in which the entry exists.
  Exit code: 0 the path completes, 1 it is broken, 2 usage or internal failure.`;

export async function runTrace(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const args = parseArgs(argv, { from: 'string', to: 'string', format: 'string', config: 'string', ...UNIT_OPTIONS });
  const format = args.options.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not ${format}`);
  const from = args.options.from;
  if (!from) throw new UsageError('--from <entry> is required');
  const paths = args.positionals.length ? args.positionals : ['.'];
  const config = readCliConfig(paths, args.options.config, err);
  const project = await openProject(paths, config, args, err);
  let model;
  let failure: EntryError | undefined;
  for (const unit of pickUnits(project, args.options.unit, paths)) {
    try {
      model = tracePath(unit.ws, { from, to: args.options.to });
      break;
    } catch (e) {
      if (!(e instanceof EntryError)) throw e;
      failure ??= e;
    }
  }
  if (!model) throw new UsageError(failure?.message ?? `no unit to trace ${from} in`);
  if (format === 'json') out(JSON.stringify(model, null, 2));
  else out(renderText(model, { fileLabel: f => path.relative(process.cwd(), f) || f }));
  return model.status === 'ok' ? 0 : 1;
}
