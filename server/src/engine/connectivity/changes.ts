/**
 * What changed between two versions of a unit's resource list, found by object identity, so the
 * model can update the parts an edit touched instead of re-reading the whole unit.
 */
import type { Resource } from '../model/resource';

/** `after` is `before` less `removed` (order kept), followed by `added`. */
export interface ResourceChange {
  readonly removed: readonly Resource[];
  readonly added: readonly Resource[];
}

/**
 * The change from `before` to `after` in one pointer walk, or undefined when more than `limit`
 * objects changed (rebuilding is then as cheap as patching). The cluster keeps objects in
 * insertion order and an edit removes a file's objects and adds its new ones, so `after` is
 * usually `before` less some objects, followed by new ones: the walk matches the survivors in
 * order and takes the rest of `after` as added. Any other shape still gives a correct change
 * (objects met out of order count as removed and added again), only a larger one.
 */
export function resourceChange(
  before: readonly Resource[],
  after: readonly Resource[],
  limit: number,
): ResourceChange | undefined {
  const removed: Resource[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length && j < after.length) {
    if (before[i] === after[j]) {
      i++;
      j++;
      continue;
    }
    removed.push(before[i++]);
    if (removed.length > limit) return undefined;
  }
  if (removed.length + (before.length - i) + (after.length - j) > limit) return undefined;
  while (i < before.length) removed.push(before[i++]);
  return { removed, added: after.slice(j) };
}
