import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node as YNode, Pair, YAMLMap } from 'yaml';
import { closest } from '../rules/support/nearMiss';
import { YAML_PARSE_OPTIONS, duplicateKeys } from '../parse/duplicateKeys';
// THE definition of .kube-netlint.yaml (keys, types, descriptions). Add a setting there; this
// validator, the CLI and Red Hat YAML's completion (package.json yamlValidation) all follow it.
import SCHEMA from '../../../../schemas/kube-netlint.schema.json';

/** A problem in a configuration file, placed at a key or value (a path of keys and indices). */
export interface ConfigProblem {
  message: string;
  path?: (string | number)[];
  /** Whether the key itself (unknown key) or its value is wrong; default value. */
  part?: 'key' | 'value';
  /** Where the reading parser stopped (file-level problems); used when `yaml` cannot say. */
  at?: number;
}

let validate: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
    // Editor annotations of the schema: meaningful to VS Code / Red Hat YAML, not to validation.
    ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
    ajv.addKeyword({ keyword: 'markdownDescription', schemaType: 'string' });
    validate = ajv.compile(SCHEMA);
  }
  return validate;
}

/** Dotted display of a path: `plan.podCIDR`, `exclude[2]`, `rules.cidr-overlap`. */
export function pathText(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');
}

function pointerPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map(s => (/^\d+$/.test(s) ? Number(s) : s));
}

const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v)));

/** One readable problem per ajv error (oneOf/anyOf branches collapse into one per value). */
function problemOf(e: ErrorObject, value: unknown, branchErrors: ErrorObject[]): ConfigProblem | undefined {
  const path = pointerPath(e.instancePath);
  const where = path.length ? `${pathText(path)}: ` : '';
  const parent = e.parentSchema as { patternErrorMessage?: string; description?: string } | undefined;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
      const near = closest(key, known);
      const what = path.length === 1 && path[0] === 'rules' ? 'unknown rule id' : 'unknown key';
      return {
        message:
          `${what} "${key}"${path.length ? ` in ${pathText(path)}` : ''}` + (near ? ` (did you mean "${near}"?)` : ''),
        path: [...path, key],
        part: 'key',
      };
    }
    case 'enum':
      return {
        message: `${where}${show(value)} is not one of ${(e.params as { allowedValues: unknown[] }).allowedValues
          .map(String)
          .join(', ')}`,
        path,
      };
    case 'type':
      return { message: `${where}must be ${article(String((e.params as { type: string }).type))}`, path };
    case 'pattern':
      return { message: `${where}${show(value)} ${parent?.patternErrorMessage ?? `must match ${e.schema}`}`, path };
    case 'minLength':
      return { message: `${where}must not be empty`, path };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { message: `${where}${show(value)} must be ${e.message?.replace(/^must be /, '')}`, path };
    case 'required':
      return { message: `${where}missing key "${(e.params as { missingProperty: string }).missingProperty}"`, path };
    case 'oneOf':
    case 'anyOf': {
      // A branch that explains itself (a pattern with its message) says it best.
      const explained = branchErrors
        .filter(b => isUnder(b.instancePath, e.instancePath) && b.keyword === 'pattern')
        .map(b => (b.parentSchema as { patternErrorMessage?: string }).patternErrorMessage)
        .find(Boolean);
      if (explained) return { message: `${where}${show(value)} ${explained}`, path };
      return {
        message:
          `${where}${show(value)} is not valid here` +
          (parent?.description ? `: ${lowerFirst(parent.description)}` : ''),
        path,
      };
    }
    default:
      return { message: `${where}${e.message ?? 'is not valid'}`, path };
  }
}

function article(type: string): string {
  const t = type.replace(/,/g, ' or ');
  if (t === 'object') return 'a mapping';
  if (t === 'array') return 'a list';
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let v = root;
  for (const p of path)
    v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined;
  return v;
}

