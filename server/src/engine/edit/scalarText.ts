import * as jsyaml from 'js-yaml';
import { MANIFEST_SCHEMA } from '../parse/yamlFile';

/**
 * YAML source text for a string value, in a given style, that reads back as exactly that
 * string: by js-yaml (this engine), by `yaml`, and by go-yaml behind kubectl, which still
 * resolves YAML 1.1's `yes`, `on`, `0777` or `1:30` to other types. Quick fixes write values
 * with these, so a fix never turns `"1.00"` into the number 1 or `"nul"` into null.
 */

/** `"…"`: JSON's escapes are YAML's, plus the characters YAML wants escaped that JSON leaves raw. */
export function doubleQuoted(value: string): string {
  return JSON.stringify(value).replace(
    /[\u007f-\u009f\u2028\u2029\ufeff]/g,
    c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** `'…'` when the value can be written that way on one line (no breaks, only printable characters). */
export function singleQuoted(value: string): string | undefined {
  if (hasUnprintable(value) || hasLoneSurrogate(value)) return undefined;
  return `'${value.replace(/'/g, "''")}'`;
}

/** Words that YAML 1.1 (go-yaml) reads as booleans or null. */
const YAML11_WORDS = /^(?:y|yes|n|no|true|false|on|off|null|~)$/i;
/** Numbers in any YAML version: ints with signs, underscores, bases, sexagesimal; floats, inf, nan. */
const NUMBERISH =
  /^[-+]?(?:[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|\.inf|\.nan)$/i;
/** Dates and times: YAML 1.1 timestamps. */
const TIMESTAMPISH = /^\d{4}-\d\d?-\d\d?(?:[Tt ]|$)/;

/**
 * Whether `value` may stay a plain (unquoted) scalar: identifier-like, in block and flow
 * context alike, and a string to every YAML reader. Anything else is quoted.
 */
export function plainIsString(value: string): boolean {
  if (!/^[A-Za-z0-9_][A-Za-z0-9._/-]*$/.test(value)) return false;
  if (YAML11_WORDS.test(value) || NUMBERISH.test(value) || TIMESTAMPISH.test(value)) return false;
  try {
    const block = jsyaml.load(`k: ${value}`, { schema: MANIFEST_SCHEMA }) as { k?: unknown };
    const flow = jsyaml.load(`[${value}]`, { schema: MANIFEST_SCHEMA }) as unknown[];
    return block?.k === value && Array.isArray(flow) && flow[0] === value;
  } catch {
    return false;
  }
}

/** A number as YAML writes it plain (what a fix that means a number writes). */
export function plainNumber(text: string): string | undefined {
  const n = Number(text);
  return /^-?\d+(?:\.\d+)?$/.test(text) && Number.isFinite(n) ? text : undefined;
}

/** Control characters and the line/paragraph separators and BOM: single quotes cannot escape them. */
function hasUnprintable(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || c === 0xfeff) return true;
  }
  return false;
}

function hasLoneSurrogate(s: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}
