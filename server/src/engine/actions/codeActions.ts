import type { LocatedDiagnostic, LocatedEdit } from '../diagnostic';
import type { Range } from '../text/lineIndex';
import { PARSE_PROBLEM_KINDS, problemCode } from '../parse/yamlFile';
import { suppressionEdit } from '../config/suppressionEdit';
import type { CommentLocator } from '../edit/commentLine';

/** A quick fix offered for a diagnostic: the front end only transports it (LSP code action). */
export interface CodeActionResult {
  title: string;
  preferred?: boolean;
  diagnostic: LocatedDiagnostic;
  edits: LocatedEdit[];
}

/** Codes that come from reading a file, before rules: a directive comment cannot silence them. */
const FILE_LEVEL = new Set(PARSE_PROBLEM_KINDS.map(kind => problemCode({ kind, message: '', start: 0, end: 0 }).code));

/**
 * Every code action for the diagnostics of one file that touch `range`: each diagnostic's fixes
 * (already made safe where they were located, see edit/safeEdit.ts), then "Suppress <rule> on
 * this line" for findings a comment can silence, in YAML files only (a `#` is no JSON).
 */
export function codeActionsFor(
  diagnostics: readonly LocatedDiagnostic[],
  file: { fileId: string; kind: string; locator: CommentLocator } | undefined,
  range: Range,
): CodeActionResult[] {
  const out: CodeActionResult[] = [];
  const touching = diagnostics.filter(d => overlaps(d.range, range));
  for (const d of touching)
    for (const fix of d.fixes)
      out.push({ title: fix.title, preferred: fix.preferred, diagnostic: d, edits: fix.edits });
  if (!file || file.kind !== 'yaml') return out;
  for (const d of touching) {
    if (!suppressible(d)) continue;
    out.push({
      title: `Suppress ${d.code} on this line`,
      diagnostic: d,
      edits: [suppressionEdit(file.fileId, file.locator, d.range.start, d.code)],
    });
  }
  return out;
}

/** Whether `# kube-netlint-disable-next-line <code>` silences this diagnostic. */
export function suppressible(d: Pick<LocatedDiagnostic, 'code'>): boolean {
  return (
    /^[a-z0-9-]+$/.test(d.code) &&
    !FILE_LEVEL.has(d.code) &&
    !d.code.endsWith('-skipped') &&
    !d.code.startsWith('render-')
  );
}

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) =>
    p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
