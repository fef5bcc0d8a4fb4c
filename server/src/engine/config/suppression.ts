import type { Resource } from '../model/resource';
import type { LineIndex } from '../text/lineIndex';
import { commentLine, CommentLocator } from '../edit/commentLine';

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
 * Whether a finding at `offset` is silenced by a directive comment: looked for above the line
 * that speaks for it (commentLine: above a block scalar for findings inside one), only in files
 * that hold a directive at all.
 */
export function suppressedAt(
  locator: CommentLocator & { readonly text: string },
  offset: number,
  rule: string,
): boolean {
  let has = withDirectives.get(locator);
  if (has === undefined) withDirectives.set(locator, (has = locator.text.includes('kube-netlint-disable-next-line')));
  return has && suppressedByComment(locator.lines, commentLine(locator, offset), rule);
}

const withDirectives = new WeakMap<object, boolean>();

/**
 * `# kube-netlint-disable-next-line rule-a,rule-b` on the line above the finding. A block of
 * comment lines directly above counts, so the directive can sit with an explanation.
 */
export function suppressedByComment(lines: LineIndex, line: number, rule: string): boolean {
  const ids = directivesAbove(lines, line);
  return ids === 'all' || ids.has(rule);
}

/** The directives of each line's comment block, once per text version (many findings share a block). */
const blocks = new WeakMap<LineIndex, Map<number, Set<string> | 'all'>>();

/**
 * The rule ids of every directive in the comment lines directly above `line`. Linear in the
 * block: each line is trimmed and matched once, with no pattern that backtracks over a long
 * run of spaces (`\s+--.*$` took 14 s on a directive followed by 200,000 spaces).
 */
function directivesAbove(lines: LineIndex, line: number): Set<string> | 'all' {
  let memo = blocks.get(lines);
  if (!memo) blocks.set(lines, (memo = new Map()));
  const hit = memo.get(line);
  if (hit) return hit;
  const ids = new Set<string>();
  let all = false;
  for (let l = line - 1; l >= 0 && !all; l--) {
    const text = lines.lineText(l).trim();
    if (!text.startsWith('#')) break;
    const m = DISABLE_RE.exec(text);
    if (!m) continue;
    const found = parseIds(withoutReason(m[1]));
    if (found === 'all') all = true;
    else for (const id of found) ids.add(id);
  }
  const out = all ? 'all' : ids;
  memo.set(line, out);
  return out;
}

/** `rule-a, rule-b -- why`: the ids before the first ` --`. */
function withoutReason(list: string): string {
  const at = list.search(/\s--/);
  return at < 0 ? list : list.slice(0, at);
}
