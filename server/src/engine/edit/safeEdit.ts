import { isScalar, Scalar } from 'yaml';
import type { Anchor } from '../parse/locate';
import { SourceLocator } from '../parse/locate';
import type { LineIndex, Range } from '../text/lineIndex';
import { doubleQuoted, plainIsString, plainNumber, singleQuoted } from './scalarText';

/** What a locator must answer for an edit to be placed safely (SourceLocator does). */
interface EditLocator {
  readonly text: string;
  readonly lines: LineIndex;
  offsetsOf(anchor: Anchor): [number, number];
  pathAt(offset: number): { doc: number; path: readonly (string | number)[]; part: 'key' | 'value' } | undefined;
  nodeAt(doc: number, path: readonly (string | number)[], part?: 'key' | 'value'): unknown;
}

/** The edit a rule asks for: `newText` at `anchor`; `valueType: 'number'` when the fix means a number. */
export interface EditRequest {
  anchor: Anchor;
  newText: string;
  valueType?: 'number';
}

/**
 * Turns a rule's edit into text that keeps the file what it was everywhere else: the same YAML
 * structure, the same types for every other value, the same line-ending style, the BOM first.
 *
 * - An edit that replaces a whole scalar writes the new value in the old one's style: quoted
 *   stays quoted (so `"1.00"`, `"trues"` and `"nul"` stay strings), plain stays plain only when
 *   the new text is still a string as plain, block scalars become double-quoted. A value keeps
 *   its type unless the fix says it means a number.
 * - An edit inside a scalar (a host name in a URL, a CIDR in embedded JSON) is escaped for the
 *   scalar's quoting; in a plain scalar the whole new scalar is checked.
 * - Inserted lines take the file's line break (CRLF or CR files get no bare LF).
 * - Nothing is inserted before a byte-order mark.
 *
 * Undefined when the edit cannot be made safe, or its anchor names a key that is not there:
 * such a fix is not offered at all.
 */
export function safeEdit(locator: EditLocator, req: EditRequest): { range: Range; newText: string } | undefined {
  const lines = locator.lines;
  let [start, end] = locator.offsetsOf(req.anchor);
  let newText = req.newText;
  // Rendered units bring locators that know no YAML nodes: their edits are placed as given.
  const yamlAware = locator instanceof SourceLocator;
  const target = yamlAware ? scalarTarget(locator, req.anchor, start, end) : undefined;
  if (yamlAware && target === 'missing') return undefined;
  // An explicit tag (`app: !!int "80"`) is outside the scalar's range and would stay in front of
  // the new value, which it may not fit (`!!int hello` does not parse): no such fix is offered.
  if (target && target !== 'missing' && target.node.tag) return undefined;
  if (target && target !== 'missing') {
    const rendered = renderInScalar(locator.text, target, start, end, newText, req.valueType);
    if (rendered === undefined) return undefined;
    [start, end, newText] = rendered;
  } else if (newText.includes('\n')) {
    newText = newText.replace(/\r?\n/g, lines.newline(lines.positionAt(start).line));
  }
  if (locator.text.charCodeAt(0) === 0xfeff) {
    if (start === 0) start = 1;
    if (end === 0) end = 1;
  }
  return { range: lines.rangeOf(start, end), newText };
}

interface ScalarTarget {
  node: Scalar;
  /** [start, end) of the scalar's source, without a block scalar's final line break. */
  range: [number, number];
  isKey: boolean;
}

/**
 * The scalar an edit lands in, 'missing' when a path anchor names nothing (offsetsOf would fall
 * back to an enclosing node, and replacing that would destroy it), or undefined for edits
 * between nodes (inserted lines) and on collections.
 */
function scalarTarget(
  locator: SourceLocator,
  anchor: Anchor,
  start: number,
  end: number,
): ScalarTarget | 'missing' | undefined {
  let at: { doc: number; path: readonly (string | number)[]; part: 'key' | 'value' | 'pair' } | undefined;
  if ('offsets' in anchor) {
    const p = locator.pathAt(start);
    if (!p) return undefined;
    at = p;
  } else {
    at = { doc: anchor.doc, path: anchor.path, part: anchor.part ?? 'value' };
    if (at.part === 'pair') return undefined;
  }
  const node = locator.nodeAt(at.doc, at.path, at.part === 'key' ? 'key' : 'value');
  if (node === undefined || node === null) return 'offsets' in anchor ? undefined : 'missing';
  if (!isScalar(node) || !node.range) return undefined;
  const range: [number, number] = [node.range[0], trimBreaks(locator.text, node.range[0], node.range[1])];
  if (start < range[0] || end > range[1]) return 'offsets' in anchor ? undefined : 'missing';
  // Text inserted at a scalar's edge (new lines after a list's last item) goes between nodes.
  if ('offsets' in anchor && start === end && (start === range[0] || start === range[1])) return undefined;
  return { node, range, isKey: at.part === 'key' };
}

function trimBreaks(text: string, start: number, end: number): number {
  while (end > start && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  return end;
}

/** The replacement, as [start, end, text], that keeps the scalar's style and the value's type. */
function renderInScalar(
  text: string,
  t: ScalarTarget,
  start: number,
  end: number,
  newText: string,
  valueType: 'number' | undefined,
): [number, number, string] | undefined {
  const whole = start === t.range[0] && end === t.range[1];
  const style = t.node.type;
  if (!whole) {
    // Inside the scalar: escape for its quoting; a plain scalar is re-checked whole below.
    if (style === 'QUOTE_DOUBLE') return [start, end, doubleQuoted(newText).slice(1, -1)];
    if (style === 'QUOTE_SINGLE') {
      const q = singleQuoted(newText);
      return q === undefined ? undefined : [start, end, q.slice(1, -1)];
    }
    if (style === 'BLOCK_LITERAL' || style === 'BLOCK_FOLDED')
      return /[\r\n]/.test(newText) ? undefined : [start, end, newText];
    const source = text.slice(t.range[0], t.range[1]);
    if (/[\r\n]/.test(source)) return undefined;
    newText = source.slice(0, start - t.range[0]) + newText + source.slice(end - t.range[0]);
    [start, end] = t.range;
  }
  const original = t.node.value;
  if (valueType === 'number' && !t.isKey) {
    const n = plainNumber(newText);
    return n === undefined ? undefined : [start, end, n];
  }
  // A number stays a number when the new text is one (a targetPort 8081 → 8080).
  if (typeof original === 'number' && !t.isKey && plainNumber(newText) !== undefined && style === 'PLAIN')
    return [start, end, newText];
  // Otherwise the fix writes a string (true/false/null replaced by a name is a string too).
  return [start, end, stringIn(style, newText)];
}

/** A string value in the style of the scalar it replaces. */
function stringIn(style: Scalar['type'], value: string): string {
  if (style === 'QUOTE_SINGLE') return singleQuoted(value) ?? doubleQuoted(value);
  if (style === 'PLAIN' && plainIsString(value)) return value;
  if (style === 'QUOTE_DOUBLE' || style === 'PLAIN') return doubleQuoted(value);
  // Block scalars: a one-line replacement value is written double-quoted on the header's line.
  return doubleQuoted(value);
}
