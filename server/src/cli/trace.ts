import { openCliProject } from './workspace';
import { UNIT_OPTIONS, pickUnits } from './units';
import { CONFIG_OPTION, EXIT, displayPath, formatOption } from './command';
import type { CliIo, CommandSpec } from './command';
import { tracePath, renderText, EntryError } from '../engine/path';
import { walkHops } from '../engine/path/model';
import { InputError, UsageError } from './args';
import type { ParsedArgs } from './args';

async function runTrace(args: ParsedArgs, io: CliIo): Promise<number> {
  const format = args.options.format ?? 'text';
  const from = args.options.from;
  if (!from) throw new UsageError('--from ENTRY is required');
  const { project, paths } = await openCliProject(args, io);
  let model;
  let failure: EntryError | undefined;
  // The first unit that has what the entry and destination name; a unit that lacks them only
  // answers when no unit has them (its trace says what is missing).
  let lacking;
  for (const unit of pickUnits(project, args.options.unit, paths)) {
    try {
      const m = tracePath(unit.ws, { from, to: args.options.to });
      if (walkHops(m).some(h => h.hop.missing)) {
        lacking ??= m;
        continue;
      }
      model = m;
      break;
    } catch (e) {
      if (!(e instanceof EntryError)) throw e;
      failure ??= e;
    }
  }
  model ??= lacking;
  if (!model) throw new InputError(failure?.message ?? `no unit to trace ${from} in`);
  if (format === 'json') io.out(JSON.stringify(model, null, 2));
  else io.out(renderText(model, { fileLabel: f => displayPath(f) }));
  // Naming a Service or workload the workspace lacks is an input error, as in `iptables --service`.
  const missing = walkHops(model).find(h => h.hop.missing)?.hop.missing;
  if (missing && model.status !== 'ok')
    throw new InputError(`no ${missing} in ${paths.map(p => displayPath(p)).join(', ')}`);
  return model.status === 'ok' ? EXIT.ok : EXIT.findings;
}

export const TRACE: CommandSpec = {
  name: 'trace',
  summary: "trace a packet's path hop by hop, from an entry to the containers",
  synopsis: '[paths...] --from ENTRY [--to DESTINATION] [options]',
  description: [
    'Traces a packet through the virtual cluster, hop by hop, from an entry to the containers.',
    '  Entries: ingress:<host>/<path>, gateway:<ns>/<gateway>/<host>/<path>, nodeport:<port>,',
    '           lb:<ip>|lb:<ns>/<service>[:<port>], externalip:<ip>[:<port>], pod:<ns>/<workload>,',
    '           container:<ns>/<workload>/<container>',
    '  Destinations (--to): <service>[.<ns>[.svc.cluster.local]]:<port>, localhost:<port>',
    '    (after an ingress/gateway/nodeport/lb entry, --to continues from the pod that received the packet)',
    'The trace runs in one analysis unit: --unit NAME, the unit of a file argument, else the first unit',
    'in which the entry exists. An entry or destination naming a Service, workload or container that',
    'does not exist is an input error (exit 2); the trace is still printed.',
  ].join('\n'),
  options: [
    { name: 'from', value: 'ENTRY', help: 'where the packet enters (required; see above)' },
    { name: 'to', value: 'DESTINATION', help: 'where a pod sends it (see above)' },
    formatOption(['text', 'json']),
    CONFIG_OPTION,
    ...UNIT_OPTIONS,
  ],
  exit1: 'the path is broken',
  run: runTrace,
};
