/**
 * A read-only map that shares its entries with the version it was derived from, so a model built
 * after an edit records the edit's few changes instead of copying maps over every workload (the
 * previous version stays valid: nothing it holds is written). Changes accumulate in a small map
 * of their own; once that holds more than a fraction of the entries, the next version is one
 * plain map again, so a lookup is at most two.
 */
const DELETED: unique symbol = Symbol('deleted');
type Deleted = typeof DELETED;

const NO_CHANGES: ReadonlyMap<unknown, never> = new Map<unknown, never>();

export class SharedMap<K, V> {
  private constructor(
    private readonly base: ReadonlyMap<K, V>,
    private readonly own: ReadonlyMap<K, V | Deleted>,
  ) {}

  /** A version holding the entries of `entries` (which must not change afterwards). */
  static of<K, V>(entries: ReadonlyMap<K, V>): SharedMap<K, V> {
    return new SharedMap<K, V>(entries, NO_CHANGES as ReadonlyMap<K, never>);
  }

  get(k: K): V | undefined {
    return lookup(this.base, this.own, k);
  }

  /** A draft of the next version, starting from this one's entries. */
  edit(): SharedMapDraft<K, V> {
    return new SharedMapDraft(this.base, new Map(this.own));
  }

  /** Used by the draft to make the next version. */
  static make<K, V>(base: ReadonlyMap<K, V>, own: ReadonlyMap<K, V | Deleted>): SharedMap<K, V> {
    return new SharedMap(base, own);
  }
}

export class SharedMapDraft<K, V> {
  constructor(
    private readonly base: ReadonlyMap<K, V>,
    private readonly own: Map<K, V | Deleted>,
  ) {}

  get(k: K): V | undefined {
    return lookup(this.base, this.own, k);
  }

  set(k: K, v: V): void {
    this.own.set(k, v);
  }

  delete(k: K): void {
    this.own.set(k, DELETED);
  }

  /** The next version (the draft must not be used afterwards). */
  done(): SharedMap<K, V> {
    if (this.own.size <= Math.max(64, this.base.size >> 3)) return SharedMap.make(this.base, this.own);
    const flat = new Map(this.base);
    for (const [k, v] of this.own) {
      if (v === DELETED) flat.delete(k);
      else flat.set(k, v);
    }
    return SharedMap.of(flat);
  }
}

function lookup<K, V>(base: ReadonlyMap<K, V>, own: ReadonlyMap<K, V | Deleted>, k: K): V | undefined {
  if (own.size) {
    const v = own.get(k);
    if (v !== undefined) return v === DELETED ? undefined : v;
  }
  return base.get(k);
}
