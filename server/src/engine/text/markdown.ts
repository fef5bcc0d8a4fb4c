/**
 * Escaping for Markdown built from workspace text (names, labels, values, file names).
 *
 * Hovers are untrusted Markdown: a label value is written by whoever wrote the repository, so
 * it must never end a code span, open a link or an image (`![](https://…)` would be fetched
 * when the hover shows), start a heading or a list, or carry HTML. Every workspace-derived
 * string that goes into Markdown passes through one of these functions; constant text written
 * here in the engine does not need to.
 *
 * The rules are CommonMark's (and GFM's for tables), which VS Code's renderer follows.
 */

/** Line breaks would start new blocks (a heading, a fence, a table row) inside a line we build. */
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/g;

/**
 * What has inline meaning anywhere in a line: escapes, code spans, emphasis, strikethrough,
 * links and images (`[`, `]`; `!` and `(` mean nothing without them), HTML and autolinks
 * (`<`, `>`), entities (`&`), table cells (`|`), headings' closing `#`s. GFM's bare autolinks
 * are defused at their trigger: the `:` of `://`, the `.` of `www.` and the `@` of an address.
 */
const INLINE_SPECIAL = /[\\`*_~[\]<>&|#@]|:(?=\/\/)|(?<=\bwww)\./gi;

/** What has block meaning at the start of a line: list and quote markers, thematic breaks, setext underlines, ordered-list numbers. */
const BLOCK_START = /^(?:[-+=>]|\d+(?=[.)]))/;

/**
 * Plain text: shown exactly as written, with no Markdown meaning. Line breaks become spaces so
 * the text stays inside the line (list item, table cell, heading) it was put in, and leading
 * blanks are dropped so it can never become an indented code block. Pipes come out as `\|`,
 * so the result is also safe inside a GFM table cell. Only what Markdown would interpret is
 * escaped, so the source stays readable (`shop/web-0`, not `shop\/web\-0`).
 */
export function escapeText(value: string | number): string {
  const s = String(value)
    .replace(LINE_BREAK, ' ')
    .replace(/^\s+/, '')
    .replace(INLINE_SPECIAL, c => `\\${c}`);
  const m = BLOCK_START.exec(s);
  if (!m) return s;
  // `1.` becomes `1\.`; a leading `-`, `+`, `=` or `>` gets its own backslash.
  return /\d/.test(m[0]) ? `${m[0]}\\${s.slice(m[0].length)}` : `\\${s}`;
}

/**
 * An inline code span showing `value` literally. The fence is one backtick longer than the
 * longest backtick run inside, and a space pads content that starts or ends with a backtick
 * (CommonMark strips exactly one such space on each side). With `inTable`, pipes are escaped
 * as GFM requires inside table cells (GFM removes the backslash before inline parsing).
 */
export function codeSpan(value: string | number, opts: { inTable?: boolean } = {}): string {
  let s = String(value).replace(LINE_BREAK, ' ');
  if (opts.inTable) {
    // GFM splits cells on pipes with an even number of backslashes before them, code spans
    // included; `\|` in a value cannot be written in a cell's code span, but it can as text.
    if (/\\\|/.test(s)) return escapeText(s);
    s = s.replace(/\|/g, '\\|');
  }
  if (s === '') return '` `';
  const fence = '`'.repeat(longestRun(s, '`') + 1);
  const pad = s.startsWith('`') || s.endsWith('`') || (s.startsWith(' ') && s.endsWith(' ') && s.trim() !== '');
  return pad ? `${fence} ${s} ${fence}` : `${fence}${s}${fence}`;
}

/**
 * A fenced code block holding `text` verbatim (rule listings that quote names and comments).
 * The fence is longer than any backtick run in the text, so no line of it can close the block.
 */
export function codeBlock(text: string, language = ''): string {
  const fence = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  return `${fence}${escapeInfo(language)}\n${text === '' ? '' : `${text}\n`}${fence}`;
}

/**
 * Link text: plain text whose brackets are character references. A backslash-escaped bracket
 * is not enough there: `marked` (VS Code's renderer) unescapes brackets in a link's label and
 * parses it again, so `!\[x\](…)` would become an image inside the link.
 */
export function escapeLinkText(value: string): string {
  return escapeText(value).replace(/\\([[\]])/g, (_, b: string) => (b === '[' ? '&#91;' : '&#93;'));
}

/**
 * A Markdown link whose label and destination come from the workspace: the label is escaped
 * text; the destination goes in angle brackets with everything that could end it, or break the
 * line, percent-encoded.
 */
export function markdownLink(label: string, target: string): string {
  return `[${escapeLinkText(label)}](<${encodeDestination(target)}>)`;
}

/** A link destination made safe for `<…>`: no spaces, line breaks, angle brackets or backslashes remain. */
export function encodeDestination(target: string): string {
  return target.replace(/[\s<>\\`"'()[\]]/g, c =>
    c.charCodeAt(0) < 0x80 ? `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}` : encodeURIComponent(c),
  );
}

/**
 * Plain labels that VS Code renders with icon syntax (code lens titles, status text): `$(name)`
 * would become an icon, so it is escaped as VS Code's own escapeIcons does. No Markdown here.
 */
export function escapeIcons(value: string): string {
  return value
    .replace(LINE_BREAK, ' ')
    .replace(/(\\)?\$\(([A-Za-z0-9-]+?(?:~[A-Za-z0-9-]*?)?)\)/g, (m, escaped) => (escaped ? m : `\\${m}`));
}

function escapeInfo(language: string): string {
  return language.replace(/[^A-Za-z0-9_+-]/g, '');
}

function longestRun(s: string, ch: string): number {
  let best = 0,
    run = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === ch) {
      run++;
      if (run > best) best = run;
    } else run = 0;
  }
  return best;
}
