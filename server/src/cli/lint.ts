import { openWorkspace } from './workspace';
import type { LocatedDiagnostic } from '../engine';
import { parseArgs, UsageError } from './args';

export const LINT_USAGE = `kube-netlint [paths...] [--format text|json] [--config FILE]
  Lints every YAML (and CNI JSON) file below the given paths as one workspace.
  Exit code: 0 no error-severity finding, 1 at least one, 2 usage or internal failure.`;

export function runLint(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  const args = parseArgs(argv, { format: 'string', config: 'string' });
  const format = args.options.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not ${format}`);
  const paths = args.positionals.length ? args.positionals : ['.'];
  const ws = openWorkspace(paths, args.options.config, err);
  const all: LocatedDiagnostic[] = [];
  for (const f of ws.fileIds()) all.push(...ws.diagnostics(f));
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
