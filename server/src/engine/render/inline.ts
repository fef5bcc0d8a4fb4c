import { isScalar } from 'yaml';
import type { Anchor, Path } from '../parse/locate';
import { SourceLocator } from '../parse/locate';

/**
 * A YAML document written inside a literal block scalar of another file (a kustomization's
 * inline `patch: |`): anchors into the inner document become offsets in the outer file.
 * Undefined when the scalar is not a literal block (folded or quoted text does not keep lines).
 */
export interface InlineDoc {
  text: string;
  anchor(inner: Anchor): Anchor;
}

export function inlineDoc(outer: SourceLocator, doc: number, path: Path): InlineDoc | undefined {
  const node = outer.nodeAt(doc, path);
  if (!isScalar(node) || node.type !== 'BLOCK_LITERAL' || typeof node.value !== 'string' || !node.range)
    return undefined;
  const text = node.value;
  const src = outer.text;
  const header = src.indexOf('\n', node.range[0]);
  if (header < 0) return undefined;
  // Line starts of the block's content in the outer file, and the block's indentation.
  const lineStarts: number[] = [];
  let at = header + 1;
  for (let i = 0; i < text.split('\n').length && at <= src.length; i++) {
    lineStarts.push(at);
    const nl = src.indexOf('\n', at);
    at = nl < 0 ? src.length + 1 : nl + 1;
  }
  const first = text.split('\n').findIndex(l => l.length > 0);
  const firstLine = first >= 0 ? src.slice(lineStarts[first], src.indexOf('\n', lineStarts[first])) : '';
  const indent = firstLine.length - firstLine.trimStart().length;
  const innerLines = new SourceLocator(text).lines;
  const inner = new SourceLocator(text);
  const map = (off: number) => {
    const p = innerLines.positionAt(off);
    const start = lineStarts[p.line];
    return start === undefined ? node.range![0] : start + indent + p.character;
  };
  return {
    text,
    anchor: a => {
      const [s, e] = inner.offsetsOf(a);
      return { offsets: [map(s), map(e)] };
    },
  };
}
