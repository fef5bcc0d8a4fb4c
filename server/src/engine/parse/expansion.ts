/**
 * How much work a parsed YAML document hides behind its aliases.
 *
 * Both parsers return an alias as a second reference to the anchored object, so loading is
 * cheap, but anything that walks or stringifies the value (a label turned into a string, a
 * selector compared, a config map copied) expands every alias again: nine anchors of nine
 * aliases each (the "billion laughs") become 387 million strings, and a self-referencing
 * anchor never ends. This measures the fully expanded size of a document in time linear in
 * its parsed size (each object is sized once and remembered), so a document can be refused
 * before any consumer sees it.
 *
 * The node limit is the one Kubernetes applies: go-yaml (behind kubectl and the API server)
 * counts decoded nodes and nodes decoded through aliases, and fails with "document contains
 * excessive aliasing" once aliases account for more than 99 % of over 1,000 nodes, tapering to
 * 10 % at 4,000,000 nodes. Text is bounded too, because one long string repeated by aliases
 * costs nothing in nodes and everything in memory.
 */

export interface Expansion {
  /** Nodes decoded with every alias expanded (mapping keys count, as in go-yaml). */
  nodes: number;
  /** Of those, the nodes decoded through an alias. */
  aliasNodes: number;
  /** UTF-16 code units of all keys and string values, aliases expanded. */
  chars: number;
  /** An anchor whose value contains an alias to itself. */
  cyclic: boolean;
  /** Why the document is refused, when it is. */
  refused?: string;
}

/** Extra text, beyond the file's own length, that aliases may add to a document before it is refused. */
export const ALIAS_TEXT_ALLOWANCE = 8 * 1024 * 1024;

/** go-yaml's allowedAliasRatio (yaml.v2 decode.go, also in yaml.v3). */
export function allowedAliasRatio(decodeCount: number): number {
  const low = 400_000,
    high = 4_000_000;
  if (decodeCount <= low) return 0.99;
  if (decodeCount >= high) return 0.1;
  return 0.99 - (0.89 * (decodeCount - low)) / (high - low);
}

function excessive(aliasCount: number, decodeCount: number): boolean {
  return aliasCount > 100 && decodeCount > 1000 && aliasCount / decodeCount > allowedAliasRatio(decodeCount);
}

interface Size {
  nodes: number;
  chars: number;
}

interface Frame {
  obj: object;
  /** Child values still to visit (keys are counted on entry). */
  children: unknown[];
  next: number;
  nodes: number;
  chars: number;
}

/**
 * Measures a document and decides whether it may be used. `maxChars` bounds the expanded text
 * (the caller passes its source length plus ALIAS_TEXT_ALLOWANCE). Stops as soon as the answer
 * is no, so a bomb costs no more than a document of its own size.
 */
export function measureExpansion(root: unknown, maxChars: number): Expansion {
  const out: Expansion = { nodes: 0, aliasNodes: 0, chars: 0, cyclic: false };
  const done = new Map<object, Size>();
  const open = new Set<object>();
  const stack: Frame[] = [];
  // Running counters in decode order, as go-yaml checks them.
  let decoded = 0,
    aliased = 0,
    chars = 0;

  const refuse = (why: string): Expansion => {
    out.refused = why;
    out.nodes = decoded;
    out.aliasNodes = aliased;
    out.chars = chars;
    return out;
  };

  /** Adds one child value to the frame on top (or to the totals at the root); false when refused. */
  const visit = (v: unknown): Frame | 'refused' | undefined => {
    const parent = stack[stack.length - 1];
    if (v === null || typeof v !== 'object') {
      const c = typeof v === 'string' ? v.length : 0;
      decoded++;
      chars += c;
      if (parent) {
        parent.nodes++;
        parent.chars += c;
      }
      return chars > maxChars ? 'refused' : undefined;
    }
    if (open.has(v)) {
      out.cyclic = true;
      return 'refused';
    }
    const known = done.get(v);
    if (known) {
      // A second reference is an alias: go-yaml decodes the alias node, then the whole anchored value again.
      decoded += 1 + known.nodes;
      aliased += known.nodes;
      chars += known.chars;
      if (parent) {
        parent.nodes += known.nodes;
        parent.chars += known.chars;
      }
      return excessive(aliased, decoded) || chars > maxChars ? 'refused' : undefined;
    }
    decoded++;
    open.add(v);
    let children: unknown[];
    let keyChars = 0,
      keyNodes = 0;
    if (Array.isArray(v)) children = v;
    else {
      const keys = Object.keys(v);
      children = keys.map(k => (v as Record<string, unknown>)[k]);
      keyNodes = keys.length;
      for (const k of keys) keyChars += k.length;
    }
    decoded += keyNodes;
    chars += keyChars;
    const f: Frame = { obj: v, children, next: 0, nodes: 1 + keyNodes, chars: keyChars };
    return chars > maxChars ? 'refused' : f;
  };

  const first = visit(root);
  if (first === 'refused') return refuse(out.cyclic ? 'cycle' : 'size');
  if (first) stack.push(first);
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.next < top.children.length) {
      const r = visit(top.children[top.next++]);
      if (r === 'refused') return refuse(out.cyclic ? 'cycle' : 'size');
      if (r) stack.push(r);
      continue;
    }
    stack.pop();
    open.delete(top.obj);
    done.set(top.obj, { nodes: top.nodes, chars: top.chars });
    const parent = stack[stack.length - 1];
    if (parent) {
      parent.nodes += top.nodes;
      parent.chars += top.chars;
    }
  }
  out.nodes = decoded;
  out.aliasNodes = aliased;
  out.chars = chars;
  if (excessive(aliased, decoded)) out.refused = 'size';
  return out;
}

/** The sentence a diagnostic shows for a refused document. */
export function expansionMessage(e: Expansion): string {
  if (e.cyclic)
    return 'YAML document skipped: an anchor contains an alias to itself, so its value never ends (kubectl rejects it: "anchor contains itself").';
  if (!excessive(e.aliasNodes, e.nodes))
    return `YAML document skipped: its aliases repeat more than ${formatCount(e.chars)} characters of text, far more than any Kubernetes object may hold.`;
  return `YAML document skipped: aliases make up ${formatCount(e.aliasNodes)} of the first ${formatCount(e.nodes)} nodes it expands to; kubectl and the API server refuse it ("document contains excessive aliasing").`;
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
