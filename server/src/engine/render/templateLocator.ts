import type { Anchor, Path, PathSegment } from '../parse/locate';
import { LineIndex, Range } from '../text/lineIndex';
import type { Locator } from '../workspace';

/** A line of a template document: its indentation, key (if `key:`) and list-item dash. */
interface Line {
  no: number;
  start: number;
  end: number;
  indent: number;
  /** Indentation of the key when the line holds `key:` (after a `- ` when there is one). */
  keyIndent: number;
  dash: boolean;
  key?: string;
  /** Offsets of the key and of the value text on this line. */
  keyRange?: [number, number];
  valueRange?: [number, number];
  /** A line that is only template directives or a comment: not structure. */
  skip: boolean;
}

export interface TemplateMatch {
  range: [number, number];
  /** The line the match ends on. */
  line: number;
  /** Whether every path segment was found (else the range is the deepest one found). */
  complete: boolean;
}

const KEY = /^(\s*)(-\s+)?("[^"]*"|'[^']*'|[^\s#{}:"'][^:#{}]*?)\s*:(?:\s|$)/;

/**
 * Ranges inside a Helm template, which is text, not YAML, until it is rendered: a rendered
 * object's path is matched against the template by indentation (keys, then list items), per
 * `---`-separated document. Loops and conditionals make this approximate: a list written once
 * inside a `range` stands for all its rendered items.
 */
export class TemplateLocator implements Locator {
  private parsed: Line[][] | undefined;
  private lineIndex: LineIndex | undefined;

  constructor(readonly text: string) {}

  get lines(): LineIndex {
    return (this.lineIndex ??= new LineIndex(this.text));
  }

