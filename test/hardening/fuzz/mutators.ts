import fc from 'fast-check';
import { decodeText } from '../../../server/src/engine/text/decode';

/**
 * Mutations of a manifest's text, as plain data so fast-check can shrink them and a failure
 * prints something a person can replay: positions are fractions (0..1e6) of the text or of its
 * lines, so one mutation applies to any file. Each kind imitates something real: a damaged
 * download (byte flips, truncation, binary), an editor mid-edit (indentation, inserted lines,
 * swapped values), a hostile file (alias chains, huge values), another platform (line ends, BOM).
 */
export type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'bytes'; at: number; bytes: number[] }
  | { kind: 'binary' }
  | { kind: 'truncate'; at: number }
  | { kind: 'indent'; line: number; count: number; by: number; tab: boolean }
  | { kind: 'anchor'; from: number; to: number[] }
  | { kind: 'aliasChain'; line: number; depth: number; width: number; use: number[] }
  | { kind: 'swap'; line: number; to: number }
  | { kind: 'huge'; line: number; shape: HugeShape; size: number }
  | { kind: 'eol'; style: 'crlf' | 'cr' | 'lf' | 'mixed' | 'bom' | 'nobom' }
  | { kind: 'duplicate'; line: number; to: number }
  | { kind: 'insert'; line: number; what: number; indented: boolean };

export type HugeShape = 'string' | 'deepFlow' | 'deepBlock' | 'keys' | 'list' | 'number' | 'docs' | 'comment';

const FRACTION = 1_000_000;

/** Values a key can be given instead of its own: every YAML type, and the near misses of each. */
export const SWAPS = [
  '"text"',
  'eighty',
  '42',
  '-1',
  '0',
  '65536',
  '3.5',
  '1e400',
  '0x1F',
  '0o17',
  '.nan',
  '-.inf',
  'true',
  'no',
  'null',
  '~',
  '',
  '{}',
  '[]',
  '{a: b}',
  '[1, two, {}]',
  '!!binary aGVsbG8=',
  '2001-12-14t21:59:43.10-05:00',
  '"8080"',
  "'80'",
  '!!str 80',
  '!!int "80"',
  '!!map {}',
  '!!set {a, b}',
  '!!seq []',
  '!custom x',
  '|\n  literal',
  'BLOCK_MAP',
  'BLOCK_LIST',
  '{{ .Values.port }}',
  '"__proto__"',
  '{__proto__: {polluted: yes}, constructor: x}',
] as const;

/** Lines inserted as they are: templates, document markers, directives, stray syntax, odd characters. */
export const INSERTS = [
  '{{ .Values.x }}',
  '{{- if .Values.enabled }}',
  '---',
  '...',
  '\t',
  '%YAML 1.2',
  '%TAG ! tag:example.com,2000:',
  '# kube-netlint-disable-next-line service-selector-no-match',
  '# kube-netlint-disable-next-line',
  '? complex key',
  '!!python/object:os.system {}',
  '&a',
  '*a',
  '"unterminated',
  "key: 'unterminated",
  ': :',
  '- - -',
  'apiVersion: v1',
  'kind: Service',
  'kind: List',
  'items: [{apiVersion: v1, kind: Service, metadata: {name: s}, spec: {ports: [{port: 1}]}}]',
  '<<: [*a, *b]',
  '<<: *missing',
  '__proto__: {x: 1}',
  'metadata: {name: null, namespace: [x]}',
  'selector: {matchExpressions: [{key: app, operator: In}]}',
  'ports: [{port: 80, targetPort: 0}, {port: -5, nodePort: 99999999999999999999}]',
  '\u0000',
  '\uFFFD\uFFFD',
  '\u2028',
  '\uD800',
  '\u200B',
  '\u{1F600}: \u{1F600}',
] as const;

const frac = fc.nat(FRACTION - 1);

