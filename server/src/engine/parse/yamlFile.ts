import * as jsyaml from 'js-yaml';
import { Document, parseAllDocuments, visit } from 'yaml';
import { ALIAS_TEXT_ALLOWANCE, expansionMessage, measureExpansion } from './expansion';
import { documentStarts } from './documentStarts';
import { YAML_PARSE_OPTIONS, duplicateKeys } from './duplicateKeys';
import { LineIndex, withLfBreaks } from '../text/lineIndex';

export const PARSE_PROBLEM_KINDS = [
  'syntax',
  'template',
  'too-large',
  'binary',
  'aliases',
  'duplicate-key',
  'encoding',
] as const;

/** A problem found while reading a file, before any rule runs. */
export interface ParseProblem {
  kind: (typeof PARSE_PROBLEM_KINDS)[number];
  message: string;
  /** Offsets into the file text. */
  start: number;
  end: number;
}

/** The diagnostic code, default severity and docs page of a parse problem. */
export function problemCode(p: ParseProblem): {
  code: string;
  severity: 'error' | 'warning' | 'information';
  page: string;
} {
  switch (p.kind) {
    case 'syntax':
      return { code: 'yaml-syntax', severity: 'error', page: 'yaml-syntax' };
    case 'aliases':
      return { code: 'yaml-excessive-aliasing', severity: 'error', page: 'yaml-excessive-aliasing' };
    case 'duplicate-key':
      return { code: 'yaml-duplicate-key', severity: 'error', page: 'yaml-duplicate-key' };
    case 'encoding':
      return { code: 'file-encoding', severity: 'warning', page: 'file-encoding' };
    case 'template':
      return { code: 'template-skipped', severity: 'information', page: 'file-skipped' };
    default:
      return { code: 'file-skipped', severity: 'information', page: 'file-skipped' };
  }
}

export interface ParsedYaml {
  /** One entry per YAML document, in order; `undefined` for documents that could not be read. */
  docs: unknown[];
  problems: ParseProblem[];
}

/**
 * js-yaml's default schema without the implicit timestamp: an unquoted `2024-01-01` stays the
 * string it is to Kubernetes and to `yaml` (YAML 1.2 core, used for ranges and for files with
 * syntax errors) instead of becoming a Date. Resolving timestamps also cost about 15 % of
 * js-yaml's time on manifests (measured by the bench). Explicit `!!timestamp` still works.
 */
const jsyamlTypes = (
  jsyaml as unknown as { types: Record<'merge' | 'binary' | 'omap' | 'pairs' | 'set' | 'timestamp', jsyaml.Type> }
).types;
export const MANIFEST_SCHEMA = jsyaml.CORE_SCHEMA.extend({
  implicit: [jsyamlTypes.merge],
  explicit: [jsyamlTypes.binary, jsyamlTypes.omap, jsyamlTypes.pairs, jsyamlTypes.set, jsyamlTypes.timestamp],
});

export interface ParseLimits {
  maxBytes: number;
}
export const DEFAULT_LIMITS: ParseLimits = { maxBytes: 16 * 1024 * 1024 };

/**
 * Reads every document of a YAML file.
 *
 * js-yaml does the work on the hot path because it is several times faster than `yaml`; it
 * keeps no source positions, so ranges are recovered later, lazily, only for files that have
 * findings (see SourceLocator). When js-yaml stops at a syntax error we fall back to `yaml`,
 * which recovers per document, so one broken document does not hide the others.
 */
