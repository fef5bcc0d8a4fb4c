import { parseAllDocuments, isMap, isSeq, isPair, isScalar, Node as YNode, Document } from 'yaml';
import { LineIndex, Range } from '../text/lineIndex';

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

/**
 * Where a finding points. `path` addresses a node inside document `doc`; `part` picks the key
 * (for "this field should not be here"), the value (the default) or the whole pair. An
 * `offsets` anchor is used by sources that compute character offsets themselves (JSON, strings
 * embedded in YAML).
 */
export type Anchor =
  | { doc: number; path: Path; part?: 'key' | 'value' | 'pair' }
  | { offsets: [number, number] };

/**
 * Recovers exact source ranges for paths, using `yaml`'s CST-backed documents. Built lazily,
 * once per text version, and only for files that need ranges: the fast path never pays for it.
 */
export class SourceLocator {
  private docs: Document.Parsed[] | undefined;
  private lineIndex: LineIndex | undefined;

  constructor(readonly text: string) {}

  get lines(): LineIndex {
    return (this.lineIndex ??= new LineIndex(this.text));
  }

  rangeOf(anchor: Anchor): Range {
    const [s, e] = this.offsetsOf(anchor);
    return this.lines.rangeOf(s, e);
  }

  offsetsOf(anchor: Anchor): [number, number] {
    if ('offsets' in anchor) return anchor.offsets;
    const docs = this.documents();
    const doc = docs[anchor.doc];
    if (!doc) return [0, 0];
    let node: unknown = doc.contents;
    let best: [number, number] = rangeOfNode(doc.contents) ?? [doc.range[0], doc.range[0]];
    for (let i = 0; i < anchor.path.length; i++) {
      const seg = anchor.path[i];
      const last = i === anchor.path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find(p => isPair(p) && keyText(p.key) === String(seg));
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
    const d = this.documents()[doc];
    if (!d) return undefined;
    let node: unknown = d.contents;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (isMap(node)) {
        const pair = node.items.find(p => isPair(p) && keyText(p.key) === String(seg));
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

  private documents(): Document.Parsed[] {
    if (!this.docs) {
      try {
        this.docs = parseAllDocuments(this.text, { prettyErrors: false }) as Document.Parsed[];
        if (!Array.isArray(this.docs)) this.docs = [];
      } catch {
        this.docs = [];
      }
    }
    return this.docs;
  }
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
