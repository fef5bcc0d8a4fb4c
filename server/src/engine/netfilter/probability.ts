/**
 * Probabilities of the `-m statistic --mode random` rules. Rule i (0-based) of n endpoints
 * carries probability(n - i); the last rule has none (reference §2.3).
 */

/** kube-proxy's `fmt.Sprintf("%0.10f", 1.0/float64(n))`. */
export function computeProbability(n: number): string {
  return goFixed(1 / n, 10);
}

/**
 * What `iptables-save` prints for a probability kube-proxy wrote: libxt_statistic stores
 * lround(0x80000000 * p) and prints "%.11f" of stored / 0x80000000.
 */
export function saveProbability(written: string): string {
  const p = Number(written);
  const stored = Math.min(0xffffffff, Math.round(0x80000000 * p));
  return goFixed(stored / 0x80000000, 11);
}

/**
 * Go's %.Nf (and glibc's printf) round the exact binary value half-to-even. JS toFixed rounds
 * ties up, which differs for e.g. 1/2048 at 10 digits, so the rounding is done here exactly.
 */
export function goFixed(x: number, digits: number): string {
  if (!Number.isFinite(x) || x < 0) return x.toFixed(digits);
  // x = mant / 2^shift exactly.
  let mant = x;
  let shift = 0n;
  while (!Number.isInteger(mant)) {
    mant *= 2;
    shift++;
  }
  const num = BigInt(mant) * 10n ** BigInt(digits);
  const den = 1n << shift;
  let q = num / den;
  const r = num % den;
  if (r * 2n > den || (r * 2n === den && q % 2n === 1n)) q++;
  const s = q.toString().padStart(digits + 1, '0');
  return digits === 0 ? s : `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}`;
}

/** The statistic probability of each of n rules in order (`undefined` for the final catch-all). */
export function probabilitySequence(n: number): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  for (let i = 0; i < n; i++) out.push(i < n - 1 ? computeProbability(n - i) : undefined);
  return out;
}