export function parseYamlText(text: string, limits: ParseLimits = DEFAULT_LIMITS): ParsedYaml {
  if (text.length > limits.maxBytes) {
    return {
      docs: [],
      problems: [
        {
          kind: 'too-large',
          start: 0,
          end: 0,
          message: `File skipped: ${text.length} bytes is over the ${limits.maxBytes}-byte limit (setting kubeNetlint.maxFileSize).`,
        },
      ],
    };
  }
  if (text.includes('\u0000')) {
    return {
      docs: [],
      problems: [
        {
          kind: 'binary',
          start: 0,
          end: 0,
          message: 'File skipped: it contains NUL bytes and does not look like YAML text.',
        },
      ],
    };
  }
  // Same offsets, YAML's line breaks only: `yaml` (ranges, recovery) does not take a lone CR as one.
  const source = withLfBreaks(text);
  const hasTemplateMarker = source.includes('{{');
  const notes = replacementCharacters(source);
  let docs: unknown[];
  try {
    docs = loadAllChecked(source);
  } catch (e) {
    if (hasTemplateMarker) return templateSkipped(source);
    const recovered = boundAliases(source, recoverWithYaml(source, e as jsyaml.YAMLException));
    return { docs: recovered.docs, problems: [...notes, ...recovered.problems] };
  }
  if (docs === DUPLICATES) {
    // Rare: read again keeping the last value of a repeated key, and say where each repeat is.
    try {
      docs = jsyaml.loadAll(source, undefined, jsyamlOptions(source));
    } catch (e) {
      if (hasTemplateMarker) return templateSkipped(source);
      const recovered = boundAliases(source, recoverWithYaml(source, e as jsyaml.YAMLException));
      return { docs: recovered.docs, problems: [...notes, ...recovered.problems] };
    }
    notes.push(...duplicateKeyProblems(source, parseAllDocuments(source, YAML_PARSE_OPTIONS)));
  }
  const parsed = boundAliases(source, { docs, problems: notes });
  if (hasTemplateMarker && templateMarkersOutsideStrings(source, parsed.docs)) return templateSkipped(source);
  return parsed;
}

const DUPLICATES: unknown[] = [];

/**
 * js-yaml with duplicate keys refused (`json: false`; the only difference from `json: true`),
 * so files without repeated keys, nearly all, are read once. DUPLICATES when a key repeats.
 */
function loadAllChecked(source: string): unknown[] {
  try {
    return jsyaml.loadAll(source, undefined, { ...jsyamlOptions(source), json: false });
  } catch (e) {
    if (e instanceof jsyaml.YAMLException && /duplicated mapping key/.test(e.reason ?? '')) return DUPLICATES;
    throw e;
  }
}

/** One problem per repeated key, on the repeat (whose value takes effect). */
function duplicateKeyProblems(source: string, docs: readonly Document[] | unknown): ParseProblem[] {
  if (!Array.isArray(docs)) return [];
  const lines = new LineIndex(source);
  return duplicateKeys(docs as Document[]).map(d => ({
    kind: 'duplicate-key' as const,
    start: d.start,
    end: d.end,
    message: `Key "${d.key}" is repeated (first on line ${lines.positionAt(d.firstStart).line + 1}): this later value is the one used and the earlier one is lost; kustomize and strict YAML decoders refuse the file ("mapping key already defined").`,
  }));
}

/**
 * U+FFFD in the text: how invalid UTF-8 (or UTF-16) reads after decoding, both here (see
 * text/decode.ts) and in an editor. One problem, on the first, with the count.
 */
function replacementCharacters(source: string): ParseProblem[] {
  const at = source.indexOf('\uFFFD');
  if (at < 0) return [];
  let n = 0;
  for (let i = at; i >= 0; i = source.indexOf('\uFFFD', i + 1)) n++;
  return [
    {
      kind: 'encoding',
      start: at,
      end: at + 1,
      message: `The file holds ${n === 1 ? 'a replacement character' : `${n} replacement characters`} (U+FFFD, shown as \uFFFD): bytes that are not valid UTF-8 were read as ${n === 1 ? 'it' : 'them'}, and kubectl refuses a file that is not valid UTF-8 ("invalid leading UTF-8 octet"). The rest of the file is analysed. If the character is meant, write it as "\\uFFFD" in a double-quoted string.`,
    },
  ];
}