/** One mutation. `scale` bounds the huge values: 1 for the short run, larger for the long one. */
export function mutationArb(scale = 1): fc.Arbitrary<Mutation> {
  return fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: frac, bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({
      kind: fc.constant('bytes' as const),
      at: frac,
      bytes: fc.array(fc.constantFrom(0x00, 0x0d, 0x80, 0xbf, 0xc0, 0xed, 0xf0, 0xfe, 0xff, 0x09, 0x22, 0x3a), {
        minLength: 1,
        maxLength: 6,
      }),
    }),
    fc.constant({ kind: 'binary' as const }),
    fc.record({ kind: fc.constant('truncate' as const), at: frac }),
    fc.record({
      kind: fc.constant('indent' as const),
      line: frac,
      count: fc.integer({ min: 1, max: 20 }),
      by: fc.integer({ min: -6, max: 6 }),
      tab: fc.boolean(),
    }),
    fc.record({ kind: fc.constant('anchor' as const), from: frac, to: fc.array(frac, { minLength: 1, maxLength: 4 }) }),
    fc.record({
      kind: fc.constant('aliasChain' as const),
      line: frac,
      depth: fc.integer({ min: 1, max: 12 }),
      width: fc.integer({ min: 1, max: 12 }),
      use: fc.array(frac, { maxLength: 3 }),
    }),
    fc.record({ kind: fc.constant('swap' as const), line: frac, to: fc.nat(SWAPS.length - 1) }),
    fc.record({
      kind: fc.constant('huge' as const),
      line: frac,
      shape: fc.constantFrom<HugeShape>('string', 'deepFlow', 'deepBlock', 'keys', 'list', 'number', 'docs', 'comment'),
      size: fc.integer({ min: 1, max: 1000 * scale }),
    }),
    fc.record({
      kind: fc.constant('eol' as const),
      style: fc.constantFrom(
        'crlf' as const,
        'cr' as const,
        'lf' as const,
        'mixed' as const,
        'bom' as const,
        'nobom' as const,
      ),
    }),
    fc.record({ kind: fc.constant('duplicate' as const), line: frac, to: fc.nat(SWAPS.length - 1) }),
    fc.record({
      kind: fc.constant('insert' as const),
      line: frac,
      what: fc.nat(INSERTS.length - 1),
      indented: fc.boolean(),
    }),
  );
}

/** A mutant: one to four mutations applied in order. */
export function mutationsArb(scale = 1): fc.Arbitrary<Mutation[]> {
  return fc.array(mutationArb(scale), { minLength: 1, maxLength: 4 });
}

export function applyMutations(text: string, ms: readonly Mutation[]): string {
  return ms.reduce(applyMutation, text);
}

interface Line {
  body: string;
  eol: string;
}

function splitLines(text: string): Line[] {
  const parts = text.split(/(\r\n|\r|\n)/);
  const out: Line[] = [];
  for (let i = 0; i < parts.length; i += 2) out.push({ body: parts[i], eol: parts[i + 1] ?? '' });
  return out;
}

function joinLines(lines: Line[]): string {
  return lines.map(l => l.body + l.eol).join('');
}

function pick<T>(items: readonly T[], at: number): T | undefined {
  return items.length ? items[Math.floor((at / FRACTION) * items.length)] : undefined;
}

function eolOf(lines: Line[]): string {
  return lines.find(l => l.eol)?.eol ?? '\n';
}

