import { isScalar } from 'yaml';
import type { Anchor } from '../parse/locate';
import type { LineIndex } from '../text/lineIndex';

export interface CommentLocator {
  readonly lines: LineIndex;
  offsetsOf(anchor: Anchor): [number, number];
  pathAt(offset: number): { doc: number; path: readonly (string | number)[]; part: 'key' | 'value' } | undefined;
  nodeAt(doc: number, path: readonly (string | number)[], part?: 'key' | 'value'): unknown;
}

/**
 * The line whose comment block speaks for a position: the position's own line, except inside a
 * scalar that spans lines (a block scalar such as flannel's `net-conf.json: |`, a multi-line
 * quoted or plain scalar), where a `#` line would be part of the value. There it is the line the
 * scalar starts on (the key's line), above which a comment is YAML. The suppression comment is
 * written above this line and looked for above it, so both always agree.
 */
export function commentLine(locator: CommentLocator, offset: number): number {
  const line = locator.lines.positionAt(offset).line;
  const at = locator.pathAt(offset);
  if (!at) return line;
  const [start] = locator.offsetsOf({ doc: at.doc, path: at.path, part: at.part });
  const startLine = locator.lines.positionAt(start).line;
  if (startLine >= line) return line;
  // Spans lines: only a scalar makes the inner lines content (flow collections take comments).
  return isScalar(locator.nodeAt(at.doc, at.path, at.part)) ? startLine : line;
}
