/** 0-based LSP position; `character` counts UTF-16 code units, as JS strings do. */
export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}

/**
 * Maps string offsets to line/character positions and back, built once per text version.
 * Lines end at `\r\n`, `\n` or a lone `\r`, as in YAML, the LSP and VS Code: a file saved with
 * old Mac line endings is many lines, not one.
 */
export class LineIndex {
  private readonly starts: number[];

  constructor(private readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0,
      hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  offsetAt(pos: Position): number {
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[Math.max(0, pos.line)];
    const next = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1] : this.text.length;
    return Math.min(start + Math.max(0, pos.character), next);
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** The text of a line without its line break. */
  lineText(line: number): string {
    if (line < 0 || line >= this.starts.length) return '';
    const start = this.starts[line];
    return this.text.slice(start, start + this.contentLength(line));
  }

  /** The line break that ends `line` (`\r\n`, `\n`, `\r`), or '' for the last line. */
  lineBreak(line: number): string {
    if (line < 0 || line + 1 >= this.starts.length) return '';
    return this.text.slice(this.starts[line] + this.contentLength(line), this.starts[line + 1]);
  }

  /**
   * The line break new lines should use: the one ending `line` when it has one, else the
   * file's first, else `\n`. Quick fixes insert lines with it, so a CRLF file stays CRLF.
   */
  newline(line = 0): string {
    return this.lineBreak(line) || this.lineBreak(0) || '\n';
  }

  private contentLength(line: number): number {
    const start = this.starts[line];
    if (line + 1 >= this.starts.length) return this.text.length - start;
    const next = this.starts[line + 1];
    return next - start - (this.text.charCodeAt(next - 1) === 10 && this.text.charCodeAt(next - 2) === 13 ? 2 : 1);
  }
}

/**
 * The text with each lone CR turned into LF: the same length and offsets, with only the line
 * breaks `yaml` knows (it takes CRLF and LF, not the lone CR that YAML also allows).
 */
export function withLfBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}
