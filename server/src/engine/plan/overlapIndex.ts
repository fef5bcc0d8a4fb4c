import type { Cidr } from './cidr';

/**
 * Every pair of overlapping ranges, by sort and sweep: ranges sorted by family and first
 * address; each range overlaps exactly the later ranges of its family that start before it ends.
 * O(n log n + k) for n ranges and k overlapping pairs, where comparing all pairs was O(n²):
 * 40,000 disjoint node networks used to hang the address plan.
 *
 * Returns, for each input index, the indices of the ranges it overlaps (itself excluded), in
 * ascending order, i.e. the order an all-pairs loop would meet them.
 */
export function overlappingPairs(cidrs: readonly Cidr[], stats?: { steps: number }): number[][] {
  const out: number[][] = cidrs.map(() => []);
  const order = cidrs.map((_, i) => i);
  order.sort((x, y) => {
    if (stats) stats.steps++;
    const a = cidrs[x],
      b = cidrs[y];
    if (a.family !== b.family) return a.family - b.family;
    return a.first < b.first ? -1 : a.first > b.first ? 1 : x - y;
  });
  for (let p = 0; p < order.length; p++) {
    const a = cidrs[order[p]];
    for (let q = p + 1; q < order.length; q++) {
      if (stats) stats.steps++;
      const b = cidrs[order[q]];
      // Later ranges start at or after a's start: they overlap a iff they start before a ends.
      if (b.family !== a.family || b.first > a.last) break;
      out[order[p]].push(order[q]);
      out[order[q]].push(order[p]);
    }
  }
  for (const list of out) if (list.length > 1) list.sort((x, y) => x - y);
  return out;
}