/**
 * js-yaml's own bounds: nesting depth, and merge-key copies (`<<: *big` repeated) in proportion
 * to the text, so merging stays linear while a file of legitimate merges is not refused.
 */
function jsyamlOptions(text: string): jsyaml.LoadOptions {
  return {
    json: true,
    schema: MANIFEST_SCHEMA,
    maxTotalMergeKeys: Math.max(10_000, text.length),
  } as jsyaml.LoadOptions;
}

/**
 * One value from YAML text (a configuration file, a k3s config), with the same bounds as
 * manifests: a document whose aliases expand too far is refused with the reason, so no caller
 * ever walks an alias bomb or a self-referencing anchor.
 */
export function loadYamlValue(
  text: string,
  opts: { strictKeys?: boolean } = {},
): { value: unknown; error?: string; errorAt?: number } {
  let value: unknown;
  try {
    // `json: false` makes js-yaml refuse duplicate keys, as a configuration file should.
    value = jsyaml.load(text, { ...jsyamlOptions(text), json: !opts.strictKeys });
  } catch (e) {
    const at = e instanceof jsyaml.YAMLException ? e.mark?.position : undefined;
    return {
      value: undefined,
      error: (e as Error).message.split('\n')[0],
      errorAt: at === undefined ? undefined : Math.min(at, text.length),
    };
  }
  const e = measureExpansion(value, text.length + ALIAS_TEXT_ALLOWANCE);
  return e.refused ? { value: undefined, error: expansionMessage(e) } : { value };
}

/**
 * The value of one document that `yaml` parsed without errors (in a file where js-yaml stopped
 * at another document's error, or YAML embedded in a string). js-yaml reads the document's own
 * text, so values are the same as on the hot path (merge keys included); `yaml`'s toJS is the
 * fallback. Refused like loadYamlValue when its aliases expand too far.
 */
export function yamlDocumentValue(d: Document.Parsed | Document, text: string): { value: unknown; error?: string } {
  let value: unknown;
  try {
    value = rawDocumentValue(d, text);
  } catch (e) {
    return { value: undefined, error: (e as Error).message.split('\n')[0] };
  }
  const e = measureExpansion(value, text.length + ALIAS_TEXT_ALLOWANCE);
  return e.refused ? { value: undefined, error: expansionMessage(e) } : { value };
}

/** yamlDocumentValue before measuring (the caller measures); throws when neither parser gives a value. */
function rawDocumentValue(d: Document.Parsed | Document, text: string): unknown {
  const range = d.range;
  try {
    if (range) return jsyaml.load(text.slice(range[0], range[2]), jsyamlOptions(text));
  } catch {
    // js-yaml refuses something `yaml` accepts (a YAML 1.2 detail): use `yaml`'s own value.
  }
  return fallbackToJs(d);
}

/** At most this many aliases for `yaml`'s toJS, which scans all earlier anchors once per alias. */
const MAX_TOJS_ALIASES = 2_000;

/** `yaml`'s own conversion: aliases are shared, not copied, and measured by the caller. */
function fallbackToJs(d: Document.Parsed | Document): unknown {
  let aliases = 0;
  visit(d, {
    Alias: () => {
      if (++aliases > MAX_TOJS_ALIASES) return visit.BREAK;
    },
  });
  if (aliases > MAX_TOJS_ALIASES)
    throw new Error(`more than ${MAX_TOJS_ALIASES} aliases in a document that js-yaml cannot read`);
  return d.toJS({ maxAliasCount: -1 });
}

/**
 * Refuses the documents whose aliases expand too far (see expansion.ts): each becomes
 * `undefined` with a diagnostic on its first alias, and the other documents of the file are
 * analysed as usual. This is the one place every parsed document passes, so no consumer
 * (labels, selectors, rules, plan extraction) ever walks an expansion.
 */
