import { isScalar, Scalar } from 'yaml';

/**
 * A decoded string (the value of a YAML scalar, or a whole JSON file) together with where each
 * of its characters came from in the file. Lets findings inside embedded JSON/YAML land on the
 * exact characters of the file, through quotes, escapes, block indentation and line folding.
 */
export class TextMap {
  constructor(
    readonly text: string,
    private readonly starts: number[] | undefined,
    private readonly ends: number[] | undefined,
    private readonly base: number,
    private readonly tail: number,
  ) {}

  /** The identity map: the text is the file itself. */
  static identity(text: string): TextMap {
    return new TextMap(text, undefined, undefined, 0, text.length);
  }

  /** File offsets of decoded range [a, b). */
  toFile(a: number, b: number): [number, number] {
    if (!this.starts || !this.ends) return [this.base + a, this.base + b];
    const n = this.text.length;
    const s = a >= n ? this.tail : this.starts[Math.max(0, a)];
    const e = b <= a ? s : b > n ? this.tail : this.ends[b - 1];
    return [s, e];
  }

  /** Decoded offset of a file offset, when the file offset is inside this text. */
  fromFile(offset: number): number | undefined {
    if (!this.starts || !this.ends) {
      const d = offset - this.base;
      return d >= 0 && d <= this.text.length ? d : undefined;
    }
    for (let i = 0; i < this.starts.length; i++) if (this.starts[i] <= offset && offset < this.ends[i]) return i;
    return undefined;
  }
}

class Builder {
  chars: string[] = [];
  starts: number[] = [];
  ends: number[] = [];
  raw: boolean[] = [];
  push(c: string, s: number, e: number, raw = false): void {
    this.chars.push(c);
    this.starts.push(s);
    this.ends.push(e);
    this.raw.push(raw);
  }
  popTrailingRawSpace(): void {
    while (
      this.chars.length &&
      this.raw[this.raw.length - 1] &&
      (this.chars[this.chars.length - 1] === ' ' || this.chars[this.chars.length - 1] === '\t')
    ) {
      this.chars.pop();
      this.starts.pop();
      this.ends.pop();
      this.raw.pop();
    }
  }
  result(tail: number): TextMap {
    return new TextMap(this.chars.join(''), this.starts, this.ends, 0, tail);
  }
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

/**
 * Maps a YAML scalar node's decoded value back to the file. Returns undefined when the scalar
 * is not a string or our decoding does not reproduce `yaml`'s value exactly (then callers
 * fall back to the whole scalar's range rather than point at the wrong characters).
 */
export function scalarTextMap(fileText: string, node: unknown, expected?: string): TextMap | undefined {
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return undefined;
  const [start, valueEnd] = node.range;
  // js-yaml (the fast path) is more lenient than `yaml` about where a quoted scalar may end, so
  // quoted scalars are re-scanned to their real closing quote and checked against js-yaml's value.
  const value = expected ?? node.value;
  let built: TextMap | undefined;
  switch (node.type) {
    case Scalar.BLOCK_LITERAL:
      built = decodeBlock(fileText, start, valueEnd, value, false);
      break;
    case Scalar.BLOCK_FOLDED:
      built = decodeBlock(fileText, start, valueEnd, value, true);
      break;
    case Scalar.QUOTE_DOUBLE:
      built = decodeFlow(fileText, start + 1, closingQuote(fileText, start, '"'), 'double');
      break;
    case Scalar.QUOTE_SINGLE:
      built = decodeFlow(fileText, start + 1, closingQuote(fileText, start, "'"), 'single');
      break;
    case Scalar.PLAIN:
      built = decodeFlow(fileText, start, valueEnd, 'plain');
      break;
    default:
      return undefined;
  }
  return built && built.text === value ? built : undefined;
}

function closingQuote(text: string, open: number, q: string): number {
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (q === '"' && c === '\\') {
      i++;
      continue;
    }
    if (c === q) {
      if (q === "'" && text[i + 1] === "'") {
        i++;
        continue;
      }
      return i;
    }
  }
  return text.length;
}

