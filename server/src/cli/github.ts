import type { LocatedDiagnostic, Severity } from '../engine';

/**
 * GitHub Actions workflow commands (`::error file=…,line=…::message`): each finding becomes an
 * annotation on the pull request's diff. Escaping follows the runner's rules: `%`, CR and LF in
 * the message; additionally `:` and `,` in property values.
 */
const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const property = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function toGithub(diagnostics: readonly LocatedDiagnostic[]): string[] {
  return diagnostics.map(d => {
    const props = [
      `file=${property(d.fileId.split('\\').join('/'))}`,
      `line=${d.range.start.line + 1}`,
      `endLine=${d.range.end.line + 1}`,
      `col=${d.range.start.character + 1}`,
      // GitHub ignores endColumn across lines; only give it for one-line ranges.
      ...(d.range.end.line === d.range.start.line ? [`endColumn=${d.range.end.character + 1}`] : []),
      `title=${property(`kube-netlint ${d.code}`)}`,
    ];
    return `::${COMMAND[d.severity]} ${props.join(',')}::${data(d.message)}`;
  });
}