function boundAliases(text: string, parsed: ParsedYaml): ParsedYaml {
  if (!mayHoldAliases(text)) return parsed;
  let starts: number[] | null | undefined;
  const docs = parsed.docs.map((d, i) => {
    if (d === null || typeof d !== 'object') return d;
    const e = measureExpansion(d, text.length + ALIAS_TEXT_ALLOWANCE);
    if (!e.refused) return d;
    starts ??= documentStarts(text);
    const from = starts && i < starts.length ? starts[i] : 0;
    const to = starts && i + 1 < starts.length ? starts[i + 1] : text.length;
    const at = firstAlias(text, from, to);
    parsed.problems.push({ kind: 'aliases', start: at, end: at + 1, message: expansionMessage(e) });
    return undefined;
  });
  return { docs, problems: parsed.problems };
}

/**
 * Without a `*` no document can hold an alias, and without a `&` no document has an anchor for
 * one to name (an alias to no anchor is a syntax error in both parsers): then nothing is shared,
 * every node and character comes from the text once, and the measuring is skipped on the hot
 * path. A `*` alone is common (RBAC `"*"`, cron schedules): a third of the bench's files have one.
 */
function mayHoldAliases(text: string): boolean {
  return text.includes('*') && text.includes('&');
}

/** The offset of the first alias (`*name`) in text[from, to), else `from`. */
function firstAlias(text: string, from: number, to: number): number {
  const re = /(?:^|[\s[{,:-])(\*)[^\s,[\]{}]/gm;
  re.lastIndex = from;
  const m = re.exec(text);
  return m && m.index < to ? m.index + m[0].length - 2 : from;
}

function templateSkipped(text: string): ParsedYaml {
  const at = text.indexOf('{{');
  return {
    docs: [],
    problems: [
      {
        kind: 'template',
        start: at,
        end: at + 2,
        message:
          'File skipped: it contains Go/Helm template markers ({{ }}); render it (helm template / kustomize build) to lint the output.',
      },
    ],
  };
}

/**
 * `{{` inside quoted or block scalars is data (Prometheus rules, Grafana dashboards). A marker
 * that is not part of any string value means the file is a template, not a manifest.
 */
function templateMarkersOutsideStrings(text: string, docs: unknown[]): boolean {
  const inText = countOccurrences(text, '{{') - commentMarkers(text);
  let inStrings = 0;
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      inStrings += countOccurrences(v, '{{');
      return;
    }
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) visit(x);
      return;
    }
    for (const [k, x] of Object.entries(v)) {
      inStrings += countOccurrences(k, '{{');
      visit(x);
    }
  };
  for (const d of docs) visit(d);
  return inText > inStrings;
}

function commentMarkers(text: string): number {
  let n = 0;
  for (const m of text.matchAll(/(^|\s)#[^\n]*/g)) n += countOccurrences(m[0], '{{');
  return n;
}

function countOccurrences(s: string, needle: string): number {
  let n = 0,
    i = s.indexOf(needle);
  while (i !== -1) {
    n++;
    i = s.indexOf(needle, i + needle.length);
  }
  return n;
}

function recoverWithYaml(text: string, err: jsyaml.YAMLException): ParsedYaml {
  const first = err.mark ? err.mark.position : 0;
  const problem: ParseProblem = {
    kind: 'syntax',
    start: first,
    end: Math.min(text.length, first + 1),
    message: `YAML syntax error: ${err.reason ?? err.message}`,
  };
  try {
    const parsed = parseAllDocuments(text, YAML_PARSE_OPTIONS);
    const list = Array.isArray(parsed) ? parsed : [];
    const docs = list.map(d => {
      // A repeated key is reported on its own (yaml-duplicate-key); the document is still read.
      if (d.errors.length) return undefined;
      try {
        return rawDocumentValue(d, text);
      } catch {
        return undefined;
      }
    });
    return { docs, problems: [problem, ...duplicateKeyProblems(text, list)] };
  } catch {
    return { docs: [], problems: [problem] };
  }
}
