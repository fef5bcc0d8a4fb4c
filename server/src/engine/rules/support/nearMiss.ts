/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions, so `wbe` is one
 * edit from `web`), bounded: returns `limit + 1` as soon as the distance exceeds `limit`.
 */
export function editDistance(a: string, b: string, limit = 3): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, rows[i - 2][j - 2] + 1);
      row.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > limit) return limit + 1;
    rows.push(row);
  }
  return rows[a.length][b.length];
}

/** The candidate closest to `value` within a small edit distance, if there is exactly one best. */
export function closest(
  value: string,
  candidates: Iterable<string>,
  limit = Math.max(1, Math.min(3, Math.floor(value.length / 3))),
): string | undefined {
  let best: string | undefined,
    bestD = limit + 1,
    tie = false;
  for (const c of new Set(candidates)) {
    if (c === value) continue;
    const d = editDistance(value.toLowerCase(), c.toLowerCase(), limit);
    if (d < bestD) {
      best = c;
      bestD = d;
      tie = false;
    } else if (d === bestD) tie = true;
  }
  return best !== undefined && bestD <= limit && !tie ? best : undefined;
}
