import type { Resource } from '../model/resource';
import type { LineIndex } from '../text/lineIndex';

export const IGNORE_ANNOTATION = 'kube-netlint.io/ignore';
const DISABLE_RE = /#\s*kube-netlint-disable-next-line\b([^\n]*)/;

function parseIds(list: string): Set<string> | 'all' {
  const ids = list
    .split(/[\s,]+/)
    .map(s => s.trim())
    .filter(Boolean);
  return ids.length === 0 || ids.includes('all') || ids.includes('*') ? 'all' : new Set(ids);
}

/** `kube-netlint.io/ignore: "rule-a,rule-b"` (or `all`) on the resource the finding belongs to. */
export function suppressedByAnnotation(r: Resource | undefined, rule: string): boolean {
  const v = r?.annotations[IGNORE_ANNOTATION];
  if (v === undefined) return false;
  const ids = parseIds(v);
  return ids === 'all' || ids.has(rule);
}

/**
 * `# kube-netlint-disable-next-line rule-a,rule-b` on the line above the finding. A block of
 * comment lines directly above counts, so the directive can sit with an explanation.
 */
export function suppressedByComment(lines: LineIndex, line: number, rule: string): boolean {
  for (let l = line - 1; l >= 0; l--) {
    const text = lines.lineText(l).trim();
    if (!text.startsWith('#')) return false;
    const m = DISABLE_RE.exec(text);
    if (m) {
      const ids = parseIds(m[1].replace(/\s+--.*$/, ''));
      if (ids === 'all' || ids.has(rule)) return true;
    }
  }
  return false;
}
