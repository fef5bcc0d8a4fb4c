import type { LocatedDiagnostic, Severity } from '../engine';
import { openCliProject } from './workspace';
import { pickUnits, UNIT_OPTIONS } from './units';
import { CONFIG_OPTION, EXIT, displayPath, formatOption } from './command';
import type { CommandSpec } from './command';
import { toSarif } from './sarif';
import { toGithub } from './github';
import { version } from './io';

const FAIL_ON = ['error', 'warning', 'info'] as const;
type FailOn = (typeof FAIL_ON)[number];

/** Whether a finding reaches the --fail-on threshold; hints never do. */
export function reaches(severity: Severity, failOn: FailOn): boolean {
  const rank: Record<Severity, number> = { error: 3, warning: 2, information: 1, hint: 0 };
  return rank[severity] >= { error: 3, warning: 2, info: 1 }[failOn];
}

export const LINT: CommandSpec = {
  name: 'lint',
  summary: 'lint the manifests (the default command)',
  synopsis: '[paths...] [options]',
  description: [
    'Lints every manifest below the given paths (default: the working directory); each analysis',
    'unit (see kube-netlint units) is one cluster, so a Service in one file sees the Deployment in',
    'another. Formats:',
    '  text    file:line:col severity rule-id message (1-based), paths relative to the working directory',
    '  json    [{"file", "range": {"start": {"line", "character"}, "end"}, "severity", "code", "message"}]',
    '          with 0-based LSP positions',
    '  sarif   SARIF 2.1.0 for code scanning (github/codeql-action/upload-sarif)',
    '  github  GitHub Actions workflow commands: annotations on the pull request',
  ].join('\n'),
  options: [
    formatOption(['text', 'json', 'sarif', 'github']),
    {
      name: 'fail-on',
      value: FAIL_ON.join('|'),
      choices: FAIL_ON,
      help: 'lowest severity that makes the exit code 1 (default error)',
    },
    CONFIG_OPTION,
    ...UNIT_OPTIONS,
  ],
  exit1: 'a finding at or above --fail-on',
  async run(args, io) {
    const format = args.options.format ?? 'text';
    const failOn = (args.options['fail-on'] ?? 'error') as FailOn;
    const { project, paths } = await openCliProject(args, io);
    const all: LocatedDiagnostic[] = [];
    if (args.options.unit !== undefined) {
      const [unit] = pickUnits(project, args.options.unit, paths);
      for (const f of project.fileIds()) if (unit.members.has(f)) all.push(...unit.diagnosticsFor(f));
    } else {
      for (const f of project.fileIds()) all.push(...project.diagnostics(f));
    }
    const shown = all.map(d => ({
      ...d,
      fileId: displayPath(d.fileId),
      related: d.related.map(r => ({ ...r, fileId: displayPath(r.fileId) })),
    }));
    if (format === 'json') {
      io.out(
        JSON.stringify(
          shown.map(d => ({ file: d.fileId, range: d.range, severity: d.severity, code: d.code, message: d.message })),
          null,
          2,
        ),
      );
    } else if (format === 'sarif') {
      io.out(JSON.stringify(toSarif(shown, { version: version() }), null, 2));
    } else if (format === 'github') {
      for (const line of toGithub(shown)) io.out(line);
    } else {
      for (const d of shown)
        io.out(
          `${d.fileId}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`,
        );
    }
    const n = project.fileIds().length;
    if (all.length === 0 && format !== 'json' && format !== 'sarif')
      io.err(`kube-netlint: no findings in ${n} file${n === 1 ? '' : 's'}`);
    return all.some(d => reaches(d.severity, failOn)) ? EXIT.findings : EXIT.ok;
  },
};
