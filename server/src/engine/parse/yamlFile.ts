import * as jsyaml from 'js-yaml';
import { parseAllDocuments } from 'yaml';

/** A problem found while reading a file, before any rule runs. */
export interface ParseProblem {
  kind: 'syntax' | 'template' | 'too-large' | 'binary';
  message: string;
  /** Offsets into the file text. */
  start: number;
  end: number;
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
  const hasTemplateMarker = text.includes('{{');
  let docs: unknown[];
  try {
    docs = jsyaml.loadAll(text, undefined, { json: true, schema: MANIFEST_SCHEMA });
  } catch (e) {
    if (hasTemplateMarker) return templateSkipped(text);
    return recoverWithYaml(text, e as jsyaml.YAMLException);
  }
  if (hasTemplateMarker && templateMarkersOutsideStrings(text, docs)) return templateSkipped(text);
  return { docs, problems: [] };
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
    const parsed = parseAllDocuments(text, { prettyErrors: false });
    const list = Array.isArray(parsed) ? parsed : [];
    const docs = list.map(d => (d.errors.length ? undefined : safeToJs(d)));
    return { docs, problems: [problem] };
  } catch {
    return { docs: [], problems: [problem] };
  }
}

function safeToJs(d: { toJS(opts?: object): unknown }): unknown {
  try {
    return d.toJS({ maxAliasCount: 100 });
  } catch {
    return undefined;
  }
}
