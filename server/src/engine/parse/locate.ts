import { parseAllDocuments, isMap, isSeq, isPair, isScalar, Node as YNode, Document } from 'yaml';
import { LineIndex, Range, withLfBreaks } from '../text/lineIndex';
import { FastNode, fastDocument } from './fastRanges';
import { documentStarts } from './documentStarts';
import { YAML_PARSE_OPTIONS } from './duplicateKeys';

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

/**
 * Where a finding points. `path` addresses a node inside document `doc`; `part` picks the key
 * (for "this field should not be here"), the value (the default) or the whole pair. An
 * `offsets` anchor is used by sources that compute character offsets themselves (JSON, strings
 * embedded in YAML).
 */
export type Anchor = { doc: number; path: Path; part?: 'key' | 'value' | 'pair' } | { offsets: [number, number] };

/**
 * Recovers exact source ranges for paths, using `yaml`'s CST-backed documents. Built lazily,
 * once per text version, and only for files that need ranges: the fast path never pays for it.
 *
 * `yaml` is about ten times slower than js-yaml, so a multi-document file is not parsed whole
 * when a finding needs one of its documents: that document alone is parsed, with the text
 * before it blanked out so node ranges stay file offsets (see documentAt). Files whose
 * document boundaries are not plain `---` lines are parsed whole, as is a huge file once many
 * of its documents were needed (the blank padding is cheap to lex but must be allocated).
 */
export class SourceLocator {
  private docs: Document.Parsed[] | undefined;
  private lineIndex: LineIndex | undefined;
  /** Start offsets of the documents, as `yaml` numbers them; null when they cannot be found by lines alone. */
  private starts: number[] | null | undefined;
  private readonly single = new Map<number, Document.Parsed>();
  private readonly fast = new Map<number, FastNode | null>();
  /** Blank padding allocated so far (see parseAlone); bounded so many documents of a huge file fall back to one whole parse. */
  private padding = 0;

  /**
   * The text the parsers see: a lone CR (old Mac line ends) becomes LF. YAML counts it as a
   * line break but `yaml` does not; the swap keeps every offset, so ranges stay file offsets.
   */
  private readonly source: string;

  constructor(readonly text: string) {
    this.source = withLfBreaks(text);
  }

  get lines(): LineIndex {
    return (this.lineIndex ??= new LineIndex(this.text));
  }

  rangeOf(anchor: Anchor): Range {
    const [s, e] = this.offsetsOf(anchor);
    return this.lines.rangeOf(s, e);
  }

  offsetsOf(anchor: Anchor): [number, number] {
    if ('offsets' in anchor) return anchor.offsets;
    const fast = this.fastAt(anchor.doc);
    if (fast) return walkFast(fast, anchor);
    const doc = this.documentAt(anchor.doc);
    if (!doc) return [0, 0];
    let node: unknown = doc.contents;
    let best: [number, number] = rangeOfNode(doc.contents) ?? [doc.range[0], doc.range[0]];
    for (let i = 0; i < anchor.path.length; i++) {
      const seg = anchor.path[i];
      const last = i === anchor.path.length - 1;
      if (isMap(node)) {
        const pair = pairFor(node.items, seg);
        if (!pair) return best;
        const keyRange = rangeOfNode(pair.key);
        const valueRange = rangeOfNode(pair.value);
        if (last) {
          const part = anchor.part ?? 'value';
          if (part === 'key' && keyRange) return keyRange;
          if (part === 'pair' && keyRange) return [keyRange[0], (valueRange ?? keyRange)[1]];
          return valueRange ?? keyRange ?? best;
        }
        best = keyRange ?? best;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        const r = rangeOfNode(item);
        if (!r) return best;
        if (last) return r;
        best = r;
        node = item;
      } else {
        return best;
      }
    }
    return best;
  }

