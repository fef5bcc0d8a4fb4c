import * as v8 from 'node:v8';

export interface Distribution {
  n: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles of a sample of durations (ms). */
export function distribution(samples: readonly number[]): Distribution {
  if (samples.length === 0) return { n: 0, p50: 0, p95: 0, max: 0, mean: 0 };
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  return {
    n: s.length,
    p50: at(0.5),
    p95: at(0.95),
    max: s[s.length - 1],
    mean: s.reduce((a, b) => a + b, 0) / s.length,
  };
}

export const now = (): number => performance.now();

/**
 * Tracks the largest heap seen. The engine's work is synchronous, so timers cannot sample it;
 * callers poll at points of their own (every N files), which costs about a microsecond each.
 */
export class HeapWatch {
  peak = 0;
  sample(): void {
    const used = v8.getHeapStatistics().used_heap_size;
    if (used > this.peak) this.peak = used;
  }
}

export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export function heapUsed(): number {
  return v8.getHeapStatistics().used_heap_size;
}

/** Peak resident set size of this process so far, in bytes. */
export function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

export const MB = 1024 * 1024;
