import { readCliConfig } from './workspace';
import type { LocatedDiagnostic } from '../engine';
import { parseArgs, UsageError } from './args';
import { UNIT_OPTIONS, openProject, pickUnits } from './units';

export const LINT_USAGE = `kube-netlint [paths...] [--format text|json] [--config FILE] [--unit NAME]
  Lints every YAML (and CNI JSON) file below the given paths, each analysis unit (see
  kube-netlint units) as one cluster; --unit NAME lints that unit only.
  Exit code: 0 no error-severity finding, 1 at least one, 2 usage or internal failure.`;

export async function runLint(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const args = parseArgs(argv, { format: 'string', config: 'string', ...UNIT_OPTIONS });
  const format = args.options.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not ${format}`);
  const paths = args.positionals.length ? args.positionals : ['.'];
  const config = readCliConfig(paths, args.options.config, err);
  const project = await openProject(paths, config, args, err);
  const all: LocatedDiagnostic[] = [];
  if (args.options.unit !== undefined) {
    const [unit] = pickUnits(project, args.options.unit, paths);
    for (const f of project.fileIds()) if (unit.members.has(f)) all.push(...unit.diagnosticsFor(f));
  } else {
    for (const f of project.fileIds()) all.push(...project.diagnostics(f));
  }
  if (format === 'json') {
    out(
      JSON.stringify(
        all.map(d => ({ file: d.fileId, range: d.range, severity: d.severity, code: d.code, message: d.message })),
        null,
        2,
      ),
    );
  } else {
    for (const d of all)
      out(`${d.fileId}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`);
    if (all.length === 0) err('kube-netlint: no findings');
  }
  return all.some(d => d.severity === 'error') ? 1 : 0;
}
