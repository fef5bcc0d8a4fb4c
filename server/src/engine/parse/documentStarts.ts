/**
 * Where each document starts, numbered as `yaml` numbers them: a `---` line opens a document,
 * and the text before the first one is a document only if it holds more than comments. A
 * `---` at column 0 cannot be content (YAML forbids it inside scalars), so lines suffice;
 * directives, `...` end markers and a byte-order mark are left to a whole-file parse (null).
 */
export function documentStarts(text: string): number[] | null {
  // `(?<![^\n])` is "at a line start" for YAML's breaks only: JavaScript's `^` with the m flag
  // also matches after U+2028 and a lone CR (callers turn lone CRs into LFs first).
  if (text.charCodeAt(0) === 0xfeff || /(?<![^\n])(?:%|\.\.\.)/.test(text)) return null;
  const markers: number[] = [];
  for (const m of text.matchAll(/(?<![^\n])---(?=[ \t\r\n]|$)/g)) markers.push(m.index!);
  const head = text.slice(0, markers.length ? markers[0] : text.length);
  return /(?<![^\n])[ \t]*[^#\s]/.test(head) || markers.length === 0 ? [0, ...markers] : markers;
}