/** `key: value` (value a scalar), `key:` (a block follows) or `- value`: where a value can be replaced. */
const VALUE_LINE =
  /^(\s*(?:- )?(?:[^\s#:'"{[][^#:]*?|"[^"]*"|'[^']*'):)([ \t]+[^\s#&*|>!].*|\s*)$|^(\s*- )([^\s#&*|>!-].*)$/;

function valueLines(lines: Line[]): number[] {
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (VALUE_LINE.test(l.body)) out.push(i);
  });
  return out;
}

/** The line's head (up to and including `key:` or `- `) and its indentation for a block below. */
function headOf(body: string): { head: string; indent: string } | undefined {
  const m = VALUE_LINE.exec(body);
  if (!m) return undefined;
  const head = m[1] ?? m[3];
  return { head, indent: ' '.repeat(head.length - head.trimStart().length + 2) };
}

function withValue(body: string, value: string, eol: string): string {
  const h = headOf(body);
  if (!h) return body;
  const sep = h.head.endsWith(' ') ? '' : ' ';
  if (value === 'BLOCK_MAP') return `${h.head}${eol}${h.indent}a: 1${eol}${h.indent}b: [x]`;
  if (value === 'BLOCK_LIST') return `${h.head}${eol}${h.indent}- 1${eol}${h.indent}- x`;
  return `${h.head}${sep}${value.replace(/\n {2}/g, `${eol}${h.indent}`)}`;
}

export function applyMutation(text: string, m: Mutation): string {
  const lines = splitLines(text);
  const eol = eolOf(lines);
  const lineAt = (at: number) => Math.min(lines.length - 1, Math.floor((at / FRACTION) * lines.length));
  switch (m.kind) {
    case 'flip': {
      const bytes = Buffer.from(text, 'utf8');
      if (bytes.length === 0) return text;
      bytes[Math.floor((m.at / FRACTION) * bytes.length)] ^= 1 << m.bit;
      return decodeText(bytes).text;
    }
    case 'bytes': {
      const bytes = Buffer.from(text, 'utf8');
      const at = Math.floor((m.at / FRACTION) * (bytes.length + 1));
      return decodeText(Buffer.concat([bytes.subarray(0, at), Buffer.from(m.bytes), bytes.subarray(at)])).text;
    }
    case 'binary':
      // The file's UTF-16 bytes read as UTF-8: NUL between every character, as a binary file looks.
      return decodeText(Buffer.from(text, 'utf16le')).text;
    case 'truncate':
      return text.slice(0, Math.floor((m.at / FRACTION) * text.length));
    case 'indent': {
      const start = lineAt(m.line);
      for (let i = start; i < Math.min(lines.length, start + m.count); i++) {
        const l = lines[i];
        if (m.by >= 0) l.body = (m.tab ? '\t' : ' ').repeat(m.by) + l.body;
        else l.body = l.body.replace(new RegExp(`^[ \\t]{0,${-m.by}}`), '');
      }
      return joinLines(lines);
    }
    case 'anchor': {
      const candidates = valueLines(lines);
      const from = pick(candidates, m.from);
      if (from === undefined) return text;
      const h = headOf(lines[from].body)!;
      const rest = lines[from].body.slice(h.head.length).trimStart();
      lines[from].body = `${h.head} &fz${rest ? ` ${rest}` : ''}`;
      for (const t of m.to) {
        const to = pick(candidates, t);
        if (to !== undefined && to !== from) lines[to].body = withValue(lines[to].body, '*fz', eol);
      }
      return joinLines(lines);
    }
    case 'aliasChain': {
      // c0 holds `width` strings; each c<i> holds `width` aliases of c<i-1> (a bomb when both are large).
      const chain = [`x-fuzz-chain:`, `  c0: &c0 [${Array(m.width).fill('"v"').join(', ')}]`];
      for (let i = 1; i < m.depth; i++)
        chain.push(
          `  c${i}: &c${i} [${Array(m.width)
            .fill(`*c${i - 1}`)
            .join(', ')}]`,
        );
      const tops = lines.map((l, i) => (/^[A-Za-z]/.test(l.body) ? i : -1)).filter(i => i >= 0);
      const at = pick(tops, m.line) ?? 0;
      const candidates = valueLines(lines);
      for (const u of m.use) {
        const to = pick(candidates, u);
        if (to !== undefined) lines[to].body = withValue(lines[to].body, `*c${m.depth - 1}`, eol);
      }
      lines.splice(at, 0, ...chain.map(body => ({ body, eol })));
      return joinLines(lines);
    }
    case 'swap': {
      const at = pick(valueLines(lines), m.line);
      if (at === undefined) return text;
      lines[at].body = withValue(lines[at].body, SWAPS[m.to], eol);
      return joinLines(lines);
    }
    case 'huge': {
      const n = m.size;
      const value = hugeValue(m.shape, n, eol);
      if (m.shape === 'docs' || m.shape === 'comment') {
        lines.splice(lineAt(m.line), 0, { body: value, eol });
        return joinLines(lines);
      }
      const at = pick(valueLines(lines), m.line);
      if (at === undefined) return text + eol + `x: ${value}`;
      lines[at].body = withValue(lines[at].body, value, eol);
      return joinLines(lines);
    }
    case 'eol': {
      const bare = text.replace(/^\uFEFF/, '');
      switch (m.style) {
        case 'crlf':
          return text.replace(/\r\n|\r|\n/g, '\r\n');
        case 'cr':
          return text.replace(/\r\n|\r|\n/g, '\r');
        case 'lf':
          return text.replace(/\r\n|\r|\n/g, '\n');
        case 'mixed': {
          let i = 0;
          return text.replace(/\r\n|\r|\n/g, () => ['\n', '\r\n', '\r'][i++ % 3]);
        }
        case 'bom':
          return `\uFEFF${bare}`;
        case 'nobom':
          return bare;
      }
      return text;
    }
    case 'duplicate': {
      const at = pick(valueLines(lines), m.line);
      if (at === undefined) return text;
      const copy = withValue(lines[at].body.replace(/^(\s*)- /, '$1  '), SWAPS[m.to], eol);
      lines.splice(at + 1, 0, { body: copy, eol: lines[at].eol || eol });
      return joinLines(lines);
    }
    case 'insert': {
      const at = lineAt(m.line);
      const indent = m.indented ? /^[ \t]*/.exec(lines[at].body)![0] : '';
      lines.splice(at, 0, { body: indent + INSERTS[m.what], eol });
      return joinLines(lines);
    }
  }
}

/** A huge value of the given shape; `n` is in thousands of characters, keys or items (levels for nesting). */
function hugeValue(shape: HugeShape, n: number, eol: string): string {
  switch (shape) {
    case 'string':
      return `"${'x'.repeat(n * 1000)}"`;
    case 'deepFlow':
      return '['.repeat(n * 10) + ']'.repeat(n * 10);
    case 'deepBlock': {
      const depth = Math.min(n * 10, 2000);
      return Array.from({ length: depth }, (_, i) => `${eol}${'  '.repeat(i + 1)}k${i}:`).join('') + ' leaf';
    }
    case 'keys':
      return `{${Array.from({ length: n * 50 }, (_, i) => `k${i}: ${i}`).join(', ')}}`;
    case 'list':
      return `[${Array(n * 100)
        .fill('80')
        .join(', ')}]`;
    case 'number':
      return '9'.repeat(n * 10);
    case 'docs':
      return Array(n * 10)
        .fill('---')
        .join(eol);
    case 'comment':
      return `# ${'#'.repeat(n * 1000)}`;
  }
}