  /**
   * The `yaml` node at a path (the value, or the key with part 'key'), for callers that need
   * the scalar's style and source span, e.g. to map offsets inside an embedded JSON string.
   */
  nodeAt(doc: number, path: Path, part: 'key' | 'value' = 'value'): YNode | undefined {
    const d = this.documentAt(doc);
    if (!d) return undefined;
    let node: unknown = d.contents;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (isMap(node)) {
        const pair = pairFor(node.items, seg);
        if (!pair) return undefined;
        node = i === path.length - 1 && part === 'key' ? pair.key : pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg];
      } else {
        return undefined;
      }
    }
    return (node ?? undefined) as YNode | undefined;
  }

  /**
   * The YAML path at a text offset: the document, the path of the innermost key or value that
   * contains it, and whether the offset is on the key or the value. Used by hover providers.
   */
  pathAt(offset: number): { doc: number; path: Path; part: 'key' | 'value' } | undefined {
    const fast = this.fastContaining(offset);
    if (fast) return { doc: fast[0], ...fastPathAt(fast[1], offset) };
    const found = this.documentContaining(offset);
    if (!found) return undefined;
    const [doc, d] = found;
    const path: PathSegment[] = [];
    let node: unknown = d.contents;
    let part: 'key' | 'value' = 'value';
    for (;;) {
      if (isMap(node)) {
        const pair = node.items.find(p => {
          const k = rangeOfNode(p.key);
          const v = rangeOfNode(p.value);
          return (k && k[0] <= offset && offset <= k[1]) || (v && v[0] <= offset && offset <= v[1]);
        });
        if (!pair) break;
        const key = keyText(pair.key);
        if (key === undefined) break;
        path.push(key);
        const k = rangeOfNode(pair.key);
        if (k && k[0] <= offset && offset <= k[1]) {
          part = 'key';
          break;
        }
        node = pair.value;
      } else if (isSeq(node)) {
        const i = node.items.findIndex(it => {
          const r = rangeOfNode(it);
          return !!r && r[0] <= offset && offset <= r[1];
        });
        if (i < 0) break;
        path.push(i);
        node = node.items[i];
      } else {
        break;
      }
    }
    return { doc, path, part };
  }

  /**
   * The js-yaml ranges of the document whose content holds `offset`. Content never reaches a
   * document boundary, so this is the document `yaml` would pick too.
   */
  private fastContaining(offset: number): [number, FastNode] | undefined {
    const starts = (this.starts ??= documentStarts(this.source));
    if (!starts) return undefined;
    let i = -1;
    while (i + 1 < starts.length && starts[i + 1] <= offset) i++;
    const root = i >= 0 ? this.fastAt(i) : undefined;
    return root && root.range[0] <= offset && offset <= root.range[1] ? [i, root] : undefined;
  }

  /**
   * The first document whose range holds `offset` (a boundary offset belongs to the earlier
   * one), parsing only the candidate documents when the boundaries are known.
   */
  private documentContaining(offset: number): [number, Document.Parsed] | undefined {
    const starts = this.docs ? null : (this.starts ??= documentStarts(this.source));
    if (starts) {
      let i = -1;
      while (i + 1 < starts.length && starts[i + 1] <= offset) i++;
      for (const k of i > 0 && starts[i] === offset ? [i - 1, i] : [i]) {
        const d = k >= 0 ? this.documentAt(k) : undefined;
        if (d && d.range[0] <= offset && offset <= d.range[2]) return [k, d];
      }
    }
    const docs = this.documents();
    const doc = docs.findIndex(d => d.range[0] <= offset && offset <= d.range[2]);
    return doc < 0 ? undefined : [doc, docs[doc]];
  }

  /** Ranges of document `i` from js-yaml (see fastRanges.ts), or undefined when `yaml` must parse it. */
  private fastAt(i: number): FastNode | undefined {
    if (this.fast.has(i)) return this.fast.get(i) ?? undefined;
    let node: FastNode | undefined;
    const starts = (this.starts ??= documentStarts(this.source));
    if (starts && i >= 0 && i < starts.length) {
      const start = starts[i],
        end = i + 1 < starts.length ? starts[i + 1] : this.source.length;
      if (this.padding + start <= 8 * this.source.length) {
        this.padding += start;
        node = fastDocument(padded(this.source, start, end), start);
      }
    }
    this.fast.set(i, node ?? null);
    return node;
  }

  /** Document `i`, parsed alone when that is safe and cheaper, else from the whole-file parse. */
  private documentAt(i: number): Document.Parsed | undefined {
    if (this.docs) return this.docs[i];
    const cached = this.single.get(i);
    if (cached) return cached;
    const starts = (this.starts ??= documentStarts(this.source));
    if (starts && i >= 0 && i < starts.length) {
      const start = starts[i],
        end = i + 1 < starts.length ? starts[i + 1] : this.source.length;
      if (this.padding + start <= 8 * this.source.length) {
        this.padding += start;
        const d = parseAlone(this.source, start, end);
        if (d) {
          this.single.set(i, d);
          return d;
        }
      }
    }
    return this.documents()[i];
  }

  private documents(): Document.Parsed[] {
    if (!this.docs) {
      try {
        this.docs = parseAllDocuments(this.source, YAML_PARSE_OPTIONS) as Document.Parsed[];
        if (!Array.isArray(this.docs)) this.docs = [];
      } catch {
        this.docs = [];
      }
    }
    return this.docs;
  }
}

