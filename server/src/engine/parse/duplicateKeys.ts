import { Document, isScalar, visit } from 'yaml';

/**
 * Options for every `yaml` parse of workspace text. Its own duplicate-key check compares each
 * key with every key before it in the mapping (a flow map of 30,000 keys took 30 s); repeats
 * are found by duplicateKeys below, in one pass, so the check is off.
 */
export const YAML_PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: false } as const;

/** A key written twice in one mapping: the later one (which takes effect) and where the first is. */
export interface DuplicateKey {
  key: string;
  /** Range of the later key in the text. */
  start: number;
  end: number;
  /** Start of the first occurrence. */
  firstStart: number;
}

/**
 * Every repeated key of every mapping, compared as js-yaml compares them (the key's text, so
 * `1` and `"1"` are the same key): js-yaml keeps the last value, and findings are placed on
 * the last key too. Merge keys (`<<`) are not repeats: each merges another mapping.
 */
export function duplicateKeys(docs: readonly Document[]): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  for (const doc of docs) {
    visit(doc, {
      Map(_, map) {
        const seen = new Map<string, number>();
        for (const pair of map.items) {
          const k = pair.key;
          if (!isScalar(k) || !k.range) continue;
          const text = String(k.value);
          if (text === '<<') continue;
          const first = seen.get(text);
          if (first === undefined) seen.set(text, k.range[0]);
          else out.push({ key: text, start: k.range[0], end: k.range[1], firstStart: first });
        }
      },
    });
  }
  return out;
}