/** Problems of a parsed configuration value against the schema, at most one per value. */
export function schemaProblems(value: unknown): ConfigProblem[] {
  if (value === undefined || value === null) return [];
  const v = validator();
  if (v(value)) return [];
  const errors = v.errors ?? [];
  // A oneOf/anyOf error speaks for the errors of its branches at or below the same value.
  const unions = errors.filter(e => e.keyword === 'oneOf' || e.keyword === 'anyOf').map(e => e.instancePath);
  const out: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const underUnion = unions.some(u => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && isUnder(e.instancePath, u));
    if (underUnion) continue;
    if (e.keyword === 'if') continue;
    const p = problemOf(e, valueAt(value, pointerPath(e.instancePath)), errors);
    if (!p) continue;
    const key = `${p.part ?? 'value'} ${pathText(p.path ?? [])}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

function isUnder(pointer: string, base: string): boolean {
  return pointer === base || pointer.startsWith(base + '/');
}

/**
 * Offsets of a problem in the configuration text: the key (unknown keys) or the value it is
 * about, else the nearest enclosing key that exists, else the start of the file. `yaml`'s node
 * tree is walked without resolving aliases, so an alias-heavy file costs no expansion here.
 */
export function locateConfigProblem(text: string, problem: ConfigProblem): [number, number] {
  return configProblemLocator(text)(problem);
}

/**
 * locateConfigProblem for many problems of one text: the text is parsed once and each mapping's
 * keys indexed once (a `rules:` map of 1,000 unknown ids, each located by a parse and a scan of
 * its own, took 30 s; 44,000 would take hours).
 */
export function configProblemLocator(text: string): (problem: ConfigProblem) => [number, number] {
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, YAML_PARSE_OPTIONS);
  } catch {
    return () => [0, 0];
  }
  const keys = new Map<YAMLMap, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, seg: string | number): Pair | undefined => {
    let index = keys.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items) {
        const k = isScalar(p.key) ? String(p.key.value) : String(p.key);
        if (!index.has(k)) index.set(k, p);
      }
      keys.set(map, index);
    }
    return index.get(String(seg));
  };
  return problem => locateIn(doc, text, problem, pairOf);
}

function locateIn(
  doc: Document.Parsed,
  text: string,
  problem: ConfigProblem,
  pairOf: (map: YAMLMap, seg: string | number) => Pair | undefined,
): [number, number] {
  let node: unknown = doc.contents;
  let best: [number, number] | undefined;
  const rangeOf = (n: unknown): [number, number] | undefined => {
    const r = (n as YNode | null)?.range;
    return r ? [r[0], r[1]] : undefined;
  };
  const path = problem.path ?? [];
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = pairOf(node as YAMLMap, seg);
      if (!pair) break;
      best = rangeOf(pair.key) ?? best;
      if (last && problem.part === 'key') return best ?? [0, 0];
      node = pair.value;
      if (node !== null && node !== undefined) best = rangeOf(node) ?? best;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      best = rangeOf(node) ?? best;
    } else break;
  }
  if (!path.length && problem.part !== 'key') {
    // A file-level problem: a syntax error where yaml places it, a repeated key (yaml's own check
    // is off, see YAML_PARSE_OPTIONS) on the repeat, else the first line.
    // When `yaml` ran out of stack (thousands of nested `[`), where it stopped depends on how deep
    // the caller's stack already was: the same text would be placed differently from one call to
    // the next. The reading parser's position is fixed.
    if (problem.at !== undefined && doc.errors.some(e => e.code === 'RESOURCE_EXHAUSTION'))
      return [problem.at, Math.min(text.length, problem.at + 1)];
    const pos = doc.errors[0]?.pos;
    const repeat = pos ? undefined : duplicateKeys([doc])[0];
    best = pos ? [pos[0], Math.max(pos[0], pos[1])] : repeat ? [repeat.start, repeat.end] : firstLine(text);
  }
  return best ?? [0, 0];
}

function firstLine(text: string): [number, number] {
  const end = text.search(/\r?\n|\r|$/);
  return [0, Math.max(0, end)];
}