/**
 * Parses text[start, end) as one document whose node ranges are offsets into the whole text:
 * everything before `start` becomes spaces ending in a newline (a blank line, which YAML
 * ignores between documents). Undefined when that does not give exactly one clean document.
 */
function parseAlone(text: string, start: number, end: number): Document.Parsed | undefined {
  const source = padded(text, start, end);
  try {
    const docs = parseAllDocuments(source, YAML_PARSE_OPTIONS);
    if (!Array.isArray(docs) || docs.length !== 1 || docs[0].errors.length) return undefined;
    return docs[0] as Document.Parsed;
  } catch {
    return undefined;
  }
}

/** text[start, end) at its own offsets: what precedes it becomes one blank line. */
function padded(text: string, start: number, end: number): string {
  return start === 0 ? text.slice(0, end) : ' '.repeat(start - 1) + '\n' + text.slice(start, end);
}

/** offsetsOf over js-yaml ranges: the same walk as over `yaml` nodes. */
function walkFast(root: FastNode, anchor: { path: Path; part?: 'key' | 'value' | 'pair' }): [number, number] {
  let node = root;
  let best = root.range;
  for (let i = 0; i < anchor.path.length; i++) {
    const seg = anchor.path[i];
    const last = i === anchor.path.length - 1;
    if (node.kind === 'map') {
      const pair = node.pairs.find(p => p.key === String(seg));
      if (!pair) return best;
      if (last) {
        const part = anchor.part ?? 'value';
        if (part === 'key') return pair.keyRange;
        if (part === 'pair') return [pair.keyRange[0], pair.value.range[1]];
        return pair.value.range;
      }
      best = pair.keyRange;
      node = pair.value;
    } else if (node.kind === 'seq' && typeof seg === 'number') {
      const item = node.items[seg];
      if (!item) return best;
      if (last) return item.range;
      best = item.range;
      node = item;
    } else {
      return best;
    }
  }
  return best;
}

/** pathAt over js-yaml ranges: the same descent as over `yaml` nodes. */
function fastPathAt(root: FastNode, offset: number): { path: Path; part: 'key' | 'value' } {
  const within = (r: [number, number]) => r[0] <= offset && offset <= r[1];
  const path: PathSegment[] = [];
  let node = root;
  for (;;) {
    if (node.kind === 'map') {
      const pair = node.pairs.find(p => within(p.keyRange) || within(p.value.range));
      if (!pair) break;
      path.push(pair.key);
      if (within(pair.keyRange)) return { path, part: 'key' };
      node = pair.value;
    } else if (node.kind === 'seq') {
      const i = node.items.findIndex(item => within(item.range));
      if (i < 0) break;
      path.push(i);
      node = node.items[i];
    } else {
      break;
    }
  }
  return { path, part: 'value' };
}

/**
 * The pair a path segment names. With a repeated key the last pair is the one whose value the
 * parsers keep (and yaml-duplicate-key reports), so findings point at the key that takes effect.
 */
function pairFor<P extends { key: unknown }>(items: readonly P[], seg: PathSegment): P | undefined {
  const want = String(seg);
  for (let i = items.length - 1; i >= 0; i--) if (isPair(items[i]) && keyText(items[i].key) === want) return items[i];
  return undefined;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function rangeOfNode(n: unknown): [number, number] | undefined {
  const r = (n as YNode | null | undefined)?.range;
  if (!r) return undefined;
  return [r[0], r[1]];
}
