import type { Workspace, FileState } from '../workspace';
import type { Anchor } from '../parse/locate';
import { scalarTextMap, TextMap } from '../plan/text/textMap';
import type { StringSource } from './sources';
import type { Call } from './discover';

/** The scalar that holds a source string. */
export function sourceAnchor(src: StringSource): Anchor {
  return { doc: src.owner.doc, path: src.path };
}

/**
 * The exact file characters of decoded range [a, b) of a source string: found literally in the
 * scalar's text when it has no escapes or folding (the fast path, no second parse), else mapped
 * through the `yaml` scalar (block scalars of mounted config files). base64 Secret data falls
 * back to the whole value.
 */
export function exactIn(ws: Workspace, src: StringSource, a: number, b: number): Anchor {
  const whole = sourceAnchor(src);
  const file = ws.file(src.owner.fileId);
  if (!file || src.encoded) return whole;
  const [s, e] = file.locator.offsetsOf(whole);
  const raw = file.text.slice(s, e);
  const i = raw.indexOf(src.text);
  if (i >= 0) return { offsets: [s + i + a, s + i + b] };
  // A literal block scalar (a mounted config file): its lines appear as written, indented.
  const lineStart = src.text.lastIndexOf('\n', a - 1) + 1;
  const nl = src.text.indexOf('\n', a);
  const lineEnd = nl < 0 ? src.text.length : nl;
  if (b <= lineEnd && lineEnd > lineStart) {
    const line = src.text.slice(lineStart, lineEnd);
    let occurrence = 0;
    for (let p = src.text.indexOf(line); p >= 0 && p < lineStart; p = src.text.indexOf(line, p + 1)) occurrence++;
    let q = raw.indexOf(line);
    while (q >= 0 && occurrence-- > 0) q = raw.indexOf(line, q + 1);
    if (q >= 0) return { offsets: [s + q + (a - lineStart), s + q + (b - lineStart)] };
  }
  const map = textMapOf(file, src);
  if (map) return { offsets: map.toFile(a, b) };
  return whole;
}

const maps = new WeakMap<FileState, Map<string, TextMap | null>>();

/** The decoded-to-file map of a scalar, once per file version (decoding a large block is not free). */
function textMapOf(file: FileState, src: StringSource): TextMap | undefined {
  let m = maps.get(file);
  if (!m) maps.set(file, (m = new Map()));
  const key = `${src.owner.doc}\u0000${src.path.join('\u0000')}`;
  if (m.has(key)) return m.get(key) ?? undefined;
  const map = scalarTextMap(file.text, file.locator.nodeAt(src.owner.doc, src.path), src.text);
  m.set(key, map ?? null);
  return map;
}

/** The characters naming the host of a call. */
export function callAnchor(ws: Workspace, c: Call): Anchor {
  return exactIn(ws, c.source, c.hostRange[0], c.hostRange[1]);
}

/** The characters naming the port (in the sibling variable for HOST/PORT pairs), or the host when the port is implied. */
export function portAnchor(ws: Workspace, c: Call): Anchor {
  if (c.portSource && c.portRange) return exactIn(ws, c.portSource, c.portRange[0], c.portRange[1]);
  return callAnchor(ws, c);
}

/** The whole address as written (host through port) when both sit in one string. */
export function addressAnchor(ws: Workspace, c: Call): Anchor {
  if (c.portSource === c.source && c.portRange) return exactIn(ws, c.source, c.hostRange[0], c.portRange[1]);
  return callAnchor(ws, c);
}
