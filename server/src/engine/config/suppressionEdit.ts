import type { LineIndex } from '../text/lineIndex';
import type { LocatedEdit } from '../diagnostic';

/**
 * The edit that silences one finding: a `# kube-netlint-disable-next-line <rule>` comment
 * inserted above the finding's line with the same indentation, or the rule appended to such a
 * comment when one is already there.
 */
export function suppressionEdit(fileId: string, lines: LineIndex, line: number, rule: string): LocatedEdit {
  const above = line > 0 ? lines.lineText(line - 1) : '';
  const m = /^(\s*#\s*kube-netlint-disable-next-line)\s+(.*)$/.exec(above);
  if (m) {
    const end = { line: line - 1, character: above.length };
    return { fileId, range: { start: end, end }, newText: `${m[2].trim() ? ',' : ' '}${rule}` };
  }
  const indent = /^\s*(- )?/.exec(lines.lineText(line))?.[0].replace('- ', '  ') ?? '';
  const start = { line, character: 0 };
  return { fileId, range: { start, end: start }, newText: `${indent}# kube-netlint-disable-next-line ${rule}\n` };
}