  private docs(): Line[][] {
    if (this.parsed) return this.parsed;
    const docs: Line[][] = [[]];
    let start = 0;
    const lines = this.text.split('\n');
    lines.forEach((raw, no) => {
      const end = start + raw.length;
      const text = raw.replace(/\r$/, '');
      if (/^---(\s|$)/.test(text)) {
        docs.push([]);
        start = end + 1;
        return;
      }
      const trimmed = text.trim();
      const indent = text.length - text.trimStart().length;
      const skip = !trimmed || trimmed.startsWith('#') || /^\{\{[\s\S]*\}\}$/.test(trimmed.replace(/\}\}\s*\{\{/g, ''));
      const line: Line = { no, start, end: start + text.length, indent, keyIndent: indent, dash: false, skip };
      const m = skip ? null : KEY.exec(text);
      if (!skip) {
        line.dash = /^\s*-(\s|$)/.test(text);
        if (line.dash) line.keyIndent = indent + (/^\s*-\s+/.exec(text)?.[0].length ?? 2) - indent;
      }
      if (m) {
        const keyStart = start + m[1].length + (m[2]?.length ?? 0);
        const key = m[3].replace(/^["']|["']$/g, '');
        line.key = key;
        line.keyIndent = m[1].length + (m[2]?.length ?? 0);
        line.keyRange = [keyStart, keyStart + m[3].length];
        const after = start + m[0].length;
        const rest = text
          .slice(m[0].length)
          .replace(/\s+#[^}]*$/, '')
          .trimEnd();
        if (rest)
          line.valueRange = [
            after + (text.slice(m[0].length).length - text.slice(m[0].length).trimStart().length),
            after +
              (text.slice(m[0].length).length - text.slice(m[0].length).trimStart().length) +
              rest.trimStart().length,
          ];
      }
      docs[docs.length - 1].push(line);
      start = end + 1;
    });
    // Documents that hold no structure (comments, a leading `---`) are not counted.
    this.parsed = docs.filter(d => d.some(l => !l.skip));
    if (!this.parsed.length) this.parsed = [[]];
    return this.parsed;
  }

  /** Finds a rendered object's path in template document `doc`. */
  find(doc: number, path: Path, part: 'key' | 'value' | 'pair' = 'value'): TemplateMatch {
    const docs = this.docs();
    const lines = docs[Math.min(doc, docs.length - 1)].filter(l => !l.skip);
    let scope = lines;
    let parentIndent = -1;
    let best: [number, number] = lines.length ? [lines[0].start, lines[0].end] : [0, 0];
    let bestLine = lines[0]?.no ?? 0;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      const last = i === path.length - 1;
      if (typeof seg === 'number') {
        const items = scope.filter(l => l.dash && l.indent > parentIndent);
        const minIndent = Math.min(...items.map(l => l.indent));
        const level = items.filter(l => l.indent === minIndent);
        if (!level.length) return { range: best, line: bestLine, complete: false };
        const item = level[Math.min(seg, level.length - 1)];
        const from = scope.indexOf(item);
        const until = scope.findIndex((l, j) => j > from && l.indent <= item.indent && !(l === item));
        scope = scope.slice(from, until < 0 ? undefined : until);
        // The item's own keys sit at the dash's key column.
        parentIndent = item.indent;
        best = [item.start + item.indent, item.end];
        bestLine = item.no;
        if (last) return { range: best, line: item.no, complete: true };
        // Inside an item, its first key is on the dash line: treat that line as a key line.
        continue;
      }
      const candidates = scope.filter(l => l.key === String(seg) && l.keyIndent > parentIndent);
      if (!candidates.length) return { range: best, line: bestLine, complete: false };
      const minIndent = Math.min(...candidates.map(l => l.keyIndent));
      const hit = candidates.find(l => l.keyIndent === minIndent)!;
      bestLine = hit.no;
      if (last) {
        const range =
          part === 'key' || !hit.valueRange
            ? hit.keyRange!
            : part === 'pair'
              ? ([hit.keyRange![0], hit.valueRange[1]] as [number, number])
              : hit.valueRange;
        return { range, line: hit.no, complete: true };
      }
      best = hit.keyRange!;
      const from = scope.indexOf(hit);
      const until = scope.findIndex(
        (l, j) => j > from && l.keyIndent <= hit.keyIndent && !(l.dash && l.indent > hit.keyIndent),
      );
      scope = scope.slice(from + 1, until < 0 ? undefined : until);
      parentIndent = hit.keyIndent;
    }
    return { range: best, line: bestLine, complete: true };
  }

  offsetsOf(anchor: Anchor): [number, number] {
    if ('offsets' in anchor) return anchor.offsets;
    return this.find(anchor.doc, anchor.path, anchor.part).range;
  }

  rangeOf(anchor: Anchor): Range {
    const [s, e] = this.offsetsOf(anchor);
    return this.lines.rangeOf(s, e);
  }

  /** The path of the key or value at an offset (hovers), climbing indentation. */
  pathAt(offset: number): { doc: number; path: Path; part: 'key' | 'value' } | undefined {
    const docs = this.docs();
    for (let d = 0; d < docs.length; d++) {
      const lines = docs[d].filter(l => !l.skip);
      const at = lines.findIndex(l => l.start <= offset && offset <= l.end);
      if (at < 0) continue;
      const line = lines[at];
      if (!line.key) return undefined;
      const path: PathSegment[] = [line.key];
      const part = line.keyRange && offset <= line.keyRange[1] ? 'key' : 'value';
      // The index of the list item on line k among its siblings above it.
      const index = (k: number) => {
        let n = 0;
        for (let i = k - 1; i >= 0; i--) {
          const l = lines[i];
          if (l.dash && l.indent === lines[k].indent) n++;
          else if (l.keyIndent < lines[k].indent || (l.dash && l.indent < lines[k].indent)) break;
        }
        return n;
      };
      let col = line.keyIndent;
      let inItem = false;
      if (line.dash) {
        path.unshift(index(at));
        col = line.indent;
        inItem = true;
      }
      for (let k = at - 1; k >= 0; k--) {
        const l = lines[k];
        if (inItem) {
          if (l.dash && l.indent === col) continue;
          if (!l.key || l.keyIndent > col || (l.dash && l.indent >= col)) continue;
        } else if (l.dash && l.indent < col && l.keyIndent >= col) {
          path.unshift(index(k));
          col = l.indent;
          inItem = true;
          continue;
        } else if (!l.key || l.keyIndent >= col) continue;
        path.unshift(l.key!);
        col = l.keyIndent;
        inItem = false;
        if (l.dash) {
          path.unshift(index(k));
          col = l.indent;
          inItem = true;
        }
      }
      return { doc: d, path, part };
    }
    return undefined;
  }

  nodeAt(): undefined {
    return undefined;
  }

  /** The text of the line a match ends on (to look for `.Values` references). */
  lineText(line: number): string {
    return this.text.split('\n')[line] ?? '';
  }
}
