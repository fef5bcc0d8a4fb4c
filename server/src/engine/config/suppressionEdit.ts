import type { LocatedEdit } from '../diagnostic';
import type { Position } from '../text/lineIndex';
import { commentLine, CommentLocator } from '../edit/commentLine';

/**
 * The edit that silences one finding: a `# kube-netlint-disable-next-line <rule>` comment
 * inserted above the line that speaks for the finding (its own line, or the first line of a
 * block or multi-line scalar it sits in: a `#` inside `net-conf.json: |` would be JSON text), with
 * that line's indentation and the file's line break, after a BOM on the first line; or the rule
 * added to such a comment when one is already there (before its ` -- reason`).
 */
export function suppressionEdit(
  fileId: string,
  locator: CommentLocator,
  position: Position,
  rule: string,
): LocatedEdit {
  const lines = locator.lines;
  const line = commentLine(locator, lines.offsetAt(position));
  const above = line > 0 ? lines.lineText(line - 1) : '';
  const m = /^([\s\ufeff]*#\s*kube-netlint-disable-next-line)(.*)$/.exec(above);
  if (m) {
    const reason = m[2].search(/\s--/);
    const ids = reason < 0 ? m[2] : m[2].slice(0, reason);
    const at = { line: line - 1, character: m[1].length + ids.trimEnd().length };
    return { fileId, range: { start: at, end: at }, newText: `${ids.trim() ? ',' : ' '}${rule}` };
  }
  const text = lines.lineText(line);
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const indent = /^[ \t]*/.exec(text.slice(bom))![0];
  const start = { line, character: bom };
  return {
    fileId,
    range: { start, end: start },
    newText: `${indent}# kube-netlint-disable-next-line ${rule}${lines.newline(line)}`,
  };
}