function decodeFlow(
  text: string,
  start: number,
  end: number,
  style: 'double' | 'single' | 'plain',
): TextMap | undefined {
  const b = new Builder();
  let i = start;
  while (i < end) {
    const c = text[i];
    if (c === '\n' || c === '\r') {
      b.popTrailingRawSpace();
      const at = i;
      let breaks = 0;
      while (i < end && (text[i] === '\n' || text[i] === '\r')) {
        if (text[i] === '\r' && text[i + 1] === '\n') i++;
        i++;
        breaks++;
        while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
      }
      if (breaks === 1) b.push(' ', at, at + 1);
      else for (let k = 1; k < breaks; k++) b.push('\n', at, at + 1);
      continue;
    }
    if (style === 'double' && c === '\\') {
      const n = text[i + 1];
      if (n === '\n' || n === '\r') {
        i += n === '\r' && text[i + 2] === '\n' ? 3 : 2;
        while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
        continue;
      }
      const width = n === 'x' ? 2 : n === 'u' ? 4 : n === 'U' ? 8 : 0;
      if (width) {
        const hex = text.slice(i + 2, i + 2 + width);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) return undefined;
        const s = String.fromCodePoint(parseInt(hex, 16));
        for (const ch of s) b.push(ch, i, i + 2 + width);
        i += 2 + width;
        continue;
      }
      const e = ESCAPES[n];
      if (e === undefined) return undefined;
      b.push(e, i, i + 2);
      i += 2;
      continue;
    }
    if (style === 'single' && c === "'" && text[i + 1] === "'") {
      b.push("'", i, i + 2);
      i += 2;
      continue;
    }
    b.push(c, i, i + 1, c === ' ' || c === '\t');
    i++;
  }
  return b.result(end);
}

function decodeBlock(text: string, start: number, end: number, value: string, folded: boolean): TextMap | undefined {
  const headerEnd = text.indexOf('\n', start);
  if (headerEnd < 0 || headerEnd >= end) return new TextMap('', [], [], 0, end);
  const lines: { s: number; e: number }[] = [];
  for (let p = headerEnd + 1; p < end;) {
    let q = text.indexOf('\n', p);
    if (q < 0 || q > end) q = end;
    lines.push({ s: p, e: text[q - 1] === '\r' ? q - 1 : q });
    p = q + 1;
  }
  let indent = -1;
  for (const l of lines) {
    const content = text.slice(l.s, l.e);
    if (content.trim() === '') continue;
    indent = content.length - content.replace(/^ +/, '').length;
    break;
  }
  if (indent < 0) return undefined;
  const b = new Builder();
  let prevMore = false;
  lines.forEach((l, idx) => {
    const content = text.slice(l.s, l.e);
    const empty = content.trim() === '' && content.length <= indent;
    if (!empty) {
      const more = /^[ \t]/.test(content.slice(indent));
      if (folded && idx > 0 && b.chars.length && b.chars[b.chars.length - 1] === '\n' && !more && !prevMore) {
        // folding: a single line break between two normal lines becomes a space
        const last = b.chars.length - 1;
        let emptyRun = 0;
        for (let k = idx - 1; k >= 0 && text.slice(lines[k].s, lines[k].e).trim() === ''; k--) emptyRun++;
        if (emptyRun === 0) b.chars[last] = ' ';
        else {
          b.chars.splice(last - emptyRun, 1);
          b.starts.splice(last - emptyRun, 1);
          b.ends.splice(last - emptyRun, 1);
          b.raw.splice(last - emptyRun, 1);
        }
      }
      for (let k = l.s + indent; k < l.e; k++) b.push(text[k], k, k + 1);
      prevMore = more;
    }
    b.push('\n', l.e, l.e + 1);
  });
  // chomping: clip to the value yaml computed (strip/clip/keep differ only in trailing newlines)
  let built = b.chars.join('');
  while (built.length > value.length && built.endsWith('\n')) {
    b.chars.pop();
    b.starts.pop();
    b.ends.pop();
    b.raw.pop();
    built = b.chars.join('');
  }
  while (built.length < value.length && value.startsWith(built) && value[built.length] === '\n') {
    b.push('\n', end, end);
    built += '\n';
  }
  return b.result(end);
}
