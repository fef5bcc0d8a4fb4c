/**
 * Objects keyed by user data (labels, selectors, annotations, settings, config maps).
 *
 * A plain `{}` answers for keys nobody wrote: `labels.toString` is Object.prototype's function,
 * and assigning `labels.__proto__` changes the prototype instead of storing a label. Label keys
 * are arbitrary strings, so every object keyed by them has no prototype (created here), and
 * constant tables indexed by user text are read through `own`.
 */
export type Dict<T> = Record<string, T>;

/** An empty object without a prototype: every key, `__proto__` included, is just a key. */
export function dict<T>(): Dict<T> {
  return Object.create(null) as Dict<T>;
}

/** A prototype-free copy of `src` (own enumerable keys), with `extra` entries added after it. */
export function dictOf<T>(src: Readonly<Record<string, T>> | undefined, ...extra: [string, T][]): Dict<T> {
  const out = dict<T>();
  if (src) for (const k of Object.keys(src)) out[k] = src[k];
  for (const [k, v] of extra) out[k] = v;
  return out;
}

/** `table[key]` for a key the workspace chose: only the table's own entries count. */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}
