import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { TextDocumentsConfiguration } from 'vscode-languageserver/node';

type Position = { line: number; character: number };
type Range = { start: Position; end: Position };

/**
 * How open buffers are created and updated, with every incremental change checked first.
 *
 * `TextDocument.update` trusts the range it is given: a change at line 1e9 makes it write a line
 * offset at index 1e9, and the next edit then walks a billion-slot array until the process runs
 * out of memory. So each change is applied on its own, after its range has been moved inside the
 * document as it stands at that point: positions past the end of a line mean the end of the line
 * (the LSP rule), lines past the last line mean the end of the document, negative numbers the
 * start. A change that is not a change at all (no text, or positions that are not numbers) is
 * dropped. Either way the buffer stays internally consistent, and `log` gets one line naming
 * the document, the version and what was done, since the editor and server may now disagree.
 */
export function checkedDocuments(log: (message: string) => void): TextDocumentsConfiguration<TextDocument> {
  return {
    create: (uri, languageId, version, content) =>
      TextDocument.create(uri, languageId, version, typeof content === 'string' ? content : ''),
    update: (doc, changes, version) => {
      if (!Array.isArray(changes)) {
        log(`kube-netlint: didChange for ${doc.uri} (version ${version}) carried no list of changes; ignored`);
        return doc;
      }
      let current = doc;
      for (const change of changes) {
        const checked = checkChange(current, change);
        if (checked.problem) log(`kube-netlint: didChange for ${doc.uri} (version ${version}): ${checked.problem}`);
        if (checked.change) current = TextDocument.update(current, [checked.change], version);
      }
      return current;
    },
  };
}

export interface CheckedChange {
  /** The change to apply, with its range inside the document; undefined: drop it. */
  change?: TextDocumentContentChangeEvent;
  /** What was wrong with the change as sent, for the log. */
  problem?: string;
}

export function checkChange(doc: TextDocument, change: unknown): CheckedChange {
  if (!change || typeof change !== 'object' || typeof (change as { text?: unknown }).text !== 'string')
    return { problem: 'a change without text; dropped' };
  const { text, range } = change as { text: string; range?: unknown };
  if (range === undefined) return { change: { text } };
  if (!isRange(range)) return { problem: `a change whose range is not a range (${brief(range)}); dropped` };
  const start = doc.positionAt(doc.offsetAt(clampNumbers(range.start)));
  const end = doc.positionAt(doc.offsetAt(clampNumbers(range.end)));
  const fixed = { start, end };
  if (withinSpec(doc, range.start) && withinSpec(doc, range.end)) return { change: { range: fixed, text } };
  return {
    change: { range: fixed, text },
    problem:
      `range ${show(range)} lies outside the document (${doc.lineCount} line${doc.lineCount === 1 ? '' : 's'}); ` +
      `applied at ${show(fixed)} instead. If the editor's buffer differs from the server's, close and reopen the file.`,
  };
}

function isRange(r: unknown): r is Range {
  if (!r || typeof r !== 'object') return false;
  const { start, end } = r as { start?: unknown; end?: unknown };
  return isPosition(start) && isPosition(end);
}

function isPosition(p: unknown): p is Position {
  if (!p || typeof p !== 'object') return false;
  const { line, character } = p as { line?: unknown; character?: unknown };
  return typeof line === 'number' && !Number.isNaN(line) && typeof character === 'number' && !Number.isNaN(character);
}

/** Non-negative integers; the document's own offsetAt then clamps to its lines and their ends. */
function clampNumbers(p: Position): Position {
  const n = (x: number) => (x === Infinity ? Number.MAX_SAFE_INTEGER : Math.max(0, Math.floor(x)));
  return { line: n(p.line), character: n(p.character) };
}

/**
 * Positions a client may send without being wrong: a character past the end of its line means
 * the line's end (LSP), and the line just after the last one, at character 0, is a common
 * spelling of the end of the document. Anything else outside the document is logged.
 */
function withinSpec(doc: TextDocument, p: Position): boolean {
  const whole = (x: number) => Number.isInteger(x) && x >= 0;
  if (!whole(p.line) || !whole(p.character)) return false;
  return p.line < doc.lineCount || (p.line === doc.lineCount && p.character === 0);
}

function show(r: Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

function brief(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
