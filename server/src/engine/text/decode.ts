import { isUtf8 } from 'node:buffer';

/** A file's bytes as text, the way an editor shows them. */
export interface DecodedText {
  /** Without the byte-order mark: editors do not show it, so positions agree with theirs. */
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
  /** The file started with a byte-order mark (kept when the file is written back by an editor). */
  bom: boolean;
  /** Set when the bytes are not valid in their encoding; the invalid bytes read as U+FFFD. */
  notice?: string;
}

/**
 * Bytes to text, for every reader of workspace files (the CLI, the language server's disk
 * reads). UTF-8 is the default, with or without a BOM; UTF-16 is recognised by its BOM (as
 * go-yaml, behind kubectl, does) instead of being refused for its NUL bytes. Invalid UTF-8 is
 * read with U+FFFD for each bad sequence, as VS Code shows it, and said in `notice`; the parse
 * level reports the replacement characters as a diagnostic (file-encoding), so an open editor
 * buffer, which holds the same characters, gets the same diagnostic.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return utf16(bytes, 'utf-16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return utf16(bytes, 'utf-16be');
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  // TextDecoder drops a leading BOM by default.
  const text = new TextDecoder('utf-8').decode(bytes);
  if (isUtf8(bytes)) return { text, encoding: 'utf-8', bom };
  return { text, encoding: 'utf-8', bom, notice: invalidNotice(text, 'UTF-8') };
}

function utf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): DecodedText {
  let text: string;
  let valid = true;
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder(encoding).decode(bytes);
    valid = false;
  }
  return {
    text,
    encoding,
    bom: true,
    notice: valid ? undefined : invalidNotice(text, encoding === 'utf-16le' ? 'UTF-16LE' : 'UTF-16BE'),
  };
}

function invalidNotice(text: string, name: string): string {
  const at = text.indexOf('\uFFFD');
  const before = text.slice(0, Math.max(0, at));
  const line = before.split(/\r\n|\r|\n/).length;
  const column = before.length - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  return `not valid ${name}: the first invalid byte is at line ${line}, column ${column}; invalid bytes were read as U+FFFD`;
}
