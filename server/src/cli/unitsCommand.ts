import * as path from 'node:path';
import { readCliConfig } from './workspace';
import { parseArgs, UsageError } from './args';
import { UNIT_OPTIONS, UNIT_USAGE, openProject } from './units';

export const UNITS_USAGE = `kube-netlint units [paths...] [--format text|json] [--config FILE]
  Lists the analysis units: each Kustomize root, each Helm chart per values set, each group
  declared under units: in .kube-netlint.yaml, and the remaining plain files. Objects of one
  unit see each other; objects of different units never do.
  Exit code: 0, or 2 on usage or internal failure.
${UNIT_USAGE}`;

export async function runUnits(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const args = parseArgs(argv, { format: 'string', config: 'string', ...UNIT_OPTIONS });
  const format = args.options.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not ${format}`);
  const paths = args.positionals.length ? args.positionals : ['.'];
  const config = readCliConfig(paths, args.options.config, err);
  const project = await openProject(paths, config, args, err);
  const label = (f: string) => path.relative(process.cwd(), f) || f;
  const rows = project.units().map(u => ({
    name: u.name,
    kind: u.kind,
    state: u.state,
    files: [...u.members].map(label),
    objects: u.objectCount(),
  }));
  if (format === 'json') {
    out(JSON.stringify(rows, null, 2));
    return 0;
  }
  const w = Math.max(4, ...rows.map(r => r.name.length));
  out(`${'UNIT'.padEnd(w)}  ${'KIND'.padEnd(9)}  ${'STATE'.padEnd(9)}  FILES  OBJECTS`);
  for (const r of rows)
    out(
      `${r.name.padEnd(w)}  ${r.kind.padEnd(9)}  ${r.state.padEnd(9)}  ${String(r.files.length).padStart(5)}  ${String(r.objects).padStart(7)}`,
    );
  return 0;
}
