import { openCliProject } from './workspace';
import { isConfigFile } from '../engine/config/analyzer';
import type { ParsedArgs } from './args';
import { UNIT_OPTIONS } from './units';
import { CONFIG_OPTION, EXIT, displayPath, formatOption } from './command';
import type { CliIo, CommandSpec } from './command';

async function runUnits(args: ParsedArgs, { out, err }: CliIo): Promise<number> {
  const format = args.options.format ?? 'text';
  const { project } = await openCliProject(args, { out, err });
  const label = (f: string) => displayPath(f);
  const rows = project.units().map(u => ({
    name: u.name,
    kind: u.kind,
    state: u.state,
    // The configuration file is read by every unit's analysis, but it holds none of its objects.
    files: [...u.members].filter(f => !isConfigFile(f)).map(label),
    objects: u.distinctObjectCount(),
  }));
  if (format === 'json') {
    out(JSON.stringify(rows, null, 2));
    return EXIT.ok;
  }
  const w = Math.max(4, ...rows.map(r => r.name.length));
  out(`${'UNIT'.padEnd(w)}  ${'KIND'.padEnd(9)}  ${'STATE'.padEnd(9)}  FILES  OBJECTS`);
  for (const r of rows)
    out(
      `${r.name.padEnd(w)}  ${r.kind.padEnd(9)}  ${r.state.padEnd(9)}  ` +
        `${String(r.files.length).padStart(5)}  ${String(r.objects).padStart(7)}`,
    );
  return EXIT.ok;
}

export const UNITS: CommandSpec = {
  name: 'units',
  summary: 'list the analysis units (Kustomize roots, Helm charts, groups, plain files)',
  synopsis: '[paths...] [options]',
  description: [
    'Lists the analysis units: each Kustomize root, each Helm chart per values set, each group',
    'declared under units: in .kube-netlint.yaml, and the remaining plain files. Objects of one',
    'unit see each other; objects of different units never do.',
  ].join('\n'),
  options: [formatOption(['text', 'json']), CONFIG_OPTION, ...UNIT_OPTIONS],
  run: runUnits,
};
