import {
  parseTree,
  Node as JNode,
  ParseError,
  printParseErrorCode,
  findNodeAtLocation,
  getNodeValue,
} from 'jsonc-parser';
import type { Anchor } from '../../parse/locate';
import { TextMap } from './textMap';

export type { JNode };

/** Install-time templating markers: Calico's `__CNI_MTU__`, envsubst `${VAR}`, Go/Helm `{{ }}`. */
export const PLACEHOLDER_RE = /__[A-Z][A-Z0-9_]*__|\$\{[^}\n]*\}|\$[A-Z_][A-Z0-9_]*\b|\{\{[^}\n]*\}\}/g;

export function hasPlaceholder(s: string): boolean {
  PLACEHOLDER_RE.lastIndex = 0;
  const r = PLACEHOLDER_RE.test(s);
  PLACEHOLDER_RE.lastIndex = 0;
  return r;
}

export interface Placeholder {
  text: string;
  start: number;
  end: number;
  inString: boolean;
}

/**
 * A JSON text (a file, or a string embedded in YAML) parsed with exact offsets. Placeholders
 * outside strings are blanked to a same-length number before parsing, so a templated config
 * still yields a tree and the placeholder becomes a "cannot evaluate" note, not a syntax error.
 */
export class JsonDoc {
  readonly root: JNode | undefined;
  readonly errors: ParseError[] = [];
  readonly placeholders: Placeholder[] = [];

  constructor(
    readonly fileId: string,
    readonly map: TextMap,
    readonly where: string,
    readonly fallback?: Anchor,
  ) {
    const text = map.text;
    let prepared = text;
    PLACEHOLDER_RE.lastIndex = 0;
    const found = [...text.matchAll(PLACEHOLDER_RE)];
    if (found.length) {
      const inStr = stringMask(text);
      const chars = text.split('');
      for (const m of found) {
        const start = m.index ?? 0,
          end = start + m[0].length;
        const inString = inStr[start];
        this.placeholders.push({ text: m[0], start, end, inString });
        if (!inString) for (let k = start; k < end; k++) chars[k] = k === start ? '0' : ' ';
      }
      prepared = chars.join('');
    }
    this.root = parseTree(prepared, this.errors, {
      allowTrailingComma: false,
      disallowComments: true,
      allowEmptyContent: false,
    });
  }

  get text(): string {
    return this.map.text;
  }

  /** Anchor of decoded range [a, b). */
  anchorAt(a: number, b: number): Anchor {
    if (this.fallback) return this.fallback;
    return { offsets: this.map.toFile(a, b) };
  }

  /** Exact characters of a value: a string's content without its quotes, other values whole. */
  anchor(node: JNode | undefined, part: 'value' | 'key' | 'pair' = 'value'): Anchor {
    if (!node) return this.anchorAt(0, 0);
    let n = node;
    if (n.type === 'property') {
      const key = n.children?.[0];
      const val = n.children?.[1];
      if (part === 'pair' || !key) return this.anchorAt(n.offset, n.offset + n.length);
      n = part === 'key' || !val ? key : val;
    } else if (part !== 'value' && n.parent?.type === 'property') {
      return this.anchor(n.parent, part);
    }
    if (n.type === 'string' && n.length >= 2) return this.anchorAt(n.offset + 1, n.offset + n.length - 1);
    return this.anchorAt(n.offset, n.offset + n.length);
  }

  /** A sub-range of a string value's content (e.g. one entry of a comma list). */
  anchorInString(node: JNode, from: number, to: number): Anchor {
    return this.anchorAt(node.offset + 1 + from, node.offset + 1 + to);
  }

  errorMessage(e: ParseError): string {
    return `${printParseErrorCode(e.error)} at character ${e.offset}`;
  }

  placeholderIn(node: JNode): Placeholder | undefined {
    return this.placeholders.find(p => p.start >= node.offset && p.end <= node.offset + node.length);
  }
}

/** Marks which characters are inside JSON string literals (escape-aware). */
function stringMask(text: string): boolean[] {
  const mask = new Array<boolean>(text.length).fill(false);
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inStr) {
      mask[i] = true;
      if (c === '\\') {
        mask[i + 1] = true;
        i++;
        continue;
      }
      if (c === '"') inStr = false;
    } else if (c === '"') {
      inStr = true;
      mask[i] = true;
    }
  }
  return mask;
}

// ---- small tree helpers -------------------------------------------------------------------

export function prop(obj: JNode | undefined, key: string): JNode | undefined {
  if (!obj || obj.type !== 'object') return undefined;
  for (const p of obj.children ?? []) if (p.children?.[0]?.value === key) return p.children?.[1];
  return undefined;
}

/** Like `prop` but returns the property node (key + value). */
export function propNode(obj: JNode | undefined, key: string): JNode | undefined {
  if (!obj || obj.type !== 'object') return undefined;
  for (const p of obj.children ?? []) if (p.children?.[0]?.value === key) return p;
  return undefined;
}

export function keys(obj: JNode | undefined): { key: string; prop: JNode; value: JNode | undefined }[] {
  if (!obj || obj.type !== 'object') return [];
  return (obj.children ?? []).map(p => ({ key: String(p.children?.[0]?.value), prop: p, value: p.children?.[1] }));
}

export function items(arr: JNode | undefined): JNode[] {
  return arr?.type === 'array' ? (arr.children ?? []) : [];
}

export function str(n: JNode | undefined): string | undefined {
  return n?.type === 'string' ? (n.value as string) : undefined;
}

export function value(n: JNode | undefined): unknown {
  return n ? getNodeValue(n) : undefined;
}

export { findNodeAtLocation };
