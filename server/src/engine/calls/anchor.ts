import type { Workspace } from '../workspace';
import type { Anchor } from '../parse/locate';
import { scalarTextMap } from '../plan/text/textMap';
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
  const map = scalarTextMap(file.text, file.locator.nodeAt(src.owner.doc, src.path), src.text);
  if (map) return { offsets: map.toFile(a, b) };
  return whole;
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
