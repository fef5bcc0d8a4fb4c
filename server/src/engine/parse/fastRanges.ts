import * as jsyaml from 'js-yaml';
import { MANIFEST_SCHEMA } from './yamlFile';

/**
 * Source ranges of one YAML document computed from js-yaml's node events, as a cheap stand-in
 * for a `yaml` parse when only ranges are needed (locating findings). js-yaml runs on the hot
 * path anyway and is about ten times faster than `yaml`.
 *
 * The ranges must be exactly those `yaml` gives (node.range[0..1]); test/bench/locatorSplit.test.ts
 * compares the two on every multi-document file of the corpus. So this only answers for the
 * plain block YAML that manifests are made of, and gives up (undefined: the caller parses with
 * `yaml`) on anything else: comments, anchors, aliases, tags, explicit keys, tabs, CR line ends,
 * keep chomping, multi-line plain/quoted scalars or flow collections, empty values, non-string keys.
 */
export interface FastNode {
  kind: 'map' | 'seq' | 'scalar';
  /** [start, end) of the value, as `yaml`'s range[0], range[1]. */
  range: [number, number];
  /** Where the node's trailing space, comment or line break ends (`yaml`'s range[2] for scalars and flow nodes). */
  nodeEnd: number;
  pairs: { key: string; keyRange: [number, number]; value: FastNode }[];
  items: FastNode[];
}

interface RawNode {
  open: number;
  close: number;
  kind: string | null;
  result: unknown;
  children: RawNode[];
}

class GiveUp extends Error {}

// What may introduce something this reader does not model: an anchor, alias or tag, an
// explicit key, a tab or CR, keep chomping, a comment (`yaml` attaches comment lines to nodes in
// ways that move range ends). A match anywhere sends the document to `yaml`; false alarms inside
// strings (a cron schedule's `*/5`) only cost speed.
const UNSUPPORTED = /(?:^|[ [{,:])(?:[&*!][^ \n,\]}"']|\?(?:[ \n]|$)|#)|[\t\r]|[|>][1-9]?\+/m;

/** The root node of the only document in `source`, or undefined when `yaml` must decide. */
export function fastDocument(source: string, from = 0): FastNode | undefined {
  if (UNSUPPORTED.test(from ? source.slice(from) : source)) return undefined;
  const stack: RawNode[] = [{ open: 0, close: 0, kind: null, result: undefined, children: [] }];
  const listener = (event: 'open' | 'close', state: { position: number; kind: string | null; result: unknown }) => {
    if (event === 'open') {
      const n: RawNode = { open: state.position, close: -1, kind: null, result: undefined, children: [] };
      stack[stack.length - 1].children.push(n);
      stack.push(n);
    } else {
      const n = stack.pop()!;
      n.close = state.position;
      n.kind = state.kind;
      n.result = state.result;
    }
  };
  let docs: unknown[];
  try {
    docs = jsyaml.loadAll(source, undefined, { json: true, schema: MANIFEST_SCHEMA, listener } as jsyaml.LoadOptions);
  } catch {
    return undefined;
  }
  const roots = stack[0].children.filter(n => n.kind !== null);
  if (docs.length !== 1 || roots.length !== 1 || stack.length !== 1) return undefined;
  try {
    return convert(source, roots[0]);
  } catch (e) {
    if (e instanceof GiveUp) return undefined;
    throw e;
  }
}

function convert(src: string, n: RawNode): FastNode {
  const start = skipSpace(src, n.open);
  const children = n.children.filter(c => c.kind !== null);
  const first = src.charCodeAt(start);
  if (n.kind === 'scalar') {
    let end: number;
    if (first === 0x7c /* | */ || first === 0x3e /* > */) {
      end = blockScalarEnd(src, start, n.close);
      return { kind: 'scalar', range: [start, end], nodeEnd: end, pairs: [], items: [] };
    }
    end = trimBack(src, start, n.close);
    if (end <= start || src.slice(start, end).includes('\n')) throw new GiveUp();
    if ((first === 0x22 || first === 0x27) && src.charCodeAt(end - 1) !== first) throw new GiveUp();
    return { kind: 'scalar', range: [start, end], nodeEnd: trailingEnd(src, end), pairs: [], items: [] };
  }
  if (n.kind !== 'mapping' && n.kind !== 'sequence') throw new GiveUp();
  const flow = first === 0x5b /* [ */ || first === 0x7b; /* { */
  const kids = children.map(c => convert(src, c));
  const out: FastNode = {
    kind: n.kind === 'mapping' ? 'map' : 'seq',
    range: [start, start],
    nodeEnd: start,
    pairs: [],
    items: [],
  };
  if (out.kind === 'map') {
    const keys = isPlainObject(n.result) ? Object.keys(n.result).length : -1;
    if (kids.length % 2 !== 0 || kids.length / 2 !== keys) throw new GiveUp();
    for (let i = 0; i < children.length; i += 2) {
      const k = children[i];
      if (typeof k.result !== 'string' || kids[i].kind !== 'scalar') throw new GiveUp();
      out.pairs.push({ key: k.result, keyRange: kids[i].range, value: kids[i + 1] });
    }
  } else {
    if (!Array.isArray(n.result) || n.result.length !== kids.length) throw new GiveUp();
    out.items = kids;
  }
  if (flow) {
    const end = trimBack(src, start, n.close);
    if (src.charCodeAt(end - 1) !== (first === 0x5b ? 0x5d : 0x7d) || src.slice(start, end).includes('\n'))
      throw new GiveUp();
    out.range = [start, end];
    out.nodeEnd = trailingEnd(src, end);
    return out;
  }
  if (kids.length === 0) throw new GiveUp();
  // A block collection ends with its last node's line, comment and line break included.
  const lastEnd = kids[kids.length - 1].nodeEnd;
  const end = src.charCodeAt(lastEnd) === 0x0a && src.charCodeAt(lastEnd - 1) !== 0x0a ? lastEnd + 1 : lastEnd;
  out.range = [start, end];
  out.nodeEnd = end;
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Forward over spaces and line breaks to where a node's content starts (comments never get here). */
function skipSpace(src: string, i: number): number {
  for (;;) {
    const c = src.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a) return i;
    i++;
  }
}

/** Back over spaces and line breaks (js-yaml reports a position after what it skipped). */
function trimBack(src: string, start: number, i: number): number {
  while (i > start) {
    const c = src.charCodeAt(i - 1);
    if (c !== 0x20 && c !== 0x0a) break;
    i--;
  }
  return i;
}

/** After a scalar or flow node: trailing spaces and the line break belong to it. */
function trailingEnd(src: string, i: number): number {
  while (src.charCodeAt(i) === 0x20) i++;
  return src.charCodeAt(i) === 0x0a ? i + 1 : i;
}

/** A block scalar's range ends after the line break of its last non-blank line. */
function blockScalarEnd(src: string, start: number, close: number): number {
  let j = close;
  while (j > start) {
    const c = src.charCodeAt(j - 1);
    if (c !== 0x20 && c !== 0x0a) break;
    j--;
  }
  const header = src.indexOf('\n', start);
  if (header < 0 || j <= header) throw new GiveUp(); // no content lines
  const nl = src.indexOf('\n', j);
  return nl < 0 ? src.length : nl + 1;
}
